import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UMMailboxPIN } from './routes/pins.js';
import { IdentityParams, ErrorBody } from './schemas/common.js';
import { flatFields, flatSerializerCompiler, flatValidatorCompiler } from './flat-schemas.js';

const route = (schema: unknown) => ({ schema, method: 'GET', url: '/x', httpStatus: '200' }) as never;
const serialize = (schema: unknown) => flatSerializerCompiler(route(schema)) as (d: unknown) => string;
const zodSerialize = (schema: unknown) => serializerCompiler(route(schema)) as (d: unknown) => string;

const view = {
  userId: 'tonysmith@contoso.com',
  identity: '7b0e5c9e-2f4a-4c59-9d55-0e0d1c3b7a10',
  pinExpired: false,
  firstTimeUser: true,
  lockedOut: false,
  lockedUntil: null,
  failedAttempts: 2,
  pinSetAt: 1_796_000_000_000,
  pinAgeDays: 3.5,
  lastFailureAt: 1_796_000_100_000,
  lastFailureCaller: '+1 425 555 "0100"\u2028',
  lockCount: 0,
  pinChangeAllowed: true,
};

describe('flat schema compilers', () => {
  it('serialise a PIN status exactly as zod does, and leave out undeclared fields', () => {
    expect(flatFields(UMMailboxPIN)).not.toBeNull();
    const withExtra = { ...view, pinHash: '$argon2id$secret', pin: '482916' };
    const fast = serialize(UMMailboxPIN)(withExtra);
    expect(fast).toBe(zodSerialize(UMMailboxPIN)(withExtra));
    expect(fast).not.toMatch(/argon2|482916/);
    expect(JSON.parse(fast)).toEqual(view);
  });

  it('hand a value of the wrong type to zod, which refuses it as before', () => {
    for (const bad of [
      { ...view, failedAttempts: 1.5 },
      { ...view, pinSetAt: Number.NaN },
      { ...view, lockedOut: 'no' },
      { ...view, userId: undefined },
      null,
    ]) {
      expect(() => serialize(UMMailboxPIN)(bad)).toThrow();
      expect(() => zodSerialize(UMMailboxPIN)(bad)).toThrow();
    }
  });

  it('leave other schemas to zod', () => {
    expect(flatFields(ErrorBody)).toBeNull();
    expect(flatFields(z.strictObject({ a: z.string() }))).toBeNull();
    expect(flatFields(z.object({ a: z.string().email() }))).toBeNull();
    expect(flatFields(z.object({ a: z.array(z.string()) }))).toBeNull();
  });

  it('validate params as zod does: the same value, and zod’s own refusal for a bad one', () => {
    const fast = flatValidatorCompiler(route(IdentityParams)) as (d: unknown) => unknown;
    const slow = validatorCompiler(route(IdentityParams)) as (d: unknown) => unknown;
    for (const data of [{ identity: 'tonysmith' }, { identity: '' }, { identity: 'x'.repeat(321) }, {}])
      expect(fast(data)).toEqual(slow(data));
  });
});
