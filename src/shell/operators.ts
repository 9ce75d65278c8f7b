/**
 * PowerShell's operators beyond comparison, for the script subset: arithmetic, ranges,
 * `-f`, `-join`, `-split`, `-replace`, casts, indexing and the listed string and date
 * methods. Each failure is a UmpinError the runtime reports at the statement.
 */
import { UmpinError } from '../domain/errors.js';
import { isPlainObject, psObject, typeNameOf, getProperty } from './ps-object.js';
import { ArgNumber, formatDate, Hashtable, isTrue, SecureString, toText } from './values.js';

/** the longest list a range may make: `1..10000000` must not fill the memory */
export const MAX_RANGE = 100_000;
/** the longest string `*` may make */
export const MAX_REPEAT_LENGTH = 10_000_000;

export function runtimeError(rule: string): UmpinError {
  return new UmpinError({ code: 'UMPIN_SHELL_RUNTIME_ERROR', params: { rule } });
}

function unwrap(v: unknown): unknown {
  return v instanceof ArgNumber ? v.value : v;
}

/** a value as a number for arithmetic, as PowerShell converts it; null is 0 */
export function toNumber(value: unknown, what = 'a number'): number {
  const v = unwrap(value);
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return 0;
    const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : Number(t);
    if (!Number.isNaN(n)) return n;
  }
  throw runtimeError(`Cannot convert value "${shortText(v)}" to ${what}`);
}

/** a value shown in an error: short, and long digit runs (a PIN, perhaps) hidden */
export function shortText(v: unknown): string {
  const t = toText(v);
  const s = t.length > 40 ? `${t.slice(0, 40)}…` : t;
  return s.replace(/\d{4,}/g, (d) => '#'.repeat(d.length));
}

export function arithmetic(op: '-' | '*' | '/' | '%', left: unknown, right: unknown): unknown {
  const l = unwrap(left);
  const r = unwrap(right);
  if (op === '*') {
    if (typeof l === 'string') return repeat(l, toNumber(r), (s, n) => s.repeat(n), l.length);
    if (Array.isArray(l)) {
      return repeat(l, toNumber(r), (a, n) => Array.from({ length: n }, () => a).flat(), l.length);
    }
  }
  if (Array.isArray(l)) throw runtimeError(`The '${op}' operator cannot take a list on its left`);
  if (l instanceof Date && op === '-') {
    if (r instanceof Date) return (l.getTime() - r.getTime()) / 86_400_000;
    throw runtimeError('Only a date can be subtracted from a date; use .AddDays(-n) to go back');
  }
  const a = toNumber(l);
  const b = toNumber(r);
  switch (op) {
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw runtimeError('Attempted to divide by zero');
      return a / b;
    case '%':
      if (b === 0) throw runtimeError('Attempted to divide by zero');
      return a % b;
  }
}

function repeat<T>(value: T, times: number, make: (v: T, n: number) => T, size: number): T {
  const n = Math.trunc(times);
  if (n < 0) throw runtimeError('A string or list cannot be repeated a negative number of times');
  if (n * Math.max(size, 1) > MAX_REPEAT_LENGTH)
    throw runtimeError(`The result would hold more than ${MAX_REPEAT_LENGTH} items`);
  return make(value, n);
}

export function range(from: unknown, to: unknown): number[] {
  const a = Math.round(toNumber(from));
  const b = Math.round(toNumber(to));
  if (Math.abs(b - a) + 1 > MAX_RANGE) throw runtimeError(`A range may hold at most ${MAX_RANGE} numbers`);
  const step = a <= b ? 1 : -1;
  const out: number[] = [];
  for (let i = a; step > 0 ? i <= b : i >= b; i += step) out.push(i);
  return out;
}

/** the items of a value as the operators see them: $null none, a list its elements */
export function items(value: unknown): unknown[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function regex(pattern: string, caseSensitive: boolean, global: boolean): RegExp {
  try {
    return new RegExp(pattern, `${caseSensitive ? '' : 'i'}${global ? 'g' : ''}`);
  } catch {
    throw runtimeError(`The regular expression '${shortText(pattern)}' is not valid`);
  }
}

export function join(left: unknown, right: unknown): string {
  return items(left)
    .map(toText)
    .join(right === undefined ? '' : toText(right));
}

export function split(left: unknown, right: unknown, caseSensitive: boolean): string[] {
  const [pattern, max] = Array.isArray(right) ? [right[0], right[1]] : [right, undefined];
  const limit = max === undefined ? 0 : Math.trunc(toNumber(max));
  const out: string[] = [];
  for (const item of items(left)) {
    const text = toText(item);
    if (pattern === undefined) {
      out.push(
        ...text
          .trim()
          .split(/\s+/)
          .filter((s) => s !== ''),
      );
      continue;
    }
    if (limit <= 0) {
      out.push(...text.split(regex(toText(pattern), caseSensitive, false)));
      continue;
    }
    // at most `limit` parts: the last keeps the rest of the text, separators included
    let from = 0;
    let parts = 0;
    for (const m of text.matchAll(regex(toText(pattern), caseSensitive, true))) {
      if (parts === limit - 1 || m[0] === '') break;
      out.push(text.slice(from, m.index));
      from = m.index + m[0].length;
      parts++;
    }
    out.push(text.slice(from));
  }
  return out;
}

export function replace(left: unknown, right: unknown, caseSensitive: boolean): unknown {
  const [pattern, replacement] = Array.isArray(right) ? [right[0], right[1]] : [right, ''];
  const re = regex(toText(pattern), caseSensitive, true);
  const by = toText(replacement);
  const one = (v: unknown) => toText(v).replace(re, by);
  return Array.isArray(left) ? left.map(one) : one(left);
}

/** `-match` on one value: the match, for $Matches, or null */
export function matchOf(left: unknown, right: unknown, caseSensitive: boolean): Hashtable | null {
  const m = regex(toText(right), caseSensitive, false).exec(toText(left));
  if (!m) return null;
  const h = new Hashtable();
  m.forEach((g, i) => {
    if (g !== undefined) h.set(String(i), g);
  });
  for (const [name, g] of Object.entries(m.groups ?? {})) if (g !== undefined) h.set(name, g);
  return h;
}

// ---------------------------------------------------------------- -f and ToString(format)

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** .NET's custom date format (`yyyy-MM-dd HH:mm:ss`, `yyyyMMdd`, `dddd`), and the standard `d`, `s`, `o`, `u` */
export function formatDateCustom(d: Date, format: string): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const standard: Record<string, string> = {
    d: 'M/d/yyyy',
    D: 'dddd, MMMM d, yyyy',
    s: "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
    u: "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
    t: 'h:mm tt',
    T: 'h:mm:ss tt',
    g: 'M/d/yyyy h:mm tt',
    G: 'M/d/yyyy h:mm:ss tt',
  };
  if (format === 'o' || format === 'O') return d.toISOString().replace('Z', '0000Z');
  const f = standard[format] ?? format;
  let out = '';
  for (let i = 0; i < f.length; ) {
    const c = f[i]!;
    if (c === "'" || c === '"') {
      const close = f.indexOf(c, i + 1);
      out += f.slice(i + 1, close < 0 ? f.length : close);
      i = close < 0 ? f.length : close + 1;
      continue;
    }
    if (c === '\\' && i + 1 < f.length) {
      out += f[i + 1];
      i += 2;
      continue;
    }
    let n = 1;
    while (f[i + n] === c) n++;
    const h = d.getHours();
    switch (c) {
      case 'y':
        out += n === 2 ? pad(d.getFullYear() % 100) : pad(d.getFullYear(), n);
        break;
      case 'M':
        out += n >= 4 ? MONTHS[d.getMonth()] : n === 3 ? MONTHS[d.getMonth()]!.slice(0, 3) : pad(d.getMonth() + 1, n);
        break;
      case 'd':
        out += n >= 4 ? DAYS[d.getDay()] : n === 3 ? DAYS[d.getDay()]!.slice(0, 3) : pad(d.getDate(), n);
        break;
      case 'H':
        out += pad(h, n);
        break;
      case 'h':
        out += pad(h % 12 === 0 ? 12 : h % 12, n);
        break;
      case 'm':
        out += pad(d.getMinutes(), n);
        break;
      case 's':
        out += pad(d.getSeconds(), n);
        break;
      case 'f':
        out += pad(d.getMilliseconds(), 3).slice(0, n);
        break;
      case 't':
        out += (h < 12 ? 'AM' : 'PM').slice(0, n);
        break;
      default:
        out += c.repeat(n);
    }
    i += n;
  }
  return out;
}

function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** a number in a .NET standard format: N2, F0, D5, P1, X, C */
function formatNumber(n: number, format: string): string {
  const m = /^([NnFfDdPpXxCcGgEe])(\d{0,2})$/.exec(format);
  if (!m) return String(n);
  const kind = m[1]!.toUpperCase();
  const p = m[2] === '' ? undefined : Number(m[2]);
  const fixed = (x: number, digits: number) => {
    const [whole, frac] = Math.abs(x).toFixed(digits).split('.');
    return `${x < 0 && Number(Math.abs(x).toFixed(digits)) !== 0 ? '-' : ''}${group(whole!)}${frac ? `.${frac}` : ''}`;
  };
  switch (kind) {
    case 'N':
      return fixed(n, p ?? 2);
    case 'C':
      return `$${fixed(n, p ?? 2)}`;
    case 'F':
      return n.toFixed(p ?? 2);
    case 'D':
      return `${n < 0 ? '-' : ''}${String(Math.abs(Math.trunc(n))).padStart(p ?? 0, '0')}`;
    case 'P':
      return `${fixed(n * 100, p ?? 2)}%`;
    case 'X': {
      const s = Math.trunc(n)
        .toString(16)
        .padStart(p ?? 0, '0');
      return m[1] === 'x' ? s : s.toUpperCase();
    }
    case 'E':
      return n.toExponential(p ?? 6).toUpperCase();
    default:
      return String(n);
  }
}

/** a value formatted as `{0:format}` and ToString('format') do */
export function formatValue(value: unknown, format: string | undefined): string {
  const v = unwrap(value);
  if (format === undefined || format === '') return toText(v);
  if (v instanceof Date) return formatDateCustom(v, format);
  if (typeof v === 'number') {
    if (/^[0#,.]+$/.test(format)) {
      // custom digits: 0000 pads, #,## groups, .00 fixes the decimals
      const decimals = format.includes('.') ? format.split('.')[1]!.replace(/[^0#]/g, '').length : 0;
      const width = format.split('.')[0]!.replace(/[^0]/g, '').length;
      const [whole, frac] = Math.abs(v).toFixed(decimals).split('.');
      const padded = whole!.padStart(width, '0');
      return `${v < 0 ? '-' : ''}${format.includes(',') ? group(padded) : padded}${frac ? `.${frac}` : ''}`;
    }
    return formatNumber(v, format);
  }
  return toText(v);
}

/** `"{0} of {1,5:N0}" -f $a, $b` */
export function format(template: unknown, args: unknown): string {
  const list = items(args);
  const text = toText(template);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '{' && text[i + 1] === '{') {
      out += '{';
      i++;
    } else if (c === '}' && text[i + 1] === '}') {
      out += '}';
      i++;
    } else if (c === '{') {
      const close = text.indexOf('}', i);
      const m = close < 0 ? null : /^(\d+)\s*(?:,\s*(-?\d+))?\s*(?::(.*))?$/s.exec(text.slice(i + 1, close));
      if (!m) throw runtimeError('The format string is not valid: a {n} item is malformed');
      const index = Number(m[1]);
      if (index >= list.length)
        throw runtimeError(`The format string names {${index}}, but only ${list.length} values follow -f`);
      let s = formatValue(list[index], m[3]);
      const width = m[2] === undefined ? 0 : Number(m[2]);
      if (width > 0) s = s.padStart(width);
      else if (width < 0) s = s.padEnd(-width);
      out += s;
      i = close;
    } else if (c === '}') {
      throw runtimeError("The format string is not valid: a '}' has no '{'");
    } else {
      out += c;
    }
  }
  return out;
}

// ---------------------------------------------------------------- casts

function roundHalfEven(n: number): number {
  const r = Math.round(n);
  return Math.abs(n % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function toDate(value: unknown): Date {
  const v = unwrap(value);
  if (v instanceof Date) return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const d = new Date(v);
    if (!Number.isNaN(d.getTime())) return d;
  }
  throw runtimeError(`Cannot convert value "${shortText(v)}" to a date`);
}

function toInt(v: unknown): number {
  const n = toNumber(v, 'an integer');
  if (!Number.isFinite(n)) throw runtimeError(`Cannot convert value "${shortText(v)}" to an integer`);
  return roundHalfEven(n);
}

/** `[type]value` */
export function cast(type: string, value: unknown): unknown {
  const v = unwrap(value);
  switch (type) {
    case 'int':
    case 'long':
      return toInt(v);
    case 'double':
    case 'decimal':
      return toNumber(v);
    case 'string':
      return v === null || v === undefined ? '' : toText(v);
    case 'bool':
      return isTrue(v);
    case 'datetime':
      return toDate(v);
    case 'array':
    case 'object[]':
      return items(v);
    case 'string[]':
      return items(v).map(toText);
    case 'int[]':
      return items(v).map(toInt);
    case 'hashtable':
      if (v instanceof Hashtable) return v;
      throw runtimeError(`Cannot convert value "${shortText(v)}" to a hashtable`);
    case 'pscustomobject':
      if (v instanceof Hashtable) {
        const o: Record<string, unknown> = {};
        for (const k of v.keys()) o[k] = v.get(k);
        return psObject('System.Management.Automation.PSCustomObject', o);
      }
      return v;
    case 'securestring':
      if (v instanceof SecureString) return v;
      throw runtimeError('Only Read-Host -AsSecureString or ConvertTo-SecureString makes a secure string');
    default:
      return v;
  }
}

// ---------------------------------------------------------------- indexing and members

export function index(target: unknown, key: unknown): unknown {
  const t = unwrap(target);
  if (t === null || t === undefined) throw runtimeError('Cannot index into a null value');
  if (Array.isArray(key)) return key.map((k) => index(t, k));
  if (t instanceof Hashtable) return t.get(toText(key)) ?? null;
  if (Array.isArray(t) || typeof t === 'string') {
    let i = Math.trunc(toNumber(key, 'an index'));
    if (i < 0) i += t.length;
    const v = i >= 0 && i < t.length ? t[i] : null;
    return v ?? null;
  }
  if (isPlainObject(t) && typeof unwrap(key) === 'string') return getProperty(t, key as string) ?? null;
  const i = Math.trunc(toNumber(key, 'an index'));
  return i === 0 || i === -1 ? t : null;
}

export function setIndex(target: unknown, key: unknown, value: unknown): void {
  if (target instanceof Hashtable) {
    target.set(toText(key), value);
    return;
  }
  if (Array.isArray(target)) {
    let i = Math.trunc(toNumber(key, 'an index'));
    if (i < 0) i += target.length;
    if (i < 0 || i >= target.length) throw runtimeError('Index was outside the bounds of the array');
    target[i] = value;
    return;
  }
  if (target === null || target === undefined) throw runtimeError('Cannot index into a null value');
  throw runtimeError('Only lists and hashtables can be assigned by index');
}

const DATE_MEMBERS: Record<string, (d: Date) => unknown> = {
  year: (d) => d.getFullYear(),
  month: (d) => d.getMonth() + 1,
  day: (d) => d.getDate(),
  hour: (d) => d.getHours(),
  minute: (d) => d.getMinutes(),
  second: (d) => d.getSeconds(),
  dayofweek: (d) => DAYS[d.getDay()],
  date: (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()),
};

/** `.Name`, with `.Count` and `.Length` on anything, and a date's parts */
export function member(target: unknown, name: string): unknown {
  const t = unwrap(target);
  const lower = name.toLowerCase();
  if (t instanceof Hashtable) {
    if (lower === 'count') return t.entries.size;
    if (lower === 'keys') return t.keys();
    if (lower === 'values') return t.keys().map((k) => t.get(k));
    return t.get(name) ?? null;
  }
  if (t instanceof Date && DATE_MEMBERS[lower]) return DATE_MEMBERS[lower](t);
  const v = getProperty(t, name);
  if (v !== undefined) return v;
  if (lower === 'count' || lower === 'length') return t === null || t === undefined ? 0 : 1;
  return null;
}

export function setMember(target: unknown, name: string, value: unknown): void {
  if (target instanceof Hashtable) {
    target.set(name, value);
    return;
  }
  if (isPlainObject(target) && typeNameOf(target) !== undefined) {
    const key = Object.keys(target).find((k) => k.toLowerCase() === name.toLowerCase());
    if (key === undefined) throw runtimeError(`The property '${name}' cannot be found on this object`);
    target[key] = value;
    return;
  }
  if (isPlainObject(target)) {
    const key = Object.keys(target).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    (target as Record<string, unknown>)[key] = value;
    return;
  }
  throw runtimeError(`The property '${name}' cannot be set on this value`);
}

// ---------------------------------------------------------------- methods

function arg(args: unknown[], i: number, method: string): unknown {
  if (i >= args.length) throw runtimeError(`Cannot find an overload for "${method}" with ${args.length} arguments`);
  return unwrap(args[i]);
}

/** the listed string methods, ToString and the date methods; a list applies them to each item */
export function callMethod(target: unknown, method: string, args: unknown[]): unknown {
  const t = unwrap(target);
  const m = method.toLowerCase();
  if (t === null || t === undefined) throw runtimeError('You cannot call a method on a null-valued expression');
  if (Array.isArray(t)) {
    if (m === 'tostring') return toText(t);
    return t.map((x) => callMethod(x, method, args));
  }
  if (t instanceof Date) {
    const add = (ms: number) => new Date(t.getTime() + toNumber(arg(args, 0, method)) * ms);
    if (m === 'adddays') return add(86_400_000);
    if (m === 'addhours') return add(3_600_000);
    if (m === 'addminutes') return add(60_000);
    if (m === 'tostring') return args.length > 0 ? formatDateCustom(t, toText(args[0])) : formatDate(t);
  }
  if (m === 'tostring') return args.length > 0 ? formatValue(t, toText(args[0])) : toText(t);
  if (typeof t !== 'string') {
    if (m === 'adddays' || m === 'addhours' || m === 'addminutes')
      throw runtimeError(`${method} is a method of dates only`);
    if (typeof t === 'number' || typeof t === 'boolean') return callMethod(toText(t), method, args);
    throw runtimeError(`${method} is a method of strings only`);
  }
  const s = t;
  const text = (i: number) => toText(arg(args, i, method));
  switch (m) {
    case 'tolower':
      return s.toLowerCase();
    case 'toupper':
      return s.toUpperCase();
    case 'trim':
    case 'trimstart':
    case 'trimend': {
      const chars = args.length > 0 ? args.map((a) => toText(a)).join('') : null;
      const strip = (c: string) => (chars === null ? /\s/.test(c) : chars.includes(c));
      let a = 0;
      let b = s.length;
      if (m !== 'trimend') while (a < b && strip(s[a]!)) a++;
      if (m !== 'trimstart') while (b > a && strip(s[b - 1]!)) b--;
      return s.slice(a, b);
    }
    case 'split': {
      const seps = args.length === 0 ? [' '] : args.flatMap((a) => items(unwrap(a)).map(toText));
      if (seps.every((x) => x.length === 1) || args.length > 1) {
        const chars = seps.join('');
        const out: string[] = [];
        let cur = '';
        for (const c of s) {
          if (chars.includes(c)) {
            out.push(cur);
            cur = '';
          } else cur += c;
        }
        out.push(cur);
        return out;
      }
      return s.split(seps[0]!);
    }
    case 'replace':
      return text(0) === '' ? s : s.split(text(0)).join(text(1));
    case 'startswith':
      return s.startsWith(text(0));
    case 'endswith':
      return s.endsWith(text(0));
    case 'contains':
      return s.includes(text(0));
    case 'indexof':
      return s.indexOf(text(0));
    case 'substring': {
      const start = toNumber(arg(args, 0, method));
      const length = args.length > 1 ? toNumber(arg(args, 1, method)) : s.length - start;
      if (start < 0 || length < 0 || start + length > s.length)
        throw runtimeError('Substring: the start index and length must lie within the string');
      return s.substr(start, length);
    }
    case 'padleft':
    case 'padright': {
      const width = toNumber(arg(args, 0, method));
      const fill = args.length > 1 ? text(1).slice(0, 1) || ' ' : ' ';
      return m === 'padleft' ? s.padStart(width, fill) : s.padEnd(width, fill);
    }
    default:
      throw runtimeError(`${method} is not a method umpin's shell runs`);
  }
}
