/**
 * Every failure leaves as `{ code, message, field? }` with a stable UMPIN_* code. Messages
 * come from the code's template or name the rule broken; none repeats the request body, so
 * a PIN or password typed into a bad request never comes back out.
 */
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { UmpinError, type ErrorCategory, type ErrorCode } from '../domain/errors.js';

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  field?: string;
}

const STATUS: Record<ErrorCategory, number> = {
  invalid: 400,
  unauthenticated: 401,
  denied: 403,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
  unavailable: 503,
  internal: 500,
};

/** A well-formed request that a rule of the domain refuses: 422, not 400. */
const RULE = /^UMPIN_(PIN_|VALUE_|POLICY_|EXTENSION_INVALID$)/;

export function statusFor(err: UmpinError): number {
  if (err.code === 'UMPIN_REQUEST_TOO_LARGE') return 413;
  if (err.category === 'invalid' && RULE.test(err.code)) return 422;
  return STATUS[err.category];
}

/** Fastify's own request errors (body parsing, content type, size) as umpin codes. */
function fromFastify(err: FastifyError, bodyLimit: number | undefined): { status: number; error: UmpinError } | null {
  const malformed = (status: number, rule: string) => ({ status, error: new UmpinError({ code: 'UMPIN_REQUEST_MALFORMED', params: { rule } }) });
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return malformed(400, 'the body is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return malformed(400, 'the body is empty, yet Content-Type says JSON');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return malformed(415, 'the body must be JSON (Content-Type: application/json)');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, error: new UmpinError({ code: 'UMPIN_REQUEST_TOO_LARGE', params: { max: bodyLimit ?? 'the allowed number of' } }) };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return malformed(400, 'Content-Length does not match the body');
  }
  // JSON.parse's own message quotes the body: never pass it on
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message))) return malformed(400, 'the body is not valid JSON');
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 && typeof err.code === 'string' && err.code.startsWith('FST_')) {
    return malformed(err.statusCode, 'the request is not well-formed HTTP for this operation');
  }
  return null;
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

const CONTEXT_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'headers' };

/** The first schema issue as UMPIN_VALUE_INVALID, naming the field (its JSON path) and the rule. */
function fromValidation(issues: readonly ValidationIssue[], context: string | undefined): UmpinError {
  const issue = issues[0]!;
  const path = issue.instancePath.split('/').filter((s) => s !== '').join('.');
  const unknownKey = issue.keyword === 'unrecognized_keys' ? (issue.params?.keys as string[] | undefined)?.[0] : undefined;
  const field = unknownKey !== undefined ? (path ? `${path}.${unknownKey}` : unknownKey) : path || CONTEXT_NAMES[context ?? ''] || 'request';
  let rule: string;
  if (unknownKey !== undefined) rule = 'this operation has no such parameter';
  else if (/received undefined$/.test(issue.message ?? '')) rule = 'it is required';
  else rule = (issue.message ?? 'it does not match the schema').replace(/^Invalid input: /, '').replace(/^./, (c) => c.toLowerCase());
  return new UmpinError({ code: 'UMPIN_VALUE_INVALID', field, params: { field, rule } });
}

/** The status and body for any error a request ends with; `internal` says to log it. */
export function errorReply(err: unknown, context: { bodyLimit?: number | undefined } = {}): { status: number; body: ErrorBody; internal: boolean } {
  if (err instanceof UmpinError) return { status: statusFor(err), body: err.toJSON(), internal: err.category === 'internal' };
  if (hasZodFastifySchemaValidationErrors(err)) {
    const e = fromValidation(err.validation, (err as { validationContext?: string }).validationContext);
    return { status: 400, body: e.toJSON(), internal: false };
  }
  if (err && typeof err === 'object' && ('code' in err || 'statusCode' in err)) {
    const f = fromFastify(err as FastifyError, context.bodyLimit);
    if (f) return { status: f.status, body: f.error.toJSON(), internal: false };
  }
  const e = new UmpinError({ code: 'UMPIN_INTERNAL' });
  return { status: 500, body: e.toJSON(), internal: true };
}
