/**
 * Values in the shell and PowerShell's rules for them: how they print, compare, convert
 * to text and test as true. Only what the subset needs.
 */
import type { ScriptBlockLiteral } from './ast.js';
import { getProperty, isPlainObject, typeNameOf } from './ps-object.js';

/** `{ ... }` as a value: run by Where-Object, ForEach-Object and calculated properties. */
export class ScriptBlock {
  constructor(readonly ast: ScriptBlockLiteral) {}
  toString(): string {
    return this.ast.text;
  }
}

/** `@{ Key = value }`: keys are case-insensitive and keep their order. */
export class Hashtable {
  readonly entries = new Map<string, { key: string; value: unknown }>();
  set(key: string, value: unknown): void {
    this.entries.set(key.toLowerCase(), { key, value });
  }
  get(key: string): unknown {
    return this.entries.get(key.toLowerCase())?.value;
  }
  has(key: string): boolean {
    return this.entries.has(key.toLowerCase());
  }
  keys(): string[] {
    return [...this.entries.values()].map((e) => e.key);
  }
}

/**
 * A number typed as a command argument. PowerShell binds it to a string parameter as it
 * was typed (`-Pin 0123456` stays "0123456") and to anything else as its value.
 */
export class ArgNumber {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
  valueOf(): number {
    return this.value;
  }
}

/** the text of secure strings read with Read-Host -AsSecureString, out of reach of any property walk */
const SECRET_TEXT = new WeakMap<SecureString, string>();

/** An opaque secret (ConvertTo-SecureString, Read-Host -AsSecureString): never prints its text. */
export class SecureString {
  constructor(readonly length: number) {}
  toString(): string {
    return 'System.Security.SecureString';
  }
  /** one that keeps its text, for binding to -Pin (Read-Host -AsSecureString) */
  static holding(text: string): SecureString {
    const s = new SecureString(text.length);
    SECRET_TEXT.set(s, text);
    return s;
  }
}

/** the text a secure string holds, for the binder's secret parameters only */
export function revealSecret(s: SecureString): string | undefined {
  return SECRET_TEXT.get(s);
}

/** the type name of the error records `catch` puts in $_ */
export const ERROR_RECORD_TYPE = 'System.Management.Automation.ErrorRecord';

/** Strips argument-number wrappers once binding no longer needs the typed text. */
export function plain(value: unknown): unknown {
  if (value instanceof ArgNumber) return value.value;
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** PowerShell's en-US rendering: 11/25/2026 7:07:32 AM (local time). */
export function formatDate(d: Date): string {
  const h = d.getHours();
  return `${d.getMonth() + 1}/${d.getDate()}/${d.getFullYear()} ${h % 12 === 0 ? 12 : h % 12}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** A value as text, as PowerShell converts it to [string]. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof ArgNumber) return value.text;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : '-Infinity';
  if (value instanceof Date) return formatDate(value);
  if (Array.isArray(value)) return value.map(toText).join(' ');
  if (value instanceof ScriptBlock) return value.toString();
  if (value instanceof Hashtable) return 'System.Collections.Hashtable';
  if (value instanceof SecureString) return value.toString();
  if (typeNameOf(value) === ERROR_RECORD_TYPE) return toText(getProperty(getProperty(value, 'Exception'), 'Message'));
  if (isPlainObject(value)) {
    const id = getProperty(value, 'Identity') ?? getProperty(value, 'Name');
    return id === undefined
      ? '@{' +
          Object.entries(value)
            .map(([k, v]) => `${k}=${toText(v)}`)
            .join('; ') +
          '}'
      : toText(id);
  }
  return String(value);
}

/** How a value shows inside a table cell or a list line: arrays as {a, b}. */
export function toDisplay(value: unknown): string {
  if (Array.isArray(value)) return `{${value.map(toText).join(', ')}}`;
  return toText(value);
}

/** PowerShell's truthiness: empty strings, 0, $null, empty arrays are false. */
export function isTrue(value: unknown): boolean {
  if (value instanceof ArgNumber) return value.value !== 0;
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length === 1 ? isTrue(value[0]) : value.length > 0;
  return true;
}

/** Wildcards of -like: * ? and [a-z]; the rest matches literally. */
export function wildcardToRegExp(pattern: string, caseSensitive: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close > i + 1) {
        re += `[${pattern.slice(i + 1, close).replace(/[\\^\]]/g, '\\$&')}]`;
        i = close;
      } else re += '\\[';
    } else if (c === '`' && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, caseSensitive ? 's' : 'is');
}

/** Converts the right operand to the left one's type, as PowerShell does for comparisons. */
function coerce(left: unknown, right: unknown): [unknown, unknown] {
  const l = left instanceof ArgNumber ? left.value : left;
  const r = right instanceof ArgNumber ? right.value : right;
  if (typeof l === 'number' && typeof r === 'string' && r.trim() !== '' && !Number.isNaN(Number(r)))
    return [l, Number(r)];
  if (typeof l === 'boolean' && r !== null && r !== undefined) return [l, isTrue(r)];
  if (typeof l === 'string' && r !== null && r !== undefined && typeof r !== 'string') return [l, toText(r)];
  if (l instanceof Date && typeof r === 'string') {
    const d = new Date(r);
    if (!Number.isNaN(d.getTime())) return [l.getTime(), d.getTime()];
  }
  if (l instanceof Date && r instanceof Date) return [l.getTime(), r.getTime()];
  return [l, r];
}

function equal(left: unknown, right: unknown, caseSensitive: boolean): boolean {
  const [l, r] = coerce(left, right);
  if (typeof l === 'string' && typeof r === 'string')
    return caseSensitive ? l === r : l.localeCompare(r, undefined, { sensitivity: 'accent' }) === 0;
  if ((l === null || l === undefined) && (r === null || r === undefined)) return true;
  return l === r;
}

function order(left: unknown, right: unknown, caseSensitive: boolean): number {
  const [l, r] = coerce(left, right);
  if (typeof l === 'number' && typeof r === 'number') return l - r;
  if (typeof l === 'boolean' && typeof r === 'boolean') return Number(l) - Number(r);
  const a = toText(l);
  const b = toText(r);
  return caseSensitive ? (a < b ? -1 : a > b ? 1 : 0) : a.localeCompare(b, 'en', { sensitivity: 'base' });
}

/** Sort-Object's ordering: numbers by value, text case-insensitively, $null first. */
export function compareValues(a: unknown, b: unknown): number {
  if ((a === null || a === undefined) && (b === null || b === undefined)) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return order(a, b, false);
}

export type Comparison =
  | 'eq'
  | 'ne'
  | 'gt'
  | 'ge'
  | 'lt'
  | 'le'
  | 'like'
  | 'notlike'
  | 'match'
  | 'notmatch'
  | 'contains'
  | 'notcontains'
  | 'in'
  | 'notin';

function scalarCompare(op: Comparison, l: unknown, r: unknown, cs: boolean): boolean {
  switch (op) {
    case 'eq':
      return equal(l, r, cs);
    case 'ne':
      return !equal(l, r, cs);
    case 'gt':
      return order(l, r, cs) > 0;
    case 'ge':
      return order(l, r, cs) >= 0;
    case 'lt':
      return order(l, r, cs) < 0;
    case 'le':
      return order(l, r, cs) <= 0;
    case 'like':
      return wildcardToRegExp(toText(r), cs).test(toText(l));
    case 'notlike':
      return !wildcardToRegExp(toText(r), cs).test(toText(l));
    case 'match':
    case 'notmatch': {
      let re: RegExp;
      try {
        re = new RegExp(toText(r), cs ? '' : 'i');
      } catch {
        throw new Error(`The regular expression '${toText(r)}' is not valid`);
      }
      return re.test(toText(l)) === (op === 'match');
    }
    case 'contains':
    case 'notcontains': {
      const list = Array.isArray(l) ? l : [l];
      return list.some((x) => equal(x, r, cs)) === (op === 'contains');
    }
    case 'in':
    case 'notin': {
      const list = Array.isArray(r) ? r : [r];
      return list.some((x) => equal(l, x, cs)) === (op === 'in');
    }
  }
}

/**
 * A comparison. As in PowerShell, an array on the left filters: `@(1,2,3) -gt 1` is
 * `2,3` (true when any element matched), except for -contains/-notcontains.
 */
export function compare(op: Comparison, left: unknown, right: unknown, caseSensitive = false): unknown {
  if (Array.isArray(left) && op !== 'contains' && op !== 'notcontains') {
    return left.filter((x) => scalarCompare(op, x, right, caseSensitive));
  }
  return scalarCompare(op, left, right, caseSensitive);
}
