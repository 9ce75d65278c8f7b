/**
 * `umpin init --demo --mailboxes N`: the demo organisation grown to N UM mailboxes for
 * benchmarks and load tests. The synthetic users are written straight through the store in
 * large transactions, with no mail and one audit entry for the lot.
 *
 * Their PINs are random and known to nobody (no mail carries them), hashed at a cheap KDF
 * cost that the hash records (PHC string): a right logon upgrades it to the configured
 * cost, as for any older hash. That cheap cost is this command's alone: every PIN a person
 * can know is hashed at the configured cost.
 */
import { randomUUID } from 'node:crypto';
import { UmpinError } from '../domain/errors.js';
import { generatePin } from '../domain/pin-generator.js';
import type { DialPlan } from '../domain/dial-plan.js';
import type { MailboxPolicy } from '../domain/policy.js';
import { UM_MAILBOX_VOICE_DEFAULTS } from '../domain/um-mailbox.js';
import type { NewMailbox } from './ports/recipients.js';
import type { Actor } from './actor.js';
import { appendAudit, auditInput } from './audit.js';
import { DEMO_USERS, initDemo } from './demo.js';
import { syntheticPerson } from './demo-names.js';
import { newDialPlan } from './dial-plans.js';
import { authorize } from './permissions.js';
import type { Deps } from './ports/deps.js';

/** argon2id at its floor: about 0.05 ms a hash instead of ~35 ms, so a million take a minute, not hours. */
export const SYNTHETIC_KDF = Object.freeze({ m: 8, t: 1, p: 1 });

/** Synthetic person i < this has extension 20000 + i in Contoso (5 digits); the others are in Contoso Large. */
const IN_CONTOSO = 80_000;
const LARGE_PLAN = 'Contoso Large';
/** Contoso Large's extensions: 2000000 + (i − IN_CONTOSO), 7 digits, up to 9999999. */
const LARGE_FIRST_EXTENSION = 2_000_000;
export const MAX_DEMO_MAILBOXES = DEMO_USERS.length + IN_CONTOSO + (10_000_000 - LARGE_FIRST_EXTENSION);

export interface LargeDemoProgress {
  created: number;
  toCreate: number;
  elapsedMs: number;
}

export interface LargeDemoOptions {
  /** UM mailboxes in all: the demo's 20 and N − 20 synthetic ones */
  mailboxes: number;
  /** mailboxes per transaction */
  batch?: number;
  /** synthetic users in Contoso (5 digits) before Contoso Large (7) begins: 80,000 (20000–99999); tests lower it. Keep it between runs. */
  inContoso?: number;
  onProgress?(p: LargeDemoProgress): void;
}

export interface LargeDemoResult {
  /** synthetic mailboxes present before this run */
  existing: number;
  created: number;
  seconds: number;
}

interface Placement {
  dialPlan: DialPlan;
  policy: MailboxPolicy;
}

export const syntheticAddress = (i: number): string => `${syntheticPerson(i).alias}@contoso.com`;

export function syntheticExtension(i: number, inContoso = IN_CONTOSO): string {
  return i < inContoso ? String(20_000 + i) : String(LARGE_FIRST_EXTENSION + i - inContoso);
}

async function placement(deps: Deps, dialPlanName: string, create: () => Promise<unknown>): Promise<Placement> {
  let dialPlan = (await deps.store.findDialPlans(dialPlanName))[0];
  if (!dialPlan) {
    await create();
    dialPlan = (await deps.store.findDialPlans(dialPlanName))[0];
  }
  // its default policy, or whichever policy it has if that one was renamed
  const policy =
    (await deps.store.findPolicies(`${dialPlanName} Default Policy`)).find((p) => p.dialPlanId === dialPlan?.id) ??
    (dialPlan ? (await deps.store.listPolicies(dialPlan.id))[0] : undefined);
  if (!dialPlan || !policy)
    throw new UmpinError({
      code: 'UMPIN_IDENTITY_NOT_FOUND',
      field: 'UMMailboxPolicy',
      params: { identity: `${dialPlanName} Default Policy`, kind: 'UM mailbox policy' },
    });
  return { dialPlan, policy };
}

/**
 * A version 7 UUID: the time first, so a million new ids fill their indexes at the end
 * instead of touching every page (a counter keeps ids made in the same millisecond in order).
 */
let uuidCounter = 0;
function timeOrderedUuid(): string {
  const time = Date.now().toString(16).padStart(12, '0');
  const counter = (uuidCounter++ & 0xfff).toString(16).padStart(3, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter}-${randomUUID().slice(19)}`;
}

/** Runs commit in order, so the synthetic users present are 0…k−1: find k in ~20 look-ups. */
async function countPresent(deps: Deps, upTo: number): Promise<number> {
  const present = async (i: number) => (await deps.store.findRecipients(syntheticAddress(i))).length > 0;
  let lo = 0;
  let hi = upTo;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (await present(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export async function initLargeDemo(deps: Deps, actor: Actor, opts: LargeDemoOptions): Promise<LargeDemoResult> {
  const t0 = Date.now();
  if (!Number.isInteger(opts.mailboxes) || opts.mailboxes < DEMO_USERS.length || opts.mailboxes > MAX_DEMO_MAILBOXES) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'mailboxes',
      params: { field: '--mailboxes', rule: `a whole number from ${DEMO_USERS.length} to ${MAX_DEMO_MAILBOXES}` },
    });
  }
  // organisation-wide rights: a dial-plan-scoped role cannot build an organisation
  authorize(actor, 'recipient:write', 'New-Mailbox');
  authorize(actor, 'mailbox:write', 'Enable-UMMailbox');
  await initDemo(deps, actor);
  const toHave = opts.mailboxes - DEMO_USERS.length;
  const inContoso = Math.min(IN_CONTOSO, opts.inContoso ?? IN_CONTOSO);
  const small = await placement(deps, 'Contoso', async () => undefined);
  const large =
    toHave > inContoso
      ? await placement(deps, LARGE_PLAN, () =>
          newDialPlan(deps, actor, {
            name: LARGE_PLAN,
            numberOfDigitsInExtension: 7,
            countryOrRegionCode: '1',
            voiceAccessNumbers: ['+14255550199'],
          }),
        )
      : null;

  const existing = await countPresent(deps, toHave);
  const toCreate = toHave - existing;
  const batch = opts.batch ?? 50_000;

  // the next batch hashes (on the libuv pool) while this one is written (on the main thread)
  const prepare = async (from: number, to: number): Promise<NewMailbox[]> => {
    const now = deps.clock.now();
    const rows: Array<Promise<NewMailbox>> = [];
    for (let i = from; i < to; i++) {
      const { dialPlan, policy } = i < inContoso ? small : large!;
      const person = syntheticPerson(i);
      const address = `${person.alias}@contoso.com`;
      const id = timeOrderedUuid();
      const extensions = [syntheticExtension(i, inContoso)];
      const pin = generatePin({ policy, extensions }, deps.randomInt);
      rows.push(
        deps.hasher.hash(pin, SYNTHETIC_KDF).then((pinHash) => ({
          recipient: {
            id,
            alias: person.alias,
            primarySmtpAddress: address,
            userPrincipalName: address,
            displayName: person.displayName,
            language: person.language,
            createdAt: now,
            updatedAt: now,
          },
          mailbox: {
            recipientId: id,
            policyId: policy.id,
            dialPlanId: dialPlan.id,
            extensions,
            sipResourceIdentifier: null,
            enabledAt: now,
            ...UM_MAILBOX_VOICE_DEFAULTS,
          },
          // as Enable-UMMailbox leaves it: the first logon must change the PIN
          pin: {
            recipientId: id,
            pinHash,
            pinSetAt: now,
            pinExpired: true,
            firstTimeUser: true,
            lockedOut: false,
            keepHistory: policy.pinHistoryCount - 1,
          },
        })),
      );
    }
    return Promise.all(rows);
  };

  let created = 0;
  await deps.store.bulkLoad(async () => {
    let from = existing;
    let next = from < toHave ? prepare(from, Math.min(toHave, from + batch)) : null;
    while (next) {
      const rows = await next;
      const to = from + rows.length;
      next = to < toHave ? prepare(to, Math.min(toHave, to + batch)) : null;
      // a failed write must not leave the batch being hashed as an unhandled rejection
      next?.catch(() => undefined);
      const last = next === null;
      await deps.store.transaction(async (tx) => {
        await tx.insertMailboxes(rows);
        // one entry for the whole run, committed with its last rows
        if (last) {
          const parameters = {
            Mailboxes: opts.mailboxes,
            Created: created + rows.length,
            First: syntheticAddress(existing),
            Last: syntheticAddress(to - 1),
            KdfCost: `m=${SYNTHETIC_KDF.m},t=${SYNTHETIC_KDF.t},p=${SYNTHETIC_KDF.p}`,
            Mails: 0,
          };
          await appendAudit(deps, tx, [
            auditInput(deps, actor, { action: 'New-SyntheticUMMailboxes', target: null, parameters }, 'success'),
          ]);
        }
      });
      created += rows.length;
      from = to;
      opts.onProgress?.({ created, toCreate, elapsedMs: Date.now() - t0 });
    }
  });
  return { existing, created, seconds: (Date.now() - t0) / 1000 };
}
