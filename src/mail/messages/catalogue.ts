import type { OutboxKind } from '../../domain/outbox-message.js';

export const MAIL_LANGUAGES = ['en', 'zh-TW'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

/** The kinds whose mail carries a clear PIN; every other kind is rendered without one. */
export const PIN_KINDS = ['welcome', 'pin-reset', 'auto-reset', 'self-reset'] as const satisfies readonly OutboxKind[];
export type PinKind = (typeof PIN_KINDS)[number];

export function isPinKind(kind: OutboxKind): kind is PinKind {
  return (PIN_KINDS as readonly OutboxKind[]).includes(kind);
}

/** What every message may mention. Values are plain text: the renderer escapes them. */
export interface BaseContext {
  organizationName: string;
  displayName: string;
  primarySmtpAddress: string;
  extensions: readonly string[];
  voiceAccessNumbers: readonly string[];
  dialPlanName: string;
}

/** PINDelivery Link: where the PIN is shown once, instead of the mail. */
export interface PinLinkContext {
  url: string;
  /** already formatted date and time with its zone; null when unknown */
  expiresAt: string | null;
}

export interface PinContext extends BaseContext {
  /** exactly one of pin and link is set: a mail with a link never carries the PIN */
  pin: string | null;
  link: PinLinkContext | null;
  /** the user must choose a new PIN on the next call */
  pinExpired: boolean;
  /** ResetPINText or UMEnabledText, plain text */
  policyText: string | null;
  failedAttempts: number | null;
}

/** No `pin` here on purpose: a lockout or reminder message cannot show one even by mistake. */
export interface LockoutContext extends BaseContext {
  failedAttempts: number | null;
  /** already formatted in the user's language and time zone; null = until an administrator unlocks */
  lockedUntil: string | null;
}

export interface ReminderContext extends BaseContext {
  daysLeft: number | null;
  /** already formatted date; null when unknown */
  expiresOn: string | null;
}

/** The one-time code for the self-service page; no `pin` here either. */
export interface SignInCodeContext extends BaseContext {
  /** as the user types it, e.g. BCDF-GHJK */
  code: string;
  /** how long the code lasts from when it was made; null when unknown */
  validMinutes: number | null;
  /** already formatted date and time with its zone; null when unknown */
  expiresAt: string | null;
}

/** Indexed by OutboxKind below, so a kind added to the store without a context here fails to compile. */
export interface ContextByKind {
  welcome: PinContext;
  'pin-reset': PinContext;
  'auto-reset': PinContext;
  'self-reset': PinContext;
  lockout: LockoutContext;
  'expiry-reminder': ReminderContext;
  'sign-in-code': SignInCodeContext;
}

export interface Field {
  label: string;
  values: readonly string[];
}

export type Block =
  | { type: 'paragraph'; text: string }
  /** stands out: security advice such as "if this wasn't you" */
  | { type: 'notice'; text: string }
  /** a PIN or a sign-in code, set apart to be read and typed */
  | { type: 'secret'; label: string; value: string }
  /** a link to open, with what it does; its address is shown too, for mail programs that hide links */
  | { type: 'link'; label: string; text: string; url: string }
  | { type: 'fields'; heading: string | null; fields: readonly Field[] };

export interface MailContent {
  subject: string;
  greeting: string;
  blocks: readonly Block[];
  /** the policy's custom text, shown last; null when the kind carries none */
  policyText: string | null;
  signature: string;
  footer: string;
}

export interface Catalogue {
  language: MailLanguage;
  /** Intl locale used when the user's own tag does not fit this language */
  dateLocale: string;
  /** inline CSS font stack; CJK needs fonts that have the glyphs */
  fontFamily: string;
  /** how this language writes a time followed by its zone name (ICU's zh pattern puts brackets around it) */
  withZone(dateTime: string, zone: string): string;
  messages: { readonly [K in OutboxKind]: (c: ContextByKind[K]) => MailContent };
}

/** A PIN mail's words around its PIN or its link, in one language. */
export interface PinBlockWords {
  intro: string;
  /** replaces intro when the mail carries a link: says the PIN is not in it */
  linkIntro: string;
  showLink: string;
  /** the link shows the PIN once (until expiresAt, when known), and what to do once it is used */
  showsOnce: (expiresAt: string | null) => string;
}

/** The PIN itself (PINDelivery Mail) or the one-time link to it (Link): the same blocks in every language. */
export function pinBlocks(c: PinContext, label: string, w: PinBlockWords): Block[] {
  if (c.link === null)
    return [
      { type: 'paragraph', text: w.intro },
      { type: 'secret', label, value: c.pin ?? '' },
    ];
  return [
    { type: 'paragraph', text: w.linkIntro },
    { type: 'link', label, text: w.showLink, url: c.link.url },
    { type: 'paragraph', text: w.showsOnce(c.link.expiresAt) },
  ];
}
