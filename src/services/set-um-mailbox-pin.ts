import { type Issue, UmpinError } from '../domain/errors.js';
import type { AuditInput } from '../domain/audit-entry.js';
import type { OutboxInput } from '../domain/outbox-message.js';
import type { Actor } from './actor.js';
import { appendAudit, auditInput, auditRefusal, mutate, type AuditRecord } from './audit.js';
import { mailLanguage, outboxMessage, payloadFor } from './outbox.js';
import { pinForMail } from './pin-links.js';
import { isAdministratorMailbox } from './admin-accounts.js';
import { authorize, mayResetAdministratorPins } from './permissions.js';
import { checkChosenPin, newRandomPin } from './pin-secrets.js';
import type { Deps } from './ports/deps.js';
import { resolveMailbox, type ResolvedMailbox } from './resolve.js';

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;

export function checkNotifyEmail(address: string): void {
  if (typeof address !== 'string' || !EMAIL.test(address.trim()) || address.length > 320) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'NotifyEmail',
      params: { field: 'NotifyEmail', rule: 'it must be an e-mail address' },
    });
  }
}

/**
 * Set-UMMailboxPIN, with every Exchange parameter that has meaning here: the one input of
 * its three parameter sets (LockedOut alone, a typed Pin, neither for a generated PIN),
 * sent as is by the shell, REST (POST .../pin, whose body schema must equal it less the
 * identity) and the web. Which permission a set needs is decided here (authorizeSet).
 */
export interface SetUMMailboxPINInput {
  identity: string;
  /** typed PIN, checked against the policy; omitted = a generated PIN */
  pin?: string;
  /** default $true: must change at next logon */
  pinExpired?: boolean;
  /**
   * $true locks, $false unlocks. Given without Pin, only the lock changes (no new PIN, no
   * mail): that is how an administrator unlocks or locks. Any PIN reset unlocks unless
   * LockedOut is $true.
   */
  lockedOut?: boolean;
  /** send the PIN mail here instead of the user's own address */
  notifyEmail?: string;
  /** default $true */
  sendEmail?: boolean;
  /** describe, change nothing */
  whatIf?: boolean;
}

export interface SetUMMailboxPINResult {
  userId: string;
  pinChanged: boolean;
  lockedOut: boolean;
  pinExpired: boolean;
  mailTo: string | null;
  whatIf: string | null;
}

function parametersOf(i: SetUMMailboxPINInput): Record<string, unknown> {
  return {
    Identity: i.identity,
    Pin: i.pin,
    PINExpired: i.pinExpired,
    LockedOut: i.lockedOut,
    NotifyEmail: i.notifyEmail,
    SendEmail: i.sendEmail,
    WhatIf: i.whatIf,
  };
}

interface PreparedReset {
  m: ResolvedMailbox;
  pin: string;
  pinHash: string;
  pinExpired: boolean;
  lockedOut: boolean;
  mailTo: string | null;
  mailKind: 'pin-reset' | 'self-reset';
  audit: AuditRecord;
}

/** Writes prepared resets in one transaction: PIN, history, outbox row and audit entry for each. */
async function writeResets(deps: Deps, actor: Actor, resets: PreparedReset[]): Promise<void> {
  if (resets.length === 0) return;
  const org = await deps.store.getOrganization();
  await deps.store.transaction(async (tx) => {
    const mails: OutboxInput[] = [];
    const audits: AuditInput[] = [];
    for (const r of resets) {
      await tx.replacePin({
        recipientId: r.m.recipient.id,
        pinHash: r.pinHash,
        pinSetAt: deps.clock.now(),
        pinExpired: r.pinExpired,
        firstTimeUser: (await tx.getPin(r.m.recipient.id))?.firstTimeUser ?? true,
        lockedOut: r.lockedOut,
        keepHistory: r.m.policy.pinHistoryCount - 1,
      });
      if (r.mailTo)
        mails.push(
          outboxMessage(
            deps,
            r.m,
            r.mailKind,
            payloadFor(r.m, 'pin-reset', { ...(await pinForMail(deps, tx, r.m, r.pin)), pinExpired: r.pinExpired }),
            { to: r.mailTo, language: mailLanguage(r.m, org) },
          ),
        );
      audits.push(auditInput(deps, actor, r.audit, 'success'));
    }
    await tx.enqueueOutbox(mails);
    await appendAudit(deps, tx, audits);
  });
}

function authorizeSet(actor: Actor, m: ResolvedMailbox, input: SetUMMailboxPINInput, lockOnly: boolean): void {
  const target = { recipientId: m.recipient.id, dialPlanId: m.dialPlan.id, label: m.recipient.primarySmtpAddress };
  authorize(actor, lockOnly ? 'pin:lock' : 'pin:reset', 'Set-UMMailboxPIN', target);
  // PinChangeAllowed $false: the PIN is the administrators' alone, a self-service reset included
  if (actor.kind === 'user' && !m.mailbox.pinChangeAllowed)
    throw new UmpinError({ code: 'UMPIN_PIN_CHANGE_NOT_ALLOWED' });
  // A user may reset only their own PIN, to a generated one mailed to themselves (as in Exchange's web client).
  if (
    actor.kind === 'user' &&
    (input.pin !== undefined ||
      input.lockedOut !== undefined ||
      input.notifyEmail !== undefined ||
      input.sendEmail === false ||
      input.pinExpired === false)
  ) {
    throw new UmpinError({
      code: 'UMPIN_ACCESS_DENIED',
      params: {
        actor: actor.name,
        action: 'Set-UMMailboxPIN with -Pin, -LockedOut, -NotifyEmail, -SendEmail or -PinExpired',
        target: target.label,
      },
    });
  }
}

/** Help Desk may not reset, set or unlock an administrator's PIN (locking it stays allowed). */
async function refuseAdministratorTarget(deps: Deps, actor: Actor, m: ResolvedMailbox): Promise<void> {
  if (mayResetAdministratorPins(actor) || !(await isAdministratorMailbox(deps.store, m.recipient))) return;
  throw new UmpinError({
    code: 'UMPIN_TARGET_IS_ADMINISTRATOR',
    params: { actor: actor.name, target: m.recipient.primarySmtpAddress },
  });
}

export async function setUMMailboxPIN(
  deps: Deps,
  actor: Actor,
  input: SetUMMailboxPINInput,
): Promise<SetUMMailboxPINResult> {
  const rec: AuditRecord = {
    action: 'Set-UMMailboxPIN',
    target: input.identity ?? null,
    parameters: parametersOf(input),
  };
  const lockOnly = input.lockedOut !== undefined && input.pin === undefined;
  const prepared = await auditRefusal(deps, actor, rec, async () => {
    const m = await resolveMailbox(deps.store, input.identity, { actor });
    rec.target = m.recipient.primarySmtpAddress;
    authorizeSet(actor, m, input, lockOnly);
    if (!lockOnly || input.lockedOut === false) await refuseAdministratorTarget(deps, actor, m);
    if (input.notifyEmail !== undefined) checkNotifyEmail(input.notifyEmail);
    if (input.pin !== undefined && !lockOnly)
      await checkChosenPin(deps, m, String(input.pin), await deps.store.getPin(m.recipient.id));
    return m;
  });
  const m = prepared;
  const userId = m.recipient.primarySmtpAddress;

  if (lockOnly) {
    const locked = input.lockedOut!;
    if (input.whatIf)
      return {
        userId,
        pinChanged: false,
        lockedOut: locked,
        pinExpired: input.pinExpired ?? (await deps.store.getPin(m.recipient.id))?.pinExpired ?? false,
        mailTo: null,
        whatIf: `${locked ? 'Locking' : 'Unlocking'} the UM mailbox "${userId}".`,
      };
    let pinExpired = false;
    await mutate(deps, actor, rec, async (tx) => {
      await tx.setLock(m.recipient.id, locked);
      if (input.pinExpired !== undefined) await tx.setPinFlags(m.recipient.id, { pinExpired: input.pinExpired });
      pinExpired = (await tx.getPin(m.recipient.id))?.pinExpired ?? false;
    });
    return { userId, pinChanged: false, lockedOut: locked, pinExpired, mailTo: null, whatIf: null };
  }

  const pinExpired = input.pinExpired ?? true;
  const lockedOut = input.lockedOut ?? false;
  const mailTo = input.sendEmail === false ? null : (input.notifyEmail?.trim() ?? userId);
  if (input.whatIf) {
    return {
      userId,
      pinChanged: false,
      lockedOut,
      pinExpired,
      mailTo,
      whatIf: `Setting ${input.pin === undefined ? 'a generated' : 'the given'} PIN on the UM mailbox "${userId}" (PinExpired ${pinExpired}, LockedOut ${lockedOut})${mailTo ? `, mailed to ${mailTo}` : ', not mailed'}.`,
    };
  }
  const pin = input.pin !== undefined ? String(input.pin) : newRandomPin(deps, m);
  const pinHash = await deps.hasher.hash(pin);
  await writeResets(deps, actor, [
    {
      m,
      pin,
      pinHash,
      pinExpired,
      lockedOut,
      mailTo,
      mailKind: actor.kind === 'user' ? 'self-reset' : 'pin-reset',
      audit: rec,
    },
  ]);
  return { userId, pinChanged: true, lockedOut, pinExpired, mailTo, whatIf: null };
}

export interface BulkResetInput {
  identities: string[];
  pinExpired?: boolean;
  sendEmail?: boolean;
}

export interface BulkResetResult {
  reset: number;
  /** each mailbox reset, in the order of the identities: where its PIN mail goes */
  done: Array<{ identity: string; userId: string; mailTo: string | null }>;
  failed: Array<{ identity: string; code: string; message: string; issue: Issue }>;
}

/**
 * Resets many mailboxes to generated PINs, the same operation as Set-UMMailboxPIN without
 * -Pin, made fast: hashes run on every core while earlier batches are written, and each
 * batch of PIN, history, outbox and audit rows is written in one transaction.
 */
export async function resetUMMailboxPINs(
  deps: Deps,
  actor: Actor,
  input: BulkResetInput,
  batchSize = 250,
): Promise<BulkResetResult> {
  const result: BulkResetResult = { reset: 0, done: [], failed: [] };
  // a refused identity is on record as a failure, as a refused Set-UMMailboxPIN is
  const refusals: AuditInput[] = [];
  const pinExpired = input.pinExpired ?? true;
  let writing: Promise<void> = Promise.resolve();
  for (let i = 0; i < input.identities.length; i += batchSize) {
    const slice = input.identities.slice(i, i + batchSize);
    const prepared = await Promise.all(
      slice.map(async (identity): Promise<PreparedReset | null> => {
        const rec: AuditRecord = {
          action: 'Set-UMMailboxPIN',
          target: identity,
          parameters: { Identity: identity, PINExpired: pinExpired, SendEmail: input.sendEmail },
        };
        try {
          const m = await resolveMailbox(deps.store, identity, { actor });
          rec.target = m.recipient.primarySmtpAddress;
          authorizeSet(actor, m, { identity }, false);
          await refuseAdministratorTarget(deps, actor, m);
          const pin = newRandomPin(deps, m);
          return {
            m,
            pin,
            pinHash: await deps.hasher.hash(pin),
            pinExpired,
            lockedOut: false,
            mailTo: input.sendEmail === false ? null : m.recipient.primarySmtpAddress,
            mailKind: 'pin-reset',
            audit: rec,
          };
        } catch (err) {
          if (!(err instanceof UmpinError)) throw err;
          result.failed.push({ identity, code: err.code, message: err.message, issue: err.issue });
          refusals.push(auditInput(deps, actor, rec, 'failure', err.code));
          return null;
        }
      }),
    );
    await writing;
    const ready = prepared.filter((p): p is PreparedReset => p !== null);
    writing = writeResets(deps, actor, ready).then(() => {
      result.reset += ready.length;
      for (const r of ready)
        result.done.push({
          identity: slice[prepared.indexOf(r)]!,
          userId: r.m.recipient.primarySmtpAddress,
          mailTo: r.mailTo,
        });
    });
    // awaited at the next batch or the end; until then a failed write must not be "unhandled"
    writing.catch(() => undefined);
  }
  await writing;
  if (refusals.length > 0) await deps.store.transaction((tx) => appendAudit(deps, tx, refusals));
  return result;
}
