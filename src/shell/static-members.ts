/**
 * The few static members of .NET types a script may use (STATIC_MEMBERS in ast.ts lists them;
 * the parser refuses every other): the date now and today, rounding, text checks, parsing a
 * number or a date in a known format. Nothing else of .NET is reachable.
 */
import { items, runtimeError, shortText, toNumber } from './operators.js';
import { plain, toText } from './values.js';

/** .NET's Math.Round: halves go to the even neighbour, unless digits say otherwise */
function roundHalfEven(n: number, digits: number): number {
  if (!Number.isInteger(digits) || digits < 0 || digits > 15)
    throw runtimeError('[math]::Round takes 0 to 15 decimal places');
  const f = 10 ** digits;
  const x = n * f;
  const r = Math.round(x);
  const half = Math.abs(x % 1) === 0.5;
  return (half && r % 2 !== 0 ? r - 1 : r) / f;
}

/** `[int]::Parse('42')`: whole-number text only, as .NET's Int32.Parse */
function parseInt32(value: unknown): number {
  const text = toText(value).trim();
  if (!/^[+-]?\d+$/.test(text)) throw runtimeError(`[int]::Parse: "${shortText(text)}" is not a whole number`);
  const n = Number(text);
  if (n > 2147483647 || n < -2147483648) throw runtimeError('[int]::Parse: the number is too large or too small');
  return n;
}

const DATE_TOKENS: Record<string, { re: string; part: 'y' | 'M' | 'd' | 'H' | 'h' | 'm' | 's' | 't' }> = {
  yyyy: { re: '(\\d{4})', part: 'y' },
  yy: { re: '(\\d{2})', part: 'y' },
  MM: { re: '(\\d{2})', part: 'M' },
  M: { re: '(\\d{1,2})', part: 'M' },
  dd: { re: '(\\d{2})', part: 'd' },
  d: { re: '(\\d{1,2})', part: 'd' },
  HH: { re: '(\\d{2})', part: 'H' },
  H: { re: '(\\d{1,2})', part: 'H' },
  hh: { re: '(\\d{2})', part: 'h' },
  h: { re: '(\\d{1,2})', part: 'h' },
  mm: { re: '(\\d{2})', part: 'm' },
  m: { re: '(\\d{1,2})', part: 'm' },
  ss: { re: '(\\d{2})', part: 's' },
  s: { re: '(\\d{1,2})', part: 's' },
  tt: { re: '(AM|PM)', part: 't' },
};

/** `[datetime]::ParseExact('20261125', 'yyyyMMdd', $null)`: the numeric parts of a custom format, local time */
function parseExact(text: string, format: string): Date {
  const parts: Array<(typeof DATE_TOKENS)[string]['part']> = [];
  let re = '';
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    let n = 1;
    while (format[i + n] === c) n++;
    const token = DATE_TOKENS[c.repeat(n)];
    if (token) {
      re += token.re;
      parts.push(token.part);
    } else if (/[a-zA-Z]/.test(c)) {
      throw runtimeError(
        `[datetime]::ParseExact takes the format parts yyyy yy MM M dd d HH H hh h mm m ss s tt, not '${c.repeat(n)}'`,
      );
    } else {
      re += c.repeat(n).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    i += n;
  }
  const m = new RegExp(`^${re}$`, 'i').exec(text.trim());
  if (!m) throw runtimeError(`[datetime]::ParseExact: "${shortText(text)}" does not have the format '${format}'`);
  const v = { y: 1, M: 1, d: 1, H: 0, h: -1, m: 0, s: 0, pm: false };
  parts.forEach((p, i) => {
    const g = m[i + 1]!;
    if (p === 't') v.pm = g.toUpperCase() === 'PM';
    else if (p === 'y') v.y = g.length === 2 ? 2000 + Number(g) : Number(g);
    else v[p] = Number(g);
  });
  const hour = v.h >= 0 ? (v.h % 12) + (v.pm ? 12 : 0) : v.H;
  const d = new Date(v.y, v.M - 1, v.d, hour, v.m, v.s);
  if (d.getMonth() !== v.M - 1 || d.getDate() !== v.d || hour > 23 || v.m > 59 || v.s > 59)
    throw runtimeError(`[datetime]::ParseExact: "${shortText(text)}" is not a valid date`);
  return d;
}

/** the value of `[type]::member` (`args` null) or `[type]::member(args)`; the parser has checked the name and arity */
export function staticMember(type: string, member: string, args: unknown[] | null): unknown {
  const a = (args ?? []).map(plain);
  const key = `${type}::${member}`;
  switch (key) {
    case 'datetime::now':
    case 'datetime::utcnow':
      return new Date();
    case 'datetime::today': {
      const now = new Date();
      return new Date(now.getFullYear(), now.getMonth(), now.getDate());
    }
    case 'datetime::parseexact':
      return parseExact(toText(a[0]), toText(a[1]));
    case 'math::round':
      return roundHalfEven(toNumber(a[0]), a.length > 1 ? toNumber(a[1]) : 0);
    case 'math::floor':
      return Math.floor(toNumber(a[0]));
    case 'math::ceiling':
      return Math.ceil(toNumber(a[0]));
    case 'math::max':
      return Math.max(toNumber(a[0]), toNumber(a[1]));
    case 'math::min':
      return Math.min(toNumber(a[0]), toNumber(a[1]));
    case 'math::abs':
      return Math.abs(toNumber(a[0]));
    case 'string::isnullorempty':
      return a[0] === null || a[0] === undefined || toText(a[0]) === '';
    case 'string::isnullorwhitespace':
      return a[0] === null || a[0] === undefined || toText(a[0]).trim() === '';
    case 'string::join':
      return items(a[1]).map(toText).join(toText(a[0]));
    case 'string::empty':
      return '';
    case 'int::parse':
      return parseInt32(a[0]);
    case 'int::maxvalue':
      return 2147483647;
    case 'int::minvalue':
      return -2147483648;
    default:
      throw runtimeError(`[${type}]::${member} is not a member umpin's shell runs`);
  }
}
