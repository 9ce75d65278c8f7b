import { describe, expect, it } from 'vitest';
import { UmpinError, type ErrorCode } from '../domain/errors.js';
import { errorReply, statusFor } from './error-reply.js';

const status = (code: ErrorCode) => statusFor(new UmpinError({ code, params: {} }));

describe('errorReply', () => {
  it('maps each category to its status; rule violations of a well-formed request to 422', () => {
    expect(status('UMPIN_SHELL_PARSE_ERROR')).toBe(400);
    expect(status('UMPIN_REQUEST_MALFORMED')).toBe(400);
    expect(status('UMPIN_EXTENSION_REQUIRED')).toBe(400);
    for (const code of ['UMPIN_PIN_TOO_SHORT', 'UMPIN_VALUE_OUT_OF_RANGE', 'UMPIN_VALUE_INVALID', 'UMPIN_POLICY_RESET_NOT_BELOW_MAX', 'UMPIN_EXTENSION_INVALID'] as const) expect(status(code)).toBe(422);
    expect(status('UMPIN_AUTH_REQUIRED')).toBe(401);
    expect(status('UMPIN_ACCESS_DENIED')).toBe(403);
    expect(status('UMPIN_IDENTITY_NOT_FOUND')).toBe(404);
    expect(status('UMPIN_NAME_IN_USE')).toBe(409);
    expect(status('UMPIN_REQUEST_TOO_LARGE')).toBe(413);
    expect(status('UMPIN_RATE_LIMITED')).toBe(429);
    expect(status('UMPIN_INTERNAL')).toBe(500);
    expect(status('UMPIN_STORE_UNAVAILABLE')).toBe(503);
  });

  it('turns anything else into a 500 that says nothing of it', () => {
    const r = errorReply(new Error('password=hunter2 rejected by db'));
    expect(r).toEqual({ status: 500, body: { code: 'UMPIN_INTERNAL', message: 'An internal error occurred.' }, internal: true });
  });

  it("never passes on JSON.parse's message, which quotes the body", () => {
    const err = Object.assign(new SyntaxError('Unexpected token } in JSON: {"pin":"1234"}'), { statusCode: 400 });
    const r = errorReply(err);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r)).not.toContain('1234');
  });
});
