import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { API_ROUTES } from './routes/api-routes.js';
import { UMMailboxPIN } from './routes/pins.js';
import { UMMailboxListItem } from './routes/um-mailboxes.js';
import { ErrorBody, IdentityParams, page } from './schemas/common.js';
import { fastSerializerCompiler, fastValidatorCompiler, fastWriter, flatFields } from './fast-schemas.js';

const route = (schema: unknown) => ({ schema, method: 'GET', url: '/x', httpStatus: '200' }) as never;
const serialize = (schema: unknown) => fastSerializerCompiler(route(schema)) as (d: unknown) => string;
const zodSerialize = (schema: unknown) => serializerCompiler(route(schema)) as (d: unknown) => string;

/** Both answer the same text, or both refuse. */
function sameAsZod(schema: unknown, data: unknown): string | null {
  let zod: string | null = null;
  try {
    zod = zodSerialize(schema)(data);
  } catch {
    expect(() => serialize(schema)(data)).toThrow();
    return null;
  }
  expect(serialize(schema)(data)).toBe(zod);
  return zod;
}

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

const mailbox = (i: number) => ({
  identity: `7b0e5c9e-2f4a-4c59-9d55-0e0d1c3b7a${String(i).padStart(2, '0')}`,
  displayName: i % 2 ? `Tony Smith ${i}` : '陳 美玲 "Mei-Ling"',
  alias: `tony${i}`,
  primarySmtpAddress: `tony${i}@contoso.com`,
  extensions: i % 3 === 0 ? [] : i % 3 === 1 ? ['1234'] : ['1234', '5678', '9012'],
  umMailboxPolicy: 'Contoso Default Policy',
  umDialPlan: 'Contoso',
  sipResourceIdentifier: i % 2 ? null : `tony${i}@contoso.com`,
  umEnabled: true,
  enabledAt: 1_796_000_000_000 + i,
  subscriberAccessEnabled: true,
  pinlessAccessToVoiceMailEnabled: false,
  operatorNumber: i % 4 ? null : '0',
  pinChangeAllowed: i % 5 !== 0,
  pinStatus: i % 2 ? null : { lockedOut: i % 4 === 0, pinExpired: true, firstTimeUser: false },
});

describe('the fast path of the schema compilers', () => {
  it('serialises a PIN status exactly as zod does, and leaves out undeclared fields', () => {
    expect(fastWriter(UMMailboxPIN)).not.toBeNull();
    const withExtra = { ...view, pinHash: '$argon2id$secret', pin: '482916' };
    const fast = serialize(UMMailboxPIN)(withExtra);
    expect(fast).toBe(zodSerialize(UMMailboxPIN)(withExtra));
    expect(fast).not.toMatch(/argon2|482916/);
    expect(JSON.parse(fast)).toEqual(view);
  });

  it('serialises a page of UM mailboxes exactly as zod does, leaving out what is not declared at every depth', () => {
    const schema = page(UMMailboxListItem);
    expect(fastWriter(schema)).not.toBeNull();
    const items = Array.from({ length: 12 }, (_, i) => mailbox(i));
    const secret = items.map((m, i) => ({
      ...m,
      pinHash: '$argon2id$secret',
      pinStatus: m.pinStatus && { ...m.pinStatus, pin: '482916', failedAttempts: i },
    }));
    const json = sameAsZod(schema, { items: secret, next: 'abc', total: 12 });
    expect(json).not.toMatch(/argon2|482916|failedAttempts|total/);
    expect(JSON.parse(json!)).toEqual({ items, next: 'abc' });
    expect(sameAsZod(schema, { items: [], next: null })).toBe('{"items":[],"next":null}');
  });

  it('hands a value of the wrong type to zod, which refuses it as before', () => {
    for (const bad of [
      { ...view, failedAttempts: 1.5 },
      { ...view, pinSetAt: Number.NaN },
      { ...view, lockedOut: 'no' },
      { ...view, userId: undefined },
      null,
      [],
    ]) {
      expect(() => serialize(UMMailboxPIN)(bad)).toThrow();
      expect(() => zodSerialize(UMMailboxPIN)(bad)).toThrow();
    }
    const schema = page(UMMailboxListItem);
    for (const bad of [
      { items: [{ ...mailbox(1), umEnabled: false }], next: null },
      { items: [{ ...mailbox(1), extensions: ['1234', 5678] }], next: null },
      { items: [{ ...mailbox(2), pinStatus: { lockedOut: true } }], next: null },
      { items: [mailbox(1), null], next: null },
      { items: { 0: mailbox(1) }, next: null },
      { items: [mailbox(1)] },
    ])
      expect(sameAsZod(schema, bad)).toBeNull();
  });

  it('writes optional fields as zod does: present, absent or undefined', () => {
    const schema = z.object({
      a: z.string().optional(),
      b: z.number().int().nullable().optional(),
      c: z.enum(['Tony', 'Mei-Ling']),
      d: z.literal(7).optional(),
      e: z.array(z.object({ f: z.boolean().optional() })),
    });
    expect(fastWriter(schema)).not.toBeNull();
    for (const data of [
      { c: 'Tony', e: [] },
      { a: undefined, b: undefined, c: 'Mei-Ling', e: [{}, { f: undefined }, { f: false }] },
      { a: 'x', b: null, c: 'Tony', d: 7, e: [{ f: true, g: 1 }] },
      { a: 'x', b: 1.5, c: 'Tony', e: [] },
      { a: null, c: 'Tony', e: [] },
      { c: 'Someone', e: [] },
      { c: 'Tony', d: 8, e: [] },
    ])
      sameAsZod(schema, data);
  });

  it('leaves other schemas to zod', () => {
    expect(fastWriter(ErrorBody)).toBeNull();
    expect(fastWriter(z.strictObject({ a: z.string() }))).toBeNull();
    expect(fastWriter(z.object({ a: z.string().email() }))).toBeNull();
    expect(fastWriter(z.object({ a: z.array(z.string()).min(1) }))).toBeNull();
    expect(fastWriter(z.object({ a: z.date() }))).toBeNull();
    expect(fastWriter(z.object({ a: z.string().default('x') }))).toBeNull();
    expect(fastWriter(z.array(z.string()))).toBeNull();
  });

  it("answers every route's own response as zod does, for values made from the schema", () => {
    let covered = 0;
    for (const r of API_ROUTES) {
      const schema = r.response;
      if (!fastWriter(schema)) continue;
      covered++;
      for (let seed = 0; seed < 20; seed++) sameAsZod(schema, sample(schema as z.ZodType, seed));
    }
    // the pages, the PIN status and most single views take the fast path
    expect(covered).toBeGreaterThan(API_ROUTES.length / 2);
  });

  it('validates params as zod does: the same value, and zod’s own refusal for a bad one', () => {
    expect(flatFields(z.object({ a: z.object({ b: z.string() }) }))).toBeNull();
    expect(flatFields(z.object({ a: z.string().optional() }))).toBeNull();
    const fast = fastValidatorCompiler(route(IdentityParams)) as (d: unknown) => unknown;
    const slow = validatorCompiler(route(IdentityParams)) as (d: unknown) => unknown;
    for (const data of [{ identity: 'tonysmith' }, { identity: '' }, { identity: 'x'.repeat(321) }, {}])
      expect(fast(data)).toEqual(slow(data));
  });
});

/**
 * A value for a schema the fast path covers: valid mostly, now and then a field of the wrong
 * type, left out, or an undeclared one, so that both the answers and the refusals are compared.
 */
function sample(schema: z.ZodType, seed: number): unknown {
  let state = seed * 2_654_435_761 + 1;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const value = (s: z.ZodType): unknown => {
    const d = (s as unknown as { _zod: { def: Record<string, never> } })._zod.def as Record<string, unknown>;
    if (next() < 0.03) return ['wrong', 42, undefined, null][Math.floor(next() * 4)];
    switch (d.type) {
      case 'nullable':
        return next() < 0.3 ? null : value(d.innerType as z.ZodType);
      case 'optional':
        return next() < 0.3 ? undefined : value(d.innerType as z.ZodType);
      case 'boolean':
        return next() < 0.5;
      case 'number':
        return next() < 0.5 ? Math.floor(next() * 1e12) : next() * 100;
      case 'string':
        return ['tony', '陳 美玲', 'a "quoted" \\ name\n', ''][Math.floor(next() * 4)];
      case 'literal':
        return (d.values as unknown[])[0];
      case 'enum': {
        const values = Object.values(d.entries as object);
        return values[Math.floor(next() * values.length)];
      }
      case 'array':
        return Array.from({ length: Math.floor(next() * 3) }, () => value(d.element as z.ZodType));
      case 'object': {
        const o: Record<string, unknown> = {};
        for (const [k, f] of Object.entries(d.shape as Record<string, z.ZodType>)) o[k] = value(f);
        if (next() < 0.2) o.undeclared = 'x';
        return o;
      }
      default:
        return undefined;
    }
  };
  return value(schema);
}
