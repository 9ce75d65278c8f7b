/** Schemas shared by every resource: the error body, identities in paths, paged lists. */
import { z } from 'zod';

export const ErrorBody = z
  .object({
    code: z.string().describe('a stable UMPIN_* code; docs/errors.md lists them with their statuses and params'),
    message: z
      .string()
      .describe(
        'the message in the language of Content-Language (English, or Traditional Chinese when Accept-Language asks for zh-TW, zh-Hant or zh-HK)',
      ),
    field: z.string().optional().describe('the parameter the error is about, when there is one'),
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
      .describe(
        "the code's params (limits, names, the rule broken), from which a client can word the message itself; never a PIN",
      ),
  })
  .meta({
    id: 'Error',
    description: 'Every error: a stable code, a readable message, the field it concerns, and the params of its code',
  });

/** Identities are what the services resolve: GUID, e-mail address, alias, UPN or display name (URL-encoded in paths). */
export const IdentityParams = z.object({
  identity: z
    .string()
    .min(1)
    .max(320)
    .describe('GUID, name, e-mail address, alias or user principal name (URL-encoded)'),
});

export const NameParams = z.object({ name: z.string().min(1).max(256) });

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** `?cursor=&limit=` paging; `next` of one page is the cursor of the following one. */
export const PageQuery = z.object({
  cursor: z.string().max(512).optional().describe('the `next` value of the previous page'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .describe(`items per page, 1-${MAX_PAGE_SIZE}`),
});

export const SearchQuery = PageQuery.extend({
  search: z.string().max(256).optional().describe('prefix of the name (or display name, alias or address)'),
});

/** `?filter=&sortBy=` of a list of mailboxes: passed to the service as given, which evaluates them in the store. */
export function ListFilterQuery(example: string, objectType: string) {
  return {
    identity: z
      .string()
      .min(1)
      .max(320)
      .optional()
      .describe(`only the ${objectType} this identity names (with a filter: whether it matches)`),
    filter: z
      .string()
      .max(4000)
      .optional()
      .describe(`an OPATH filter on the ${objectType} properties, as -Filter takes it, e.g. \`${example}\``),
    sortBy: z
      .string()
      .max(256)
      .optional()
      .describe(`a ${objectType} property to sort by, as -SortBy takes it; a leading - sorts descending`),
  };
}

export function page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    next: z.string().nullable().describe('cursor of the next page; null on the last page'),
  });
}

/** Milliseconds since 1970-01-01 UTC, as the services keep times. */
export const Timestamp = z.number().int().describe('milliseconds since 1970-01-01T00:00:00Z');

/** A comma-separated list in a query string (`?cmdlets=A,B`), or the parameter repeated. */
export function listParam(item: z.ZodString) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) =>
      (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    )
    .pipe(z.array(item))
    .optional();
}

/** An empty body: 204 responses and operations that return nothing. */
export const NoContent = z.null().describe('no content');
