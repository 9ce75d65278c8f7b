/**
 * The access log operations rely on: exactly one line per request, written when it is
 * answered, with the request id, method, path, route, status, time taken and who called;
 * never a PIN, a token or a query value. Errors and changes are logged like any request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiRoute } from '../src/http/api-route.js';
import { API_ROUTES } from '../src/http/routes/api-routes.js';
import { apiContext, call, tokenFor, type ApiContext } from './api-client.js';

/** A route that fails the way a bug would: not an umpin error. */
const BROKEN = apiRoute({
  method: 'GET',
  url: '/api/v1/broken',
  operationId: 'broken',
  summary: 'fails',
  tags: [],
  permission: 'authenticated',
  response: z.object({}),
  handler: async () => {
    throw new Error('a bug');
  },
});

describe('the access log (sqlite)', () => {
  let ctx: ApiContext;
  let token: string;
  beforeAll(async () => {
    ctx = await apiContext('sqlite', { users: [{ alias: 'tonysmith', extension: '10231', pin: '482916' }] });
    token = await tokenFor(ctx, 'OrganizationManagement');
  });
  afterAll(() => ctx?.close());

  const linesOf = (id: unknown) =>
    ctx.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.reqId === id);

  it('has one line for a PIN-status read: id, method, path, route, status, time, actor', async () => {
    const res = await call(ctx.app, 'GET', '/api/v1/um-mailboxes/tonysmith@contoso.com/pin', { token });
    expect(res.statusCode).toBe(200);
    const id = res.headers['x-request-id'];
    const lines = linesOf(id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: id,
      req: { id, method: 'GET', url: '/api/v1/um-mailboxes/tonysmith@contoso.com/pin' },
      res: { statusCode: 200 },
      route: '/api/v1/um-mailboxes/:identity/pin',
      actor: expect.stringMatching(/^token:/),
    });
    expect(lines[0]!.responseTime).toBeTypeOf('number');
    expect(JSON.stringify(lines[0])).not.toContain(token);
  });

  it('logs a change, a refusal and an unknown path once each, with no PIN or token in any line', async () => {
    const before = ctx.logLines.length;
    const bad = 'umpin_not-a-real-token-value-at-all-000000000';
    const requests = [
      call(ctx.app, 'POST', '/api/v1/um-mailboxes/tonysmith/pin', { token, body: { pin: '739164' } }),
      call(ctx.app, 'GET', '/api/v1/um-mailboxes/tonysmith/pin', { token: bad }),
      call(ctx.app, 'GET', '/api/v1/nowhere?pin=739164', { token }),
    ];
    const statuses: number[] = [];
    for (const r of requests) {
      const res = await r;
      statuses.push(res.statusCode);
      const lines = linesOf(res.headers['x-request-id']);
      expect(lines, JSON.stringify(lines)).toHaveLength(1);
      expect(lines[0]!.res).toEqual({ statusCode: res.statusCode });
    }
    expect(statuses).toEqual([200, 401, 404]);
    const written = ctx.logLines.slice(before).join('\n');
    for (const secret of ['739164', '482916', token, bad]) expect(written).not.toContain(secret);
    expect(written).toContain('"url":"/api/v1/nowhere?pin="');
  });

  it("logs an internal error with the request's id, its route and caller, and the error", async () => {
    const broken = await apiContext('sqlite', { routes: [...API_ROUTES, BROKEN] });
    try {
      const res = await call(broken.app, 'GET', '/api/v1/broken', { token: await tokenFor(broken, 'HelpDesk') });
      expect(res.statusCode).toBe(500);
      const id = res.headers['x-request-id'];
      const lines = broken.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.reqId === id);
      expect(lines.map((l) => [l.level, l.msg])).toEqual([
        [50, 'request failed'],
        [30, 'request completed'],
      ]);
      expect(lines[0]).toMatchObject({ err: { message: 'a bug' } });
      expect(lines[1]).toMatchObject({
        res: { statusCode: 500 },
        route: '/api/v1/broken',
        actor: expect.stringMatching(/^token:/),
      });
    } finally {
      await broken.close();
    }
  });
});
