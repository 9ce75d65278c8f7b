import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import type { MailPayload } from '../domain/mail-payload.js';
import type { OutboxKind } from '../domain/outbox-message.js';
import {
  MAIL_LANGUAGES,
  isPinKind,
  type BaseContext,
  type Block,
  type Catalogue,
  type ContextByKind,
  type MailContent,
  type MailLanguage,
} from './messages/catalogue.js';
import { en } from './messages/en.js';
import { zhTW } from './messages/zh-TW.js';

export { MAIL_LANGUAGES };
export type { MailLanguage };

export interface RenderInput {
  /** outbox row id (UUID) */
  id: string;
  kind: OutboxKind;
  to: string;
  /** BCP-47 tag of the user, e.g. 'en-US', 'zh-Hant-TW' */
  language: string;
  payload: MailPayload & { expiresAt?: number; daysLeft?: number };
  /** e.g. 'Contoso Voice Mail <voicemail@contoso.com>' */
  from: string;
  organizationName: string;
  messageIdDomain: string;
  /** epoch ms, the Date header */
  createdAt: number;
  /** IANA zone for dates in the text; 'UTC' when absent or unknown */
  timeZone?: string;
}

export interface RenderedMessage {
  /** '<id@domain>' */
  messageId: string;
  subject: string;
  text: string;
  html: string;
  language: MailLanguage;
  /** the full RFC 5322 message, CRLF line ends */
  raw: Buffer;
}

const CATALOGUES: { readonly [L in MailLanguage]: Catalogue } = { en, 'zh-TW': zhTW };

const DAY_MS = 86_400_000;
// ECMAScript's time value range; Intl throws outside it
const MAX_TIME = 8.64e15;

/** zh-TW, zh-Hant*, zh-HK, zh-MO → zh-TW; everything else (Simplified Chinese included) → en. */
export function pickLanguage(tag: string): MailLanguage {
  const parts = String(tag).trim().toLowerCase().split(/[-_]/);
  if (parts[0] !== 'zh') return 'en';
  const rest = parts.slice(1);
  if (rest.includes('hant')) return 'zh-TW';
  if (rest.includes('hans')) return 'en';
  return rest.some((p) => p === 'tw' || p === 'hk' || p === 'mo') ? 'zh-TW' : 'en';
}

const ID_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

/**
 * The Message-ID depends on the row alone, so a retry after an unclear SMTP failure sends
 * the same Message-ID and receivers (and the maildrop) can recognise the duplicate.
 */
export function messageIdFor(id: string, domain: string): string {
  const d = domain.trim().toLowerCase();
  if (!ID_ATOM.test(id)) throw new Error('the outbox id cannot be used in a Message-ID');
  if (!DOMAIN.test(d)) throw new Error('the Message-ID domain is not a valid host name');
  return `<${id}@${d}>`;
}

/** Control characters (CR/LF above all) would break lines in headers and in the text part. */
function singleLine(v: unknown): string {
  return String(v ?? '')
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .trim();
}

function multiLine(v: unknown): string {
  return String(v ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .trim();
}

function strings(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map(singleLine).filter((s) => s !== '');
}

function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
}

function instant(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_TIME ? v : null;
}

/**
 * Building an Intl object costs more than the rest of a message's text (~0.25 ms), and a
 * worker renders thousands with the same zone and a few locales: keep the results. The keys
 * are a configured zone and users' language tags, so the maps stay small; a bound keeps
 * odd tags from growing them.
 */
function memo<T>(make: (key: string) => T, limit = 256): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined) {
      v = make(key);
      if (cache.size >= limit) cache.clear();
      cache.set(key, v);
    }
    return v;
  };
}

const safeTimeZone = memo((zone: string): string => {
  if (!zone) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return 'UTC';
  }
});

const formatter = memo((key: string) => {
  const { locale, ...options } = JSON.parse(key) as Intl.DateTimeFormatOptions & { locale: string };
  return new Intl.DateTimeFormat(locale, options);
});

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return formatter(JSON.stringify({ locale, ...options }));
}

/** The user's own tag when it is of the mail's language (en-GB dates for en-GB), else the catalogue's. */
function dateLocale(tag: string, cat: Catalogue): string {
  return userLocale(`${cat.language}\0${tag}`) ?? cat.dateLocale;
}

const userLocale = memo((key: string): string | null => {
  const cut = key.indexOf('\0');
  const language = key.slice(0, cut);
  const tag = key.slice(cut + 1);
  const primary = language === 'en' ? 'en' : 'zh';
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim().replace(/_/g, '-'));
    if (
      canonical &&
      canonical.toLowerCase().split('-')[0] === primary &&
      Intl.DateTimeFormat.supportedLocalesOf(canonical).length > 0
    ) {
      return canonical;
    }
  } catch {
    // not a well-formed tag: the catalogue's locale will do
  }
  return null;
});

/** Calendar date of an instant in a zone, as days since the epoch: "in 3 days" counts dates, not 24 h spans. */
function dayNumber(ms: number, timeZone: string): number {
  const parts = dateFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(ms);
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day')) / DAY_MS;
}

/** "Monday, March 10, 2025 at 6:00 PM Taiwan Standard Time": a long zone name, as a user may be anywhere. */
function dateTimeWithZone(ms: number, locale: string, timeZone: string, cat: Catalogue): string {
  const dateTime = dateFormat(locale, {
    timeZone,
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(ms);
  const zone = dateFormat(locale, { timeZone, timeZoneName: 'long' })
    .formatToParts(ms)
    .find((p) => p.type === 'timeZoneName')?.value;
  return zone ? cat.withZone(dateTime, zone) : dateTime;
}

function buildContent(input: RenderInput, cat: Catalogue): MailContent {
  const p = input.payload;
  const timeZone = safeTimeZone(input.timeZone ?? '');
  const locale = dateLocale(input.language, cat);
  const base: BaseContext = {
    organizationName: singleLine(input.organizationName),
    displayName: singleLine(p.displayName),
    primarySmtpAddress: singleLine(p.primarySmtpAddress),
    extensions: strings(p.extensions),
    voiceAccessNumbers: strings(p.voiceAccessNumbers),
    dialPlanName: singleLine(p.dialPlanName),
  };
  const m = cat.messages;
  const kind = input.kind;
  if (isPinKind(kind)) {
    const url = singleLine(p.pinLink);
    // PINDelivery Link: the link alone, even were a PIN in the payload too
    const pin = url === '' ? singleLine(p.pin) : null;
    // the error text ends up in the outbox row's last error: it must not echo the payload
    if (pin === '') throw new Error(`a ${kind} mail was queued without a PIN`);
    if (url !== '' && !/^https?:\/\/[^\s"<>]+$/.test(url)) throw new Error(`a ${kind} mail was queued with a bad link`);
    const linkExpires = instant(p.pinLinkExpiresAt);
    const policy = multiLine(p.policyText);
    const ctx: ContextByKind[typeof kind] = {
      ...base,
      pin,
      link:
        url === ''
          ? null
          : {
              url,
              expiresAt: linkExpires === null ? null : dateTimeWithZone(linkExpires, locale, timeZone, cat),
            },
      pinExpired: p.pinExpired === true,
      policyText: policy === '' ? null : policy,
      failedAttempts: count(p.failedAttempts),
    };
    return m[kind](ctx);
  }
  // Below, the contexts are built field by field, never spread from the payload: a PIN the
  // payload happens to carry cannot reach a kind that must not show one.
  switch (kind) {
    case 'lockout': {
      const until = instant(p.lockedUntil);
      const lockedUntil = until === null ? null : dateTimeWithZone(until, locale, timeZone, cat);
      return m.lockout({ ...base, failedAttempts: count(p.failedAttempts), lockedUntil });
    }
    case 'expiry-reminder': {
      const expiresAt = instant(p.expiresAt);
      const created = instant(input.createdAt) ?? 0;
      const daysLeft =
        typeof p.daysLeft === 'number' && Number.isFinite(p.daysLeft)
          ? Math.max(0, Math.floor(p.daysLeft))
          : expiresAt === null
            ? null
            : Math.max(0, dayNumber(expiresAt, timeZone) - dayNumber(created, timeZone));
      const expiresOn =
        expiresAt === null ? null : dateFormat(locale, { timeZone, dateStyle: 'full' }).format(expiresAt);
      return m['expiry-reminder']({ ...base, daysLeft, expiresOn });
    }
    case 'sign-in-code': {
      const code = singleLine(p.code);
      // as for a PIN: the error text ends up in the row's last error, so it names no value
      if (code === '') throw new Error('a sign-in-code mail was queued without a code');
      const expiresAt = instant(p.expiresAt);
      return m['sign-in-code']({
        ...base,
        code,
        validMinutes: count(p.validMinutes),
        expiresAt: expiresAt === null ? null : dateTimeWithZone(expiresAt, locale, timeZone, cat),
      });
    }
    default: {
      const unknown: never = kind;
      throw new Error(`unknown mail kind ${String(unknown)}`);
    }
  }
}

// ---- plain text ------------------------------------------------------------------------

interface Punctuation {
  colon: string;
  list: string;
}

const PUNCTUATION: { readonly [L in MailLanguage]: Punctuation } = {
  en: { colon: ': ', list: ', ' },
  'zh-TW': { colon: '：', list: '、' },
};

function textBlock(b: Block, pn: Punctuation): string {
  switch (b.type) {
    case 'paragraph':
    case 'notice':
      return b.text;
    case 'secret':
      return `    ${b.label}${pn.colon}${b.value}`;
    case 'link':
      return `    ${b.label}${pn.colon}${b.url}`;
    case 'fields': {
      const lines = b.fields.map((f) => `  ${f.label}${pn.colon}${f.values.join(pn.list)}`);
      return (b.heading === null ? lines : [b.heading, ...lines]).join('\n');
    }
  }
}

function renderText(c: MailContent, pn: Punctuation): string {
  const parts = [c.greeting, ...c.blocks.map((b) => textBlock(b, pn))];
  if (c.policyText !== null) parts.push('----------', c.policyText);
  parts.push(c.signature, c.footer);
  return `${parts.join('\n\n')}\n`;
}

// ---- HTML --------------------------------------------------------------------------------

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every interpolated value goes through this: names, addresses, numbers and the policy texts. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

function escapeLines(s: string): string {
  return escapeHtml(s).replace(/\n/g, '<br>\n');
}

const MUTED = '#4b5563';

function htmlBlock(b: Block): string {
  switch (b.type) {
    case 'paragraph':
      return `<p style="margin:0 0 16px;">${escapeHtml(b.text)}</p>`;
    case 'notice':
      return `<p style="margin:0 0 16px;padding:10px 14px;border-left:4px solid #d97706;background:#fffbeb;">${escapeHtml(b.text)}</p>`;
    case 'secret':
      return (
        `<p style="margin:0 0 6px;font-size:13px;color:${MUTED};">${escapeHtml(b.label)}</p>` +
        `<p style="margin:0 0 20px;"><span style="display:inline-block;padding:12px 20px;border:1px solid #cbd5e1;border-radius:6px;background:#f1f5f9;` +
        `font-family:Consolas,'Courier New',monospace;font-size:28px;font-weight:700;letter-spacing:4px;color:#0f172a;">${escapeHtml(b.value)}</span></p>`
      );
    case 'link':
      return (
        `<p style="margin:0 0 6px;font-size:13px;color:${MUTED};">${escapeHtml(b.label)}</p>` +
        `<p style="margin:0 0 8px;"><a href="${escapeHtml(b.url)}" style="display:inline-block;padding:10px 20px;border-radius:6px;background:#1d4ed8;` +
        `color:#ffffff;font-weight:600;text-decoration:none;">${escapeHtml(b.text)}</a></p>` +
        `<p style="margin:0 0 20px;font-size:13px;color:${MUTED};word-break:break-all;">${escapeHtml(b.url)}</p>`
      );
    case 'fields': {
      const heading =
        b.heading === null ? '' : `<p style="margin:8px 0 8px;font-weight:600;">${escapeHtml(b.heading)}</p>`;
      const rows = b.fields
        .map(
          (f) =>
            `<tr><td style="padding:3px 16px 3px 0;color:${MUTED};vertical-align:top;white-space:nowrap;">${escapeHtml(f.label)}</td>` +
            `<td style="padding:3px 0;font-weight:600;">${f.values.map(escapeHtml).join('<br>')}</td></tr>`,
        )
        .join('\n');
      return `${heading}<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 16px;border-collapse:collapse;">\n${rows}\n</table>`;
    }
  }
}

function renderHtml(c: MailContent, cat: Catalogue): string {
  // Exchange allowed "simple HTML" in UMEnabledText; umpin escapes it like any other value:
  // an administrator's text cannot inject markup or scripts, and it still reads as text.
  const policy =
    c.policyText === null
      ? ''
      : `<div style="margin:24px 0 0;padding:16px 0 0;border-top:1px solid #e5e7eb;color:#374151;">${escapeLines(c.policyText)}</div>`;
  return `<!DOCTYPE html>
<html lang="${cat.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(c.subject)}</title>
</head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border:1px solid #e5e7eb;border-radius:8px;font-family:${cat.fontFamily};font-size:15px;line-height:1.6;color:#111827;">
<tr><td style="padding:24px 28px;">
<p style="margin:0 0 16px;">${escapeHtml(c.greeting)}</p>
${c.blocks.map(htmlBlock).join('\n')}
${policy}
<p style="margin:24px 0 0;">${escapeHtml(c.signature)}</p>
</td></tr>
</table>
<p style="margin:16px 0 0;max-width:560px;font-family:${cat.fontFamily};font-size:12px;line-height:1.5;color:#6b7280;">${escapeHtml(c.footer)}</p>
</td></tr>
</table>
</body>
</html>
`;
}

// ---- message -------------------------------------------------------------------------------

/**
 * A text or HTML part (headers and body) as nodemailer encodes it: UTF-8, base64 in lines of
 * 76 (the tests compare). MailComposer takes the parts ready-made (its `raw` part option).
 * Always base64: nodemailer chose it for every message here anyway (their lines are long),
 * and so no part carries a bare LF.
 */
export function encodedPart(type: 'text/plain' | 'text/html', content: string): string {
  const b64 = Buffer.from(content, 'utf8').toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${lines.join('\r\n')}`;
}

/**
 * The message MailComposer composed, serialised at once: its headers (nodemailer's
 * buildHeaders, which also settles the boundary), then the parts between its boundary lines
 * as RFC 2046 frames them. The same bytes as its build() (the tests compare), without the
 * stream stages, which took most of the render time.
 */
export function serialiseMultipart(root: MimeNode, parts: readonly string[]): Buffer {
  const head = root.buildHeaders();
  const b = root.boundary;
  if (typeof b !== 'string' || root.childNodes.length !== parts.length)
    throw new Error('not a multipart message of these parts');
  return Buffer.from(`${head}\r\n\r\n${parts.map((part) => `--${b}\r\n${part}\r\n`).join('')}--${b}--\r\n`, 'utf8');
}

/**
 * Renders one outbox row into a complete message. No clock, no randomness: the same row
 * gives the same bytes, so a retry resends an identical message.
 */
export async function renderMessage(input: RenderInput): Promise<RenderedMessage> {
  const language = pickLanguage(input.language);
  const cat = CATALOGUES[language];
  const messageId = messageIdFor(input.id, input.messageIdDomain);
  const content = buildContent(input, cat);
  const subject = singleLine(content.subject);
  const text = renderText(content, PUNCTUATION[language]);
  const html = renderHtml(content, cat);
  // deterministic boundary: hashed over the content itself, so no part can contain it
  const baseBoundary = createHash('sha256').update(`${input.id}\0${text}\0${html}`).digest('hex').slice(0, 24);
  const parts = [encodedPart('text/plain', text), encodedPart('text/html', html)] as const;
  const root = new MailComposer({
    from: input.from,
    to: singleLine(input.to),
    subject,
    date: new Date(input.createdAt),
    messageId,
    text: { raw: parts[0] },
    html: { raw: parts[1] },
    headers: {
      'Content-Language': language,
      // RFC 3834: an automatic message, so auto-responders stay quiet
      'Auto-Submitted': 'auto-generated',
      // Exchange/Outlook's own switch for out-of-office and delivery reports
      'X-Auto-Response-Suppress': 'All',
    },
    textEncoding: 'B',
    baseBoundary,
  }).compile();
  return { messageId, subject, text, html, language, raw: serialiseMultipart(root, parts) };
}
