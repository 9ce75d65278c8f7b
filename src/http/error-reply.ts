/**
 * Every failure leaves as `{ code, message, field?, params }` with a stable UMPIN_* code,
 * the status the registry gives that code, and the message in the language asked for.
 * Messages come from the code's catalog entry or name the rule broken; none repeats the
 * request body, so a PIN or password typed into a bad request never comes back out.
 */
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorBody, UmpinError, type ErrorBody, type ErrorLanguage, type ErrorStatus } from '../domain/errors.js';

/** Fastify's own request errors (body parsing, content type, size) as umpin errors. */
function fromFastify(err: FastifyError, bodyLimit: number | undefined): UmpinError | null {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new UmpinError({ code: 'UMPIN_REQUEST_MALFORMED', params: { reason: 'invalid-json' } });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new UmpinError({ code: 'UMPIN_REQUEST_MALFORMED', params: { reason: 'empty-json' } });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new UmpinError({ code: 'UMPIN_REQUEST_NOT_JSON' });
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new UmpinError({
        code: 'UMPIN_REQUEST_TOO_LARGE',
        params: bodyLimit === undefined ? {} : { max: bodyLimit },
      });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new UmpinError({ code: 'UMPIN_REQUEST_MALFORMED', params: { reason: 'content-length' } });
  }
  // JSON.parse's own message quotes the body: never pass it on
  if (err instanceof SyntaxError || (err.statusCode === 400 && /JSON/i.test(err.message)))
    return new UmpinError({ code: 'UMPIN_REQUEST_MALFORMED', params: { reason: 'invalid-json' } });
  if (
    typeof err.statusCode === 'number' &&
    err.statusCode >= 400 &&
    err.statusCode < 500 &&
    typeof err.code === 'string' &&
    err.code.startsWith('FST_')
  ) {
    return new UmpinError({ code: 'UMPIN_REQUEST_MALFORMED', params: { reason: 'not-http' } });
  }
  return null;
}

interface ValidationIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params?: Record<string, unknown>;
}

const CONTEXT_NAMES: Record<string, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'headers',
};

/** The first schema issue as UMPIN_REQUEST_INVALID, naming the field (its JSON path) and the rule. */
function fromValidation(issues: readonly ValidationIssue[], context: string | undefined): UmpinError {
  const issue = issues[0]!;
  const path = issue.instancePath
    .split('/')
    .filter((s) => s !== '')
    .join('.');
  const unknownKey =
    issue.keyword === 'unrecognized_keys' ? (issue.params?.keys as string[] | undefined)?.[0] : undefined;
  const field =
    unknownKey !== undefined
      ? path
        ? `${path}.${unknownKey}`
        : unknownKey
      : path || CONTEXT_NAMES[context ?? ''] || 'request';
  let rule: string;
  if (unknownKey !== undefined) rule = 'this operation has no such parameter';
  else if (/received undefined$/.test(issue.message ?? '')) rule = 'it is required';
  else
    rule = (issue.message ?? 'it does not match the schema')
      .replace(/^Invalid input: /, '')
      .replace(/^./, (c) => c.toLowerCase());
  return new UmpinError({ code: 'UMPIN_REQUEST_INVALID', field, params: { field, rule } });
}

/** Any error a request ends with, as an UmpinError; anything unknown is UMPIN_INTERNAL. */
function asRequestError(err: unknown, bodyLimit?: number): UmpinError {
  if (err instanceof UmpinError) return err;
  if (hasZodFastifySchemaValidationErrors(err))
    return fromValidation(err.validation, (err as { validationContext?: string }).validationContext);
  if (err && typeof err === 'object' && ('code' in err || 'statusCode' in err)) {
    const f = fromFastify(err as FastifyError, bodyLimit);
    if (f) return f;
  }
  return new UmpinError({ code: 'UMPIN_INTERNAL' });
}

/** The status and body for any error a request ends with; `internal` says to log it. */
export function errorReply(
  err: unknown,
  context: { bodyLimit?: number | undefined; language?: ErrorLanguage } = {},
): { status: ErrorStatus; body: ErrorBody; error: UmpinError; internal: boolean } {
  const error = asRequestError(err, context.bodyLimit);
  return {
    status: error.status,
    body: errorBody(error, context.language ?? 'en'),
    error,
    internal: error.category === 'internal',
  };
}
