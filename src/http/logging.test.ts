import { describe, expect, it } from 'vitest';
import { loggedUrl } from './logging.js';

describe('loggedUrl', () => {
  it('keeps the path and the query keys, never the values', () => {
    expect(loggedUrl('/api/v1/pins')).toBe('/api/v1/pins');
    expect(loggedUrl('/api/v1/recipients?search=73019468&limit=5')).toBe('/api/v1/recipients?search=&limit=');
    expect(loggedUrl('/api/v1/audit?cmdlets=A&cmdlets=B&&flag')).toBe('/api/v1/audit?cmdlets=&cmdlets=&flag=');
    expect(loggedUrl('/x?')).toBe('/x?');
  });
});
