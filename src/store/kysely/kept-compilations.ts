/**
 * Queries compiled once per key whose shape depends on more than their bound values: a
 * filtered list page, whose SQL follows the filter's tree. prepared.ts covers queries whose
 * every argument goes straight into a parameter; here the key names what shapes the query (the
 * filter and its values), and only a few values vary from call to call (the instant the PIN
 * states are judged at, a cursor), bound anew each time. Kysely's build and compile of a
 * filtered page cost 100–190 µs, a tenth of what SQLite takes to run it at 1,000,000 mailboxes.
 *
 * Which parameters carry the varying values is found by compiling twice: once with the call's
 * own values and once with others. The parameters that differ must be exactly those values, as
 * given, and the SQL text the same; a query that derives anything from them (a time computed
 * from the instant, a cursor lower-cased, a branch taken on a value) fails that test and is built
 * on every call, as before. The builder must take every decision that depends on a varying value
 * from the key instead: a decision that happened to come out the same for both compilations
 * would not be seen.
 */
import type { CompiledQuery } from 'kysely';

/** Where a parameter comes from: the varying value of that index, or the compiled constant. */
type Slot = number | null;

interface Kept {
  query: CompiledQuery<unknown>;
  slots: readonly Slot[];
}

/** Another value of the same type, no value a query holds otherwise. */
function other(v: string | number, i: number): string | number {
  return typeof v === 'number' ? v + 1 + i : `\u0000kept-compilation:${i}:${v}`;
}

export class KeptCompilations {
  readonly #kept = new Map<string, Kept | null>();
  readonly #max: number;

  constructor(max = 256) {
    this.#max = max;
  }

  /** The query of `key` with these varying values: compiled once, or built now when it cannot be kept. */
  compiled<R>(
    key: string,
    varying: readonly (string | number)[],
    build: (varying: readonly (string | number)[]) => CompiledQuery<R>,
  ): CompiledQuery<R> {
    const kept = this.#kept.get(key);
    if (kept === null) return build(varying);
    if (kept !== undefined) {
      const { query, slots } = kept;
      return {
        ...query,
        parameters: slots.map((s, i) => (s === null ? query.parameters[i] : varying[s])),
      } as CompiledQuery<R>;
    }
    const first = build(varying);
    if (this.#kept.size >= this.#max) return first;
    const others = varying.map(other);
    const second = build(others);
    this.#kept.set(key, keepable(first, second, varying, others));
    return first;
  }

  get size(): number {
    return this.#kept.size;
  }
}

/** The slots of the parameters, when the two compilations differ exactly in the varying values; else null. */
function keepable(
  first: CompiledQuery<unknown>,
  second: CompiledQuery<unknown>,
  varying: readonly (string | number)[],
  others: readonly (string | number)[],
): Kept | null {
  if (first.sql !== second.sql || first.parameters.length !== second.parameters.length) return null;
  const slots: Slot[] = [];
  for (let i = 0; i < first.parameters.length; i++) {
    const a = first.parameters[i];
    const b = second.parameters[i];
    if (Object.is(a, b)) {
      slots.push(null);
      continue;
    }
    const k = varying.findIndex((v, j) => Object.is(v, a) && Object.is(others[j], b));
    if (k < 0) return null;
    slots.push(k);
  }
  return { query: first, slots };
}
