import { describe, expect, it } from 'vitest';
import { loggedUrl } from './logging.js';

describe('loggedUrl', () => {
  it('keeps the path and the query keys, never the values', () => {
    expect(loggedUrl('/api/v1/pins')).toBe('/api/v1/pins');
    expect(loggedUrl('/api/v1/recipients?search=73019468&limit=5')).toBe('/api/v1/recipients?search=&limit=');
    expect(loggedUrl('/api/v1/audit?cmdlets=A&cmdlets=B&&flag')).toBe('/api/v1/audit?cmdlets=&cmdlets=&flag=');
    expect(loggedUrl('/x?')).toBe('/x?');
  });

  it("keeps a PIN link's page but not its token", () => {
    const token = 'q3K9x_Zb-0aVwYp1LmN2oR4sT6uV8wX0yZ1aB2cD3eF';
    expect(loggedUrl(`/me/pin/${token}`)).toBe('/me/pin/[redacted]');
    expect(loggedUrl(`/me/pin/${token}?utm_source=mail`)).toBe('/me/pin/[redacted]?utm_source=');
    expect(loggedUrl(`/ME/PIN/${token}/extra`)).toBe('/ME/PIN/[redacted]');
    expect(loggedUrl('/me')).toBe('/me');
  });
});
