/**
 * Exchange's MultiValuedProperty edits (extensions, access numbers, proxy addresses,
 * languages): a list replaces the whole property, `{ add, remove }` edits the values the
 * object has when the edit is applied. Services apply an edit inside the transaction that
 * writes it, so two edits made at once both count. Pure.
 */
export type MultiValuedEdit =
  | readonly string[]
  | { readonly add?: readonly string[]; readonly remove?: readonly string[] };

export function isReplacement(edit: MultiValuedEdit): edit is readonly string[] {
  return Array.isArray(edit);
}

/**
 * The values after the edit. Values compare case-insensitively, as Exchange's do; adding a
 * value already there, or removing one that is not, changes nothing. A value both added
 * and removed in one edit ends up absent: Remove is applied last, so the edit never leaves
 * behind a value it names for removal. A replacing list is kept as given, so the caller
 * can refuse a value listed twice.
 */
export function applyMultiValuedEdit(current: readonly string[], edit: MultiValuedEdit): string[] {
  if (isReplacement(edit)) return [...edit];
  const removed = new Set((edit.remove ?? []).map((v) => v.toLowerCase()));
  const out = current.filter((v) => !removed.has(v.toLowerCase()));
  for (const v of edit.add ?? []) {
    if (!removed.has(v.toLowerCase()) && !out.some((o) => o.toLowerCase() === v.toLowerCase())) out.push(v);
  }
  return out;
}

/** The same edit with every value passed through `f` (trimming, parsing), and values `f` maps to '' dropped. */
export function mapMultiValuedEdit(edit: MultiValuedEdit, f: (v: string) => string): MultiValuedEdit {
  const map = (list: readonly string[] | undefined) => (list ?? []).map((v) => f(String(v))).filter((v) => v !== '');
  return isReplacement(edit) ? map(edit) : { add: map(edit.add), remove: map(edit.remove) };
}
