/**
 * Exchange's MultiValuedProperty parameters (AccessTelephoneNumbers, Languages): a value or
 * list replaces the whole property, `@{Add=...; Remove=...}` edits the current one.
 */
import type { MultiValuedValue } from '../../cmdlet.js';

/**
 * The list after the edit. Values compare case-insensitively, as Exchange's do; adding a
 * value already there changes nothing. A replacing list is kept as given, so the service
 * can refuse a value listed twice.
 */
export function applyMultiValued(current: readonly string[], value: MultiValuedValue): string[] {
  if ('replace' in value) return [...value.replace];
  const removed = new Set(value.remove.map((v) => v.toLowerCase()));
  const out = current.filter((v) => !removed.has(v.toLowerCase()));
  for (const v of value.add) {
    if (!removed.has(v.toLowerCase()) && !out.some((o) => o.toLowerCase() === v.toLowerCase())) out.push(v);
  }
  return out;
}

/** The list after the edit, reading the current list only when the edit needs it (a replacing list does not). */
export async function editMultiValued(value: MultiValuedValue, current: () => Promise<readonly string[]>): Promise<string[]> {
  return applyMultiValued('replace' in value ? [] : await current(), value);
}
