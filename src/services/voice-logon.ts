/**
 * The telephone logon, for every voice door (the PBX endpoints of the REST API, the SIP
 * endpoint): verifyLogon and changePin are the only entry points, and both go through the
 * toll-fraud guard (deps.tollFraudGuard) before a PIN is checked. The unguarded attempt is
 * private to this module, so no adapter can skip the guard.
 */
import { throwIfAny, UmpinError } from '../domain/errors.js';
import {
  isLockedOut,
  judgeFailure,
  lockHasLapsed,
  mustChangeReason,
  type ChangePinResult,
  type LogonResult,
} from '../domain/logon.js';
import { MAX_PIN_LENGTH } from '../domain/pin-policy.js';
import { lockPlanFor } from '../domain/progressive-lockout.js';
import { checkPin } from '../domain/pin-rules.js';
import type { AuditInput } from '../domain/audit-entry.js';
import type { OutboxInput } from '../domain/outbox-message.js';
import { SYSTEM_ACTOR, type Actor } from './actor.js';
import { appendAudit, auditInput } from './audit.js';
import { mailLanguage, outboxMessage, payloadFor } from './outbox.js';
import { pinForMail } from './pin-links.js';
import { authorize } from './permissions.js';
import { checkChosenPin, newRandomPin } from './pin-secrets.js';
import type { Deps } from './ports/deps.js';
import { loadMailbox, resolveMailbox, type ResolvedMailbox } from './resolve.js';
import { inScope } from './scope.js';
import { failureKeys, type VoiceEvent } from './toll-fraud-guard.js';

/** How a caller names the mailbox: an extension (optionally within a dial plan), the calling number, or an identity. */
export interface MailboxLocator {
  extension?: string;
  callerId?: string;
  dialPlan?: string;
  identity?: string;
}

const digitsOnly = (s: string): string => s.replace(/[^0-9]/g, '');

/** The calling number as the gateway gave it (digits and a leading +), kept with a failed logon for the UM mailbox page. */
function callingNumber(loc: MailboxLocator): string | null {
  if (loc.callerId === undefined) return null;
  const kept = String(loc.callerId)
    .replace(/[^0-9+]/g, '')
    .slice(0, 32);
  return /[0-9]/.test(kept) ? kept : null;
}

/**
 * The mailbox a caller names; also used by voice-call.ts, so the telephone names a mailbox
 * one way before and at the logon. For a dial-plan-scoped gateway, the mailboxes and dial
 * plans of other plans are not there: they resolve as missing ones, never as a refusal
 * that would tell the gateway they exist.
 */
export async function locateMailbox(deps: Deps, loc: MailboxLocator, actor?: Actor): Promise<ResolvedMailbox> {
  const viewer = actor ? { actor } : undefined;
  if (loc.identity) return resolveMailbox(deps.store, loc.identity, viewer);
  const reachable = (planId: string) => !actor || inScope(actor, planId);
  let dialPlanId: string | undefined;
  if (loc.dialPlan) {
    // a dial plan the gateway names but umpin lacks is a configuration error, not "any plan"
    dialPlanId = (await deps.store.findDialPlans(loc.dialPlan)).find((d) => reachable(d.id))?.id;
    if (dialPlanId === undefined)
      throw new UmpinError({
        code: 'UMPIN_IDENTITY_NOT_FOUND',
        field: 'DialPlan',
        params: { identity: loc.dialPlan, kind: 'UM dial plan' },
      });
  }
  const candidates: string[] = [];
  const plans = dialPlanId
    ? [(await deps.store.getDialPlan(dialPlanId))!]
    : (await deps.store.listDialPlans()).filter((d) => reachable(d.id));
  if (loc.extension !== undefined) {
    // a seek of the extension's key in each dial plan the caller may reach (the plans are cached)
    const extension = digitsOnly(String(loc.extension));
    for (const dp of plans) candidates.push(...(await deps.store.recipientsWithExtension(extension, dp.id)));
  } else if (loc.callerId !== undefined) {
    // A calling number matches when its last N digits are an extension of an N-digit dial plan.
    const number = digitsOnly(String(loc.callerId));
    for (const dp of plans) {
      if (number.length < dp.numberOfDigitsInExtension) continue;
      candidates.push(
        ...(await deps.store.recipientsWithExtension(number.slice(-dp.numberOfDigitsInExtension), dp.id)),
      );
    }
  }
  if (candidates.length !== 1)
    throw new UmpinError({
      code: 'UMPIN_CALLER_NOT_RECOGNIZED',
      field: loc.extension !== undefined ? 'Extension' : 'CallerId',
    });
  const recipient = await deps.store.getRecipient(candidates[0]!);
  if (!recipient) throw new UmpinError({ code: 'UMPIN_CALLER_NOT_RECOGNIZED' });
  return loadMailbox(deps.store, recipient);
}

function checkEnteredPin(pin: unknown, field: string): string {
  if (typeof pin !== 'string' || !/^[0-9]+$/.test(pin)) throw new UmpinError({ code: 'UMPIN_PIN_NOT_DIGITS', field });
  if (pin.length > MAX_PIN_LENGTH)
    throw new UmpinError({ code: 'UMPIN_PIN_TOO_LONG', field, params: { max: MAX_PIN_LENGTH } });
  return pin;
}

interface Attempt {
  result: LogonResult;
  /** the PIN version that was verified, for a change that follows */
  version: number;
  pinHash: string;
}

/** Bounded retries when a concurrent change lands between our read and our conditional write. */
const MAX_ROUNDS = 25;

/**
 * One PIN attempt. The KDF runs outside any transaction; the decision is applied by a
 * conditional write in the store, so parallel attempts, in any number of processes, are
 * counted exactly and the reset and lockout happen exactly once at their counts.
 */
async function attempt(
  deps: Deps,
  actor: Actor,
  m: ResolvedMailbox,
  pin: string,
  callerId: string | null,
): Promise<Attempt> {
  const id = m.recipient.id;
  const userId = m.recipient.primarySmtpAddress;
  const p = m.policy;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const s = await deps.store.getPin(id);
    if (!s) throw new UmpinError({ code: 'UMPIN_MAILBOX_NOT_UM_ENABLED', params: { identity: userId } });
    const now = deps.clock.now();
    if (lockHasLapsed(s, now)) {
      await deps.store.transaction(async (tx) => {
        if (await tx.liftLapsedLock(id, now)) {
          await appendAudit(deps, tx, [
            auditInput(deps, actor, { action: 'Voice:LockExpired', target: userId, parameters: {} }, 'success'),
          ]);
        }
      });
      continue;
    }
    if (isLockedOut(s, now)) return { result: { outcome: 'locked-out' }, version: s.version, pinHash: s.pinHash };

    if (await deps.hasher.verify(s.pinHash, pin)) {
      const upgraded = deps.hasher.needsRehash(s.pinHash) ? await deps.hasher.hash(pin) : null;
      const applied = await deps.store.recordSuccess(id, s.version, upgraded);
      if (!applied) continue; // the PIN changed or the mailbox locked meanwhile: judge again
      const pinChangeAllowed = m.mailbox.pinChangeAllowed;
      const reason = mustChangeReason(s, p, now, pin.length, pinChangeAllowed);
      const result: LogonResult = reason
        ? { outcome: 'must-change', reason, userId, recipientId: id }
        : { outcome: 'ok', userId, recipientId: id, pinChangeAllowed };
      return { result, version: s.version, pinHash: upgraded ?? s.pinHash };
    }

    // If this failure may land on a reset count, have the replacement ready before the
    // transaction, so that no database lock is held while the KDF runs.
    const prospective = judgeFailure(Math.max(1, s.failedAttempts + 1), p);
    const replacement =
      prospective.outcome === 'auto-reset'
        ? await (async () => {
            const newPin = newRandomPin(deps, m);
            return { pin: newPin, hash: await deps.hasher.hash(newPin) };
          })()
        : null;

    const org = replacement ? await deps.store.getOrganization() : null;
    const outcome = await deps.store
      .transaction(async (tx): Promise<LogonResult | 'retry'> => {
        const now = deps.clock.now();
        const count = await tx.recordFailure(id, p.maxLogonAttempts, lockPlanFor(p, now), {
          at: now,
          caller: callerId,
        });
        if (count === null) return { outcome: 'locked-out' };
        const verdict = judgeFailure(count, p);
        const audits: AuditInput[] = [];
        const mails: OutboxInput[] = [];
        if (verdict.outcome === 'auto-reset') {
          if (!replacement) throw RETRY; // rolls back this count; the next round prepares a PIN
          const cur = await tx.getPin(id);
          await tx.replacePin({
            recipientId: id,
            pinHash: replacement.hash,
            pinSetAt: deps.clock.now(),
            pinExpired: true,
            firstTimeUser: cur?.firstTimeUser ?? false,
            lockedOut: false,
            failedAttempts: count,
            keepHistory: p.pinHistoryCount - 1,
          });
          mails.push(
            outboxMessage(
              deps,
              m,
              'auto-reset',
              payloadFor(m, 'auto-reset', {
                ...(await pinForMail(deps, tx, m, replacement.pin)),
                failedAttempts: count,
                pinExpired: true,
              }),
              { language: mailLanguage(m, org) },
            ),
          );
          audits.push(
            auditInput(
              deps,
              actor,
              { action: 'Voice:AutoResetPIN', target: userId, parameters: { FailedAttempts: count } },
              'success',
            ),
          );
        } else if (verdict.outcome === 'locked-out') {
          // as the store set it: a progressive lock's length depends on the locks before it
          const until = (await tx.getPin(id))?.lockedUntil ?? null;
          mails.push(
            outboxMessage(deps, m, 'lockout', payloadFor(m, 'lockout', { failedAttempts: count, lockedUntil: until }), {
              language: mailLanguage(m, await tx.getOrganization()),
            }),
          );
          audits.push(
            auditInput(
              deps,
              actor,
              { action: 'Voice:LockOut', target: userId, parameters: { FailedAttempts: count, LockedUntil: until } },
              'success',
            ),
          );
        }
        await tx.enqueueOutbox(mails);
        await appendAudit(deps, tx, audits);
        return verdict.outcome === 'locked-out'
          ? { outcome: 'locked-out', failedAttempts: count }
          : { outcome: verdict.outcome, failedAttempts: count, attemptsLeft: verdict.attemptsLeft };
      })
      .catch((err: unknown) => {
        if (err === RETRY) return 'retry' as const;
        throw err;
      });
    if (outcome === 'retry') continue;
    return { result: outcome, version: s.version, pinHash: s.pinHash };
  }
  throw new UmpinError({ code: 'UMPIN_CONCURRENT_CHANGE' });
}

const RETRY = Symbol('retry');

/** The logon itself, unguarded: extension or calling number, then PIN and # (DTMF). */
async function logOn(deps: Deps, actor: Actor, input: MailboxLocator & { pin: string }): Promise<LogonResult> {
  const pin = checkEnteredPin(input.pin, 'Pin');
  const m = await locateMailbox(deps, input, actor);
  authorize(actor, 'voice:logon', 'VerifyLogon', {
    recipientId: m.recipient.id,
    dialPlanId: m.dialPlan.id,
    label: m.recipient.primarySmtpAddress,
  });
  checkSubscriberAccess(m);
  return (await attempt(deps, actor, m, pin, callingNumber(input))).result;
}

/**
 * Telephone logon to this mailbox at all: refused when its policy's AllowSubscriberAccess or
 * its own SubscriberAccessEnabled is $false (the way an administrator blocks one person).
 * Both refuse alike, so a caller cannot tell which.
 */
function checkSubscriberAccess(m: ResolvedMailbox): void {
  const why = !m.policy.allowSubscriberAccess
    ? 'AllowSubscriberAccess is $false'
    : !m.mailbox.subscriberAccessEnabled
      ? 'SubscriberAccessEnabled is $false'
      : null;
  if (why)
    throw new UmpinError({
      code: 'UMPIN_ACCESS_DENIED',
      params: { actor: m.recipient.primarySmtpAddress, action: `voice access (${why})` },
    });
}

/**
 * The one rule for a logon without a PIN (Exchange's PIN-less voice mail access): the
 * mailbox's PinlessAccessToVoiceMailEnabled and its policy's AllowPinlessVoiceMailAccess are
 * both $true, telephone logon is allowed (checkSubscriberAccess), the mailbox is not locked
 * out and needs no new PIN, and the call comes from one of the mailbox's own extensions:
 * the calling number, as a voice gateway asserted it, is exactly that extension's digits (a
 * number that merely ends in them is someone else's phone). Only a voice gateway vouches for
 * a calling number, so only its actor may ask.
 */
async function pinlessAttempt(deps: Deps, actor: Actor, loc: MailboxLocator): Promise<LogonResult | null> {
  if (!actor.roles.includes('VoiceGateway') || loc.callerId === undefined) return null;
  const number = digitsOnly(String(loc.callerId));
  if (number === '') return null;
  let m: ResolvedMailbox;
  try {
    m = await locateMailbox(deps, { callerId: loc.callerId, dialPlan: loc.dialPlan }, actor);
  } catch (err) {
    if (err instanceof UmpinError && err.code === 'UMPIN_CALLER_NOT_RECOGNIZED') return null;
    throw err;
  }
  authorize(actor, 'voice:logon', 'VerifyLogon', {
    recipientId: m.recipient.id,
    dialPlanId: m.dialPlan.id,
    label: m.recipient.primarySmtpAddress,
  });
  if (!m.mailbox.pinlessAccessEnabled || !m.policy.allowPinlessVoiceMailAccess) return null;
  if (!m.mailbox.extensions.includes(number)) return null;
  // refused outright only where a PIN would not have been asked for: elsewhere the logon refuses as usual
  checkSubscriberAccess(m);
  const s = await deps.store.getPin(m.recipient.id);
  const now = deps.clock.now();
  const pinChangeAllowed = m.mailbox.pinChangeAllowed;
  if (!s || isLockedOut(s, now) || mustChangeReason(s, m.policy, now, m.policy.minPinLength, pinChangeAllowed) !== null)
    return null;
  const userId = m.recipient.primarySmtpAddress;
  await deps.store.transaction((tx) =>
    appendAudit(deps, tx, [
      auditInput(
        deps,
        actor,
        { action: 'Voice:PinlessLogon', target: userId, parameters: { CallerId: number } },
        'success',
      ),
    ]),
  );
  return { outcome: 'ok', userId, recipientId: m.recipient.id, pinChangeAllowed };
}

/**
 * The PIN change itself, unguarded (on the phone, after logging on): the old PIN is checked
 * like a logon (a wrong one counts), the new one by policy and history.
 */
async function changeOwnPin(
  deps: Deps,
  actor: Actor,
  input: MailboxLocator & { oldPin: string; newPin: string; confirmPin?: string },
): Promise<ChangePinResult> {
  const oldPin = checkEnteredPin(input.oldPin, 'OldPin');
  const newPin = checkEnteredPin(input.newPin, 'NewPin');
  if (input.confirmPin !== undefined && input.confirmPin !== input.newPin)
    throw new UmpinError({ code: 'UMPIN_PIN_MISMATCH', field: 'ConfirmPin' });
  const m = await locateMailbox(deps, input, actor);
  authorize(actor, 'voice:logon', 'ChangePIN', {
    recipientId: m.recipient.id,
    dialPlanId: m.dialPlan.id,
    label: m.recipient.primarySmtpAddress,
  });
  checkSubscriberAccess(m);
  // before any PIN is checked: the refusal says nothing about the PINs typed
  if (!m.mailbox.pinChangeAllowed) throw new UmpinError({ code: 'UMPIN_PIN_CHANGE_NOT_ALLOWED' });
  // the old PIN as typed is the only clear copy there is: Strict's "previous PIN ± 1" reads it here
  throwIfAny(
    checkPin(newPin, { policy: m.policy, extensions: m.mailbox.extensions, previousPin: oldPin }).map((i) => ({
      ...i,
      field: 'NewPin',
    })),
  );
  const logon = await attempt(deps, actor, m, oldPin, callingNumber(input));
  if (logon.result.outcome !== 'ok' && logon.result.outcome !== 'must-change') return logon.result;
  try {
    await checkChosenPin(deps, m, newPin, { pinHash: logon.pinHash });
  } catch (err) {
    if (err instanceof UmpinError) throw new UmpinError({ ...err.issue, field: 'NewPin' });
    throw err;
  }
  const pinHash = await deps.hasher.hash(newPin);
  const userId = m.recipient.primarySmtpAddress;
  await deps.store.transaction(async (tx) => {
    const ok = await tx.replacePin(
      {
        recipientId: m.recipient.id,
        pinHash,
        pinSetAt: deps.clock.now(),
        pinExpired: false,
        firstTimeUser: false,
        lockedOut: false,
        keepHistory: m.policy.pinHistoryCount - 1,
      },
      logon.version,
    );
    if (!ok) throw new UmpinError({ code: 'UMPIN_CONCURRENT_CHANGE' });
    await appendAudit(deps, tx, [
      auditInput(
        deps,
        actor,
        { action: 'Voice:ChangePIN', target: userId, parameters: { OldPin: oldPin, NewPin: newPin } },
        'success',
      ),
    ]);
  });
  return { outcome: 'changed', userId };
}

/**
 * Runs one attempt behind the toll-fraud guard: refused while the caller is backing off
 * (known here, or in the store); past the fair share of checks running at once; then the
 * attempt is counted in the store before its PIN check, so a burst gets no more checks than
 * the back-off allows, on every server together. A failure (a wrong PIN, an unknown mailbox)
 * stays counted, may start the back-off, and counts for the watches across mailboxes, whose
 * alerts are audited by the system; anything else gives the attempt back.
 */
async function guarded<T extends LogonResult | ChangePinResult>(
  deps: Deps,
  actor: Actor,
  loc: MailboxLocator,
  type: 'logon' | 'pin-change',
  run: () => Promise<T>,
): Promise<T> {
  const guard = deps.tollFraudGuard;
  const keys = failureKeys(loc, actor);
  guard.check(keys.caller);
  const done = guard.admit(keys);
  try {
    const slot = await guard.reserve(deps.store, keys.caller);
    let result: T;
    try {
      result = await run();
    } catch (err) {
      if (err instanceof UmpinError && err.code === 'UMPIN_CALLER_NOT_RECOGNIZED') {
        guard.emit({ type, outcome: 'not-recognized' });
        await slot.failed();
        await failed(deps, keys);
      } else {
        await slot.forgive();
      }
      throw err;
    }
    guard.emit({ type, outcome: result.outcome } as VoiceEvent);
    if (result.outcome === 'auto-reset') guard.emit({ type: 'auto-reset' });
    if (result.outcome === 'locked-out' && result.failedAttempts !== undefined) guard.emit({ type: 'lockout' });
    if (result.outcome === 'wrong' || result.outcome === 'auto-reset' || result.outcome === 'locked-out') {
      await slot.failed();
      await failed(deps, keys);
    } else {
      await slot.forgive();
    }
    return result;
  } finally {
    // the fair share is held until the attempt is counted, so the next one sees it
    done();
  }
}

async function failed(deps: Deps, keys: { caller: string; source: string; mailbox: string }): Promise<void> {
  const detections = deps.tollFraudGuard.recordFailure(keys);
  if (detections.length === 0) return;
  const entries = detections.map((d) =>
    auditInput(
      deps,
      SYSTEM_ACTOR,
      {
        action: 'Detect-TollFraud',
        target: d.key,
        parameters: {
          [d.kind === 'caller' ? 'Caller' : 'Source']: d.key,
          Mailboxes: d.mailboxes,
          WindowMinutes: d.windowMs / 60_000,
        },
      },
      'success',
    ),
  );
  await deps.store.transaction((tx) => appendAudit(deps, tx, entries));
}

/** A telephone logon: extension or calling number, then PIN and # (DTMF), behind the toll-fraud guard. */
export function verifyLogon(deps: Deps, actor: Actor, input: MailboxLocator & { pin: string }): Promise<LogonResult> {
  return guarded(deps, actor, input, 'logon', () => logOn(deps, actor, input));
}

/**
 * A logon without a PIN from the mailbox's own extension (pinlessAttempt has the rule), behind
 * the toll-fraud guard: null when the rule does not hold, and the caller is asked for a PIN.
 * Audited as Voice:PinlessLogon.
 */
export async function pinlessLogon(deps: Deps, actor: Actor, loc: MailboxLocator): Promise<LogonResult | null> {
  await deps.tollFraudGuard.checkShared(deps.store, failureKeys(loc, actor).caller);
  return pinlessAttempt(deps, actor, loc);
}

/** A PIN change on the telephone, behind the toll-fraud guard: a wrong old PIN is a failed logon like any other. */
export function changePin(
  deps: Deps,
  actor: Actor,
  input: MailboxLocator & { oldPin: string; newPin: string; confirmPin?: string },
): Promise<ChangePinResult> {
  return guarded(deps, actor, input, 'pin-change', () => changeOwnPin(deps, actor, input));
}
