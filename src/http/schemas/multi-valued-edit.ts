/** A multi-valued property in a PATCH body, as the services take it: a list replaces it, `{ add, remove }` edits it where it stands. */
import { z } from 'zod';

export function multiValuedEdit(item: z.ZodString, what: string) {
  return z
    .union([
      z.array(item).describe(`the whole list of ${what}, replacing it`),
      z
        .strictObject({ add: z.array(item).optional(), remove: z.array(item).optional() })
        .describe(
          `${what} to add and to remove, applied to the list as it is when the change is written; a value both added and removed ends up absent`,
        ),
    ])
    .describe(`${what}: a list replaces them; { add, remove } edits them (Exchange's @{Add=...; Remove=...})`);
}
