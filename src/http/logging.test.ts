import { describe, expect, it } from 'vitest';
import { buildLoggers, loggedUrl } from './logging.js';

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

describe('the access line', () => {
  it('is one JSON line with every value as it was, plain or needing escapes', () => {
    const lines: string[] = [];
    const { access } = buildLoggers({ level: 'info', stream: { write: (l: string) => void lines.push(l) } });
    const odd = { url: '/api/v1/x/a"b\\c\u0001é', remoteAddress: '::1', actor: 'token:ü "q"' };
    for (const v of [{ url: '/api/v1/pins', remoteAddress: '127.0.0.1', actor: null }, odd]) {
      access!({ id: 'r-1', method: 'GET', statusCode: 200, responseTime: 1.5, route: '/api/v1/x/:id', ...v });
    }
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.endsWith('}\n')).toBe(true);
    const [plain, escaped] = lines.map((l) => JSON.parse(l));
    expect(plain).toMatchObject({
      reqId: 'r-1',
      req: { id: 'r-1', method: 'GET', url: '/api/v1/pins', remoteAddress: '127.0.0.1' },
      res: { statusCode: 200 },
      responseTime: 1.5,
      route: '/api/v1/x/:id',
      actor: null,
      msg: 'request completed',
    });
    expect(escaped).toMatchObject({ req: { url: odd.url, remoteAddress: '::1' }, actor: odd.actor });
  });
});
