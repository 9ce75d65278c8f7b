/**
 * Response serializers and input validators compiled from the route's zod schema when it is
 * a flat object (fields of strings, finite numbers, safe integers, booleans, each possibly
 * nullable): a direct check and JSON build of each field, no generic parse of the value on
 * every request (the zod serializer cost 5–10 µs a PIN-status answer). Whatever the fast path
 * does not accept (another schema, a value of the wrong type) goes to the zod compilers,
 * which then answer exactly as before, errors included: the fast path never decides a
 * refusal, and a field the schema does not declare never leaves.
 */
import type { FastifySchemaCompiler } from 'fastify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { jsonString } from './json-string.js';

/** What the fast path accepts of a field, and its JSON text. */
interface Field {
  accepts: (v: unknown) => boolean;
  json: (v: unknown) => string;
}

interface Def {
  type: string;
  checks?: Array<{ _zod: { def: { check: string; format?: string; minimum?: number; maximum?: number } } }>;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: unknown;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;
const text = (v: unknown): string => String(v);

function field(s: z.ZodType): Field | null {
  const d = defOf(s);
  const checks = (d.checks ?? []).map((c) => c._zod.def);
  if (d.type === 'nullable' && d.innerType) {
    const inner = field(d.innerType);
    return (
      inner && {
        accepts: (v) => v === null || inner.accepts(v),
        json: (v) => (v === null ? 'null' : inner.json(v)),
      }
    );
  }
  if (d.type === 'boolean' && checks.length === 0) return { accepts: (v) => typeof v === 'boolean', json: text };
  if (d.type === 'number') {
    if (checks.length === 0) return { accepts: (v) => typeof v === 'number' && Number.isFinite(v), json: text };
    if (checks.length === 1 && checks[0]!.check === 'number_format' && checks[0]!.format === 'safeint')
      return { accepts: (v) => Number.isSafeInteger(v), json: text };
    return null;
  }
  if (d.type === 'string') {
    let min = 0;
    let max = Number.POSITIVE_INFINITY;
    for (const c of checks) {
      if (c.check === 'min_length') min = c.minimum!;
      else if (c.check === 'max_length') max = c.maximum!;
      else return null;
    }
    return {
      accepts: (v) => typeof v === 'string' && v.length >= min && v.length <= max,
      json: (v) => jsonString(v as string),
    };
  }
  return null;
}

interface FlatField extends Field {
  key: string;
  /** `"key":` (with a leading comma after the first field) */
  prefix: string;
}

/** The fields of a flat, non-strict object schema, or null for any other schema. */
export function flatFields(schema: unknown): FlatField[] | null {
  if (!(schema instanceof z.ZodType)) return null;
  const d = defOf(schema);
  if (d.type !== 'object' || d.catchall !== undefined || !d.shape) return null;
  const fields: FlatField[] = [];
  for (const [key, s] of Object.entries(d.shape)) {
    const f = field(s);
    if (!f) return null;
    fields.push({ ...f, key, prefix: `${fields.length ? ',' : ''}${JSON.stringify(key)}:` });
  }
  return fields;
}

/** fastify-type-provider-zod's serializer, with the fast path for flat objects in front. */
export const flatSerializerCompiler: FastifySerializerCompiler<unknown> = (route) => {
  const slow = serializerCompiler(route as never) as (data: unknown) => string;
  const fields = flatFields((route as { schema: unknown }).schema);
  if (!fields) return slow;
  return (data) => {
    if (data === null || typeof data !== 'object') return slow(data);
    const o = data as Record<string, unknown>;
    let out = '{';
    for (const f of fields) {
      const v = o[f.key];
      if (!f.accepts(v)) return slow(data);
      out += f.prefix + f.json(v);
    }
    return `${out}}`;
  };
};

/** fastify-type-provider-zod's validator, with the fast path for flat objects of valid values in front. */
export const flatValidatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const slow = validatorCompiler(route);
  const fields = flatFields(route.schema);
  if (!fields) return slow;
  return (data: unknown) => {
    if (data === null || typeof data !== 'object') return slow(data);
    const o = data as Record<string, unknown>;
    const value: Record<string, unknown> = {};
    for (const f of fields) {
      const v = o[f.key];
      if (!f.accepts(v)) return slow(data);
      value[f.key] = v;
    }
    return { value };
  };
};
