/**
 * End users sign in to the self-service page with a one-time code mailed to their own
 * mailbox: no password to keep. Asking for a code answers the same, in about the same time,
 * whatever the identity, so nobody can find out which mailboxes exist; only a UM-enabled
 * mailbox gets a mail, and at most a few a quarter-hour (no mail-bombing). A code is valid
 * for 15 minutes, once, and void after 5 wrong tries; the store keeps only its keyed digest,
 * and the outbox carries it sealed until the mail is sent.
 */
import { UmpinError, type ErrorCode } from '../domain/errors.js';
import { formatSignInCode, newSignInCode, normalizeSignInCode } from '../domain/sign-in-code.js';
import type { Recipient } from '../domain/recipient.js';
import { anonymous, endUser } from './actor.js';
import { appendAudit, auditInput, auditRefusal, type AuditRecord } from './audit.js';
import { mailLanguage, outboxMessage, payloadFor } from './outbox.js';
import type { Deps } from './ports/deps.js';
import { loadMatch, type ResolvedMailbox } from './resolve.js';
import { insertNewSession, type SessionGrant } from './sessions.js';
import { countCodeSignIn } from './sign-in-limiter.js';

export const SIGN_IN_CODE_RULES = {
  validMinutes: 15,
  /** wrong codes that void the live one */
  maxFailures: 5,
  /** codes mailed to one mailbox; a request past this sends nothing (and answers the same) */
  perMailbox: { max: 3, windowMs: 15 * 60_000 },
  /**
   * A code request, and a refused code sign-in, answer no sooner than this after they
   * arrive: whether a mailbox exists changes the work done (a few queries, a mail queued),
   * never the time the caller sees. Well above that work's time on a loaded database.
   */
  answerMs: 200,
} as const;

/** Tests of the rest of the behaviour may answer at once; the HTTP routes always use the default. */
export interface AnswerTiming {
  answerMs?: number;
}

/** The id a code is looked up under when the identity named no UM mailbox: no recipient has it, so the same statements run and match nothing. */
const NO_RECIPIENT = '00000000-0000-0000-0000-000000000000';

function checkIdentity(identity: unknown): string {
  if (typeof identity !== 'string' || identity.trim() === '')
    throw new UmpinError({ code: 'UMPIN_VALUE_REQUIRED', field: 'Identity', params: { field: 'Identity' } });
  if (identity.length > 320)
    throw new UmpinError({ code: 'UMPIN_VALUE_TOO_LONG', field: 'Identity', params: { field: 'Identity', max: 320 } });
  return identity.trim();
}

/**
 * What the audit entry records of the identity typed: an address or a name that resolved,
 * never text that could be the code typed into the wrong box (a code has no @).
 */
function recordable(identity: string, resolved: boolean): string | undefined {
  return resolved || identity.includes('@') ? identity : undefined;
}

/** Bound to the recipient and to its purpose: a digest is no use on another row, nor as a session or token digest. */
function codeDigest(deps: Deps, recipientId: string, code: string): string {
  return deps.digest(`sign-in-code:${recipientId}:${code}`);
}

async function answerNoSoonerThan(started: number, ms: number): Promise<void> {
  // timers run on the event loop's cached clock and may fire a little early: check again
  for (let wait = started + ms - performance.now(); wait > 0; wait = started + ms - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
  }
}

/** The one recipient an identity names, with its UM mailbox; why not, as the audit entry's error code. */
async function findMailbox(
  deps: Deps,
  identity: string,
): Promise<{ recipient: Recipient | null; mailbox: ResolvedMailbox | null; refusal: ErrorCode | null }> {
  const found = await deps.store.findMailboxes(identity);
  if (found.length !== 1)
    return {
      recipient: null,
      mailbox: null,
      refusal: found.length === 0 ? 'UMPIN_IDENTITY_NOT_FOUND' : 'UMPIN_IDENTITY_AMBIGUOUS',
    };
  const { recipient } = found[0]!;
  try {
    return { recipient, mailbox: await loadMatch(deps.store, found[0]!), refusal: null };
  } catch (err) {
    if (err instanceof UmpinError && err.code === 'UMPIN_MAILBOX_NOT_UM_ENABLED')
      return { recipient, mailbox: null, refusal: err.code };
    throw err;
  }
}

export interface SignInCodeRequested {
  sent: true;
  expiresInMinutes: number;
}

/**
 * Mails a new sign-in code to the UM mailbox the identity names (an e-mail address, alias,
 * UPN, display name or GUID that matches exactly one recipient), replacing its unused one.
 * Answers the same whether or not anything was sent; the audit entry (Request-SignInCode,
 * anonymous with the source address) says what happened, never the code.
 */
export async function requestSignInCode(
  deps: Deps,
  input: { identity: string; source: string | null },
  timing: AnswerTiming = {},
): Promise<SignInCodeRequested> {
  const started = performance.now();
  const identity = checkIdentity(input.identity);
  try {
    const { recipient, mailbox: m, refusal } = await findMailbox(deps, identity);
    const rec: AuditRecord = {
      action: 'Request-SignInCode',
      target: recipient?.primarySmtpAddress ?? null,
      parameters: { Identity: recordable(identity, recipient !== null) },
    };
    const actor = anonymous(input.source ?? null);
    const org = m ? await deps.store.getOrganization() : null;
    await deps.store.transaction(async (tx) => {
      let outcome = refusal;
      if (m) {
        const code = newSignInCode(deps.randomInt);
        const issuedAt = deps.clock.now();
        const expiresAt = issuedAt + SIGN_IN_CODE_RULES.validMinutes * 60_000;
        const issued = await tx.issueSignInCode(
          { recipientId: m.recipient.id, codeDigest: codeDigest(deps, m.recipient.id, code), issuedAt, expiresAt },
          SIGN_IN_CODE_RULES.perMailbox,
        );
        if (issued) {
          // the mail of the code this one replaces, if it has not gone out yet, would only carry a dead code
          await tx.discardUnsentMail(m.recipient.id, 'sign-in-code');
          const payload = payloadFor(m, 'sign-in-code', {
            code: formatSignInCode(code),
            validMinutes: SIGN_IN_CODE_RULES.validMinutes,
            expiresAt,
            policyText: null,
          });
          await tx.enqueueOutbox([outboxMessage(deps, m, 'sign-in-code', payload, { language: mailLanguage(m, org) })]);
        } else {
          outcome = 'UMPIN_RATE_LIMITED';
        }
      }
      await appendAudit(deps, tx, [auditInput(deps, actor, rec, outcome ? 'failure' : 'success', outcome)]);
    });
  } finally {
    await answerNoSoonerThan(started, timing.answerMs ?? SIGN_IN_CODE_RULES.answerMs);
  }
  return { sent: true, expiresInMinutes: SIGN_IN_CODE_RULES.validMinutes };
}

/**
 * Signs an end user in with the code mailed to them: a session whose actor is
 * `user:<primary SMTP address>`, acting on their own mailbox only. Any failure (unknown or
 * not UM-enabled identity, wrong, used, expired or voided code) is the one
 * UMPIN_SIGN_IN_FAILED, after the same statements and no sooner than a code request's
 * answer; a wrong code counts against the live one, and against the identity and the
 * address as a wrong password does. Audited as Sign-In.
 */
export async function signInWithCode(
  deps: Deps,
  input: { identity: string; code: string; source: string | null },
  timing: AnswerTiming = {},
): Promise<SessionGrant> {
  const started = performance.now();
  const source = input.source ?? null;
  const attempt = anonymous(source);
  const rec: AuditRecord = { action: 'Sign-In', target: null, parameters: { Method: 'SignInCode' } };
  try {
    const { code, recipient, counted } = await auditRefusal(deps, attempt, rec, async () => {
      const identity = checkIdentity(input.identity);
      rec.parameters.Identity = recordable(identity, false);
      const code = normalizeSignInCode(input.code);
      if (code === null)
        throw new UmpinError({
          code: 'UMPIN_VALUE_INVALID',
          field: 'Code',
          params: { field: 'Code', rule: 'it must be the 8 letters of the mailed code, e.g. BCDF-GHJK' },
        });
      // counted by the identity as typed, so the count tells nothing of whether it exists
      const counted = await countCodeSignIn(deps, identity, source);
      const { recipient, mailbox } = await findMailbox(deps, identity);
      if (recipient) {
        rec.target = recipient.primarySmtpAddress;
        rec.parameters.Identity = identity;
      }
      return { code, recipient: mailbox ? recipient : null, counted };
    });

    const recipientId = recipient?.id ?? NO_RECIPIENT;
    const digest = codeDigest(deps, recipientId, code);
    const grant = await deps.store.transaction(async (tx) => {
      const consumed = await tx.consumeSignInCode(recipientId, digest, deps.clock.now());
      if (!consumed || !recipient) return null;
      const actor = endUser(recipient, source);
      const g = await insertNewSession(deps, tx, { recipientId }, actor);
      await appendAudit(deps, tx, [auditInput(deps, actor, rec, 'success')]);
      return g;
    });
    if (grant) {
      await counted.succeeded();
      return grant;
    }
    await deps.store.transaction(async (tx) => {
      await tx.failSignInCode(recipientId, SIGN_IN_CODE_RULES.maxFailures);
      await appendAudit(deps, tx, [auditInput(deps, attempt, rec, 'failure', 'UMPIN_SIGN_IN_FAILED')]);
    });
    throw new UmpinError({ code: 'UMPIN_SIGN_IN_FAILED', params: { method: 'code' } });
  } catch (err) {
    await answerNoSoonerThan(started, timing.answerMs ?? SIGN_IN_CODE_RULES.answerMs);
    throw err;
  }
}
