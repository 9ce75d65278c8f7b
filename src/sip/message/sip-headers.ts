/**
 * The header section of a SIP message: the header lines in the order received, names
 * kept as written, looked up by canonical key (case-insensitive, compact forms expanded).
 * A list header may arrive as several lines or as one comma-separated line, or both
 * (RFC 3261 §7.3.1); values() gives its elements either way. Order matters for Via,
 * Route and Record-Route, so edits keep it.
 */
import { headerKey, isListHeader } from './header-names.js';
import { splitList } from './split-list.js';

export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

export class SipHeaders {
  readonly #fields: { name: string; value: string; key: string }[] = [];

  constructor(fields: Iterable<HeaderField> = []) {
    for (const f of fields) this.append(f.name, f.value);
  }

  /** The fields in order, names as written. */
  fields(): HeaderField[] {
    return this.#fields.map(({ name, value }) => ({ name, value }));
  }

  get size(): number {
    return this.#fields.length;
  }

  has(name: string): boolean {
    const key = headerKey(name);
    return this.#fields.some((f) => f.key === key);
  }

  /** The first line's value, or undefined. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    return this.#fields.find((f) => f.key === key)?.value;
  }

  /** Every line's value, unsplit. */
  lines(name: string): string[] {
    const key = headerKey(name);
    return this.#fields.filter((f) => f.key === key).map((f) => f.value);
  }

  /** Every element: a list header's lines split on their separating commas. */
  values(name: string): string[] {
    const key = headerKey(name);
    const lines = this.lines(name);
    return isListHeader(key) ? lines.flatMap(splitList) : lines;
  }

  append(name: string, value: string): this {
    this.#fields.push({ name, value, key: headerKey(name) });
    return this;
  }

  /** Replaces the lines of that header by one, at the place of the first (or at the end). */
  set(name: string, value: string): this {
    const key = headerKey(name);
    const i = this.#fields.findIndex((f) => f.key === key);
    if (i < 0) return this.append(name, value);
    this.#fields[i] = { name, value, key };
    for (let j = this.#fields.length - 1; j > i; j--) if (this.#fields[j]!.key === key) this.#fields.splice(j, 1);
    return this;
  }

  delete(name: string): this {
    const key = headerKey(name);
    for (let j = this.#fields.length - 1; j >= 0; j--) if (this.#fields[j]!.key === key) this.#fields.splice(j, 1);
    return this;
  }

  /** Replaces the first line of that header (e.g. the top Via after stamping it). */
  replaceFirst(name: string, value: string): this {
    const key = headerKey(name);
    const f = this.#fields.find((f) => f.key === key);
    if (f) f.value = value;
    return this;
  }

  clone(): SipHeaders {
    return new SipHeaders(this.fields());
  }
}
