/**
 * PINDelivery Link (a umpin addition): a PIN mail carries a one-time link instead of the PIN.
 * Every decision about a link lives here — making it (and voiding the mailbox's older ones),
 * whether it may still show its PIN and to whom, erasing the sealed PIN once shown or expired,
 * and the audit entries — so the REST route and the web page only call these functions.
 *
 * The token is 256 random bits (base64url); the store keeps only its keyed digest (the rule of
 * API tokens and sign-in codes, deps.digest), and the PIN sealed by the outbox cipher, bound to
 * that digest. A GET of the page never reaches showPinLink: only the POST behind its button does,
 * so a mail scanner's or a link preview's fetch cannot use the link up.
 */
import { randomBytes } from 'node:crypto';
import { UmpinError } from '../domain/errors.js';
import type { MailPayload } from '../domain/mail-payload.js';
import { anonymous, SYSTEM_ACTOR, type Actor } from './actor.js';
import { appendAudit, auditInput, mutate, type AuditRecord } from './audit.js';
import { DEFAULT_PUBLIC_URL, type Deps } from './ports/deps.js';
import type { PinLink } from './ports/pin-links.js';
import type { StoreReads, StoreTx } from './ports/store.js';
import type { ResolvedMailbox } from './resolve.js';

/** The page a link opens; the access log shows this prefix and never what follows (http/logging.ts). */
export const PIN_LINK_PATH = '/me/pin/';

/** 32 bytes in base64url, unpadded. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Links the expiry sweep ends in one transaction. */
const SWEEP_BATCH = 500;

/** Bound to its purpose: the digest of a link's token is no use as a session, API token or sign-in code digest. */
function linkDigest(deps: Deps, token: string): string {
  return deps.digest(`pin-link:${token}`);
}

function publicBase(deps: Deps): string {
  return (deps.publicUrl ?? DEFAULT_PUBLIC_URL).replace(/\/+$/, '');
}

/** What a PIN mail carries of the PIN. */
export type PinForMail = Pick<MailPayload, 'pin' | 'pinLink' | 'pinLinkExpiresAt'>;

/**
 * The PIN as the mailbox's policy says to mail it: the PIN itself (PINDelivery Mail, Exchange's
 * way), or a new one-time link to it (Link), written in `tx` with the reset it belongs to; the
 * mailbox's links not yet used are void from then on.
 */
export async function pinForMail(deps: Deps, tx: StoreTx, m: ResolvedMailbox, pin: string): Promise<PinForMail> {
  if (m.policy.pinDelivery !== 'Link') return { pin };
  const token = randomBytes(32).toString('base64url');
  const tokenDigest = linkDigest(deps, token);
  const createdAt = deps.clock.now();
  const expiresAt = createdAt + m.policy.pinLinkValidityHours * 3_600_000;
  await tx.insertPinLink({
    tokenDigest,
    recipientId: m.recipient.id,
    sealedPayload: deps.cipher.seal(JSON.stringify({ pin }), tokenDigest),
    requiresSignIn: m.policy.pinLinkRequiresSignIn,
    createdAt,
    expiresAt,
  });
  return { pinLink: `${publicBase(deps)}${PIN_LINK_PATH}${token}`, pinLinkExpiresAt: expiresAt };
}

export type PinLinkState = 'ready' | 'used' | 'expired' | 'replaced';

export interface PinLinkStatus {
  /** ready: the button will show the PIN; the others say why it will not */
  state: PinLinkState;
  expiresAt: number;
  /** the PIN is shown only to its user signed in to the self-service page */
  requiresSignIn: boolean;
}

async function findLink(deps: Deps, reads: StoreReads, token: unknown): Promise<PinLink> {
  const link = typeof token === 'string' && TOKEN.test(token) ? await reads.getPinLink(linkDigest(deps, token)) : null;
  if (!link) throw new UmpinError({ code: 'UMPIN_PIN_LINK_NOT_FOUND' });
  return link;
}

function stateOf(link: PinLink, now: number): PinLinkState {
  switch (link.state) {
    case 'shown':
      return 'used';
    case 'replaced':
      return 'replaced';
    case 'expired':
      return 'expired';
    case 'active':
      // the sweep runs hourly: a link past its time is expired whether or not it has run yet
      return link.expiresAt <= now ? 'expired' : 'ready';
  }
}

/** What the page says before anything is shown. Reads only: it never uses the link up. */
export async function getPinLinkStatus(deps: Deps, token: string): Promise<PinLinkStatus> {
  const link = await findLink(deps, deps.store, token);
  return { state: stateOf(link, deps.clock.now()), expiresAt: link.expiresAt, requiresSignIn: link.requiresSignIn };
}

export interface ShownPin {
  pin: string;
  /** whose PIN it is: the mailbox's primary SMTP address */
  userId: string;
}

const REFUSAL = {
  used: 'UMPIN_PIN_LINK_USED',
  expired: 'UMPIN_PIN_LINK_EXPIRED',
  replaced: 'UMPIN_PIN_LINK_REPLACED',
} as const;

/**
 * Shows the link's PIN, once: the sealed PIN is erased in the same transaction, and the
 * Show-PINLink audit entry (no PIN, no token) says who saw it. Refused, and audited as a
 * failure, when the link is used, expired, replaced by a newer one, or asks for the
 * self-service sign-in of its own user and the caller is not that user.
 */
export async function showPinLink(
  deps: Deps,
  caller: Actor | null,
  input: { token: string; source: string | null },
): Promise<ShownPin> {
  const actor = caller ?? anonymous(input.source);
  const rec: AuditRecord = { action: 'Show-PINLink', target: null, parameters: {} };
  return mutate(deps, actor, rec, async (tx) => {
    const link = await findLink(deps, tx, input.token);
    const recipient = await tx.getRecipient(link.recipientId);
    if (!recipient) throw new UmpinError({ code: 'UMPIN_PIN_LINK_NOT_FOUND' });
    rec.target = recipient.primarySmtpAddress;
    const now = deps.clock.now();
    const state = stateOf(link, now);
    if (state !== 'ready') throw new UmpinError({ code: REFUSAL[state] });
    if (link.requiresSignIn) {
      if (actor.kind !== 'user' || actor.recipientId === undefined)
        throw new UmpinError({ code: 'UMPIN_PIN_LINK_SIGN_IN_REQUIRED' });
      if (actor.recipientId !== link.recipientId) throw new UmpinError({ code: 'UMPIN_PIN_LINK_WRONG_USER' });
    }
    const sealed = await tx.consumePinLink(link.tokenDigest, now);
    // another request showed it between the read and here
    if (sealed === null) throw new UmpinError({ code: 'UMPIN_PIN_LINK_USED' });
    const { pin } = JSON.parse(deps.cipher.open(sealed, link.tokenDigest)) as { pin: string };
    return { pin, userId: recipient.primarySmtpAddress };
  });
}

/**
 * The expiry sweep: every link past its time ends as expired, its sealed PIN erased, with a
 * PINLink:Expired audit entry by the system for each. Returns how many ended.
 */
export async function expirePinLinks(deps: Deps): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deps.store.transaction(async (tx) => {
      const ended = await tx.expirePinLinks(deps.clock.now(), SWEEP_BATCH);
      const audits = [];
      for (const e of ended) {
        const target = (await tx.getRecipient(e.recipientId))?.primarySmtpAddress ?? null;
        audits.push(auditInput(deps, SYSTEM_ACTOR, { action: 'PINLink:Expired', target, parameters: {} }, 'success'));
      }
      if (audits.length > 0) await appendAudit(deps, tx, audits);
      return ended.length;
    });
    total += n;
    if (n < SWEEP_BATCH) return total;
  }
}
