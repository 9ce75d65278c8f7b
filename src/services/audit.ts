import type { ErrorCode } from '../domain/errors.js';
import { UmpinError } from '../domain/errors.js';
import type { AuditInput } from '../domain/audit-entry.js';
import type { StoreTx } from './ports/store.js';
import type { Actor } from './actor.js';
import type { Deps } from './ports/deps.js';

/** Parameter names that can carry a PIN, in any letter case: Pin, NewPin, OldPin, ConfirmPin… */
const PIN_KEY = /pin$/i;
/** …or another secret (Password, Token, SessionId, CsrfToken, Secret, a sign-in Code): services do not pass these; this is the backstop. */
const SECRET_KEY = /(password|passwd|token|secret|session_?id|csrf)|^(sign_?in_?)?code$/i;

/** Audit parameters never hold a PIN: the value is replaced by a marker that says one was given. */
export function redactParameters(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    out[k] = (PIN_KEY.test(k) || SECRET_KEY.test(k)) && v !== null ? '(redacted)' : v;
  }
  return out;
}

export interface AuditRecord {
  action: string;
  target: string | null;
  parameters: Record<string, unknown>;
}

export function auditInput(
  deps: Deps,
  actor: Actor,
  rec: AuditRecord,
  result: 'success' | 'failure',
  errorCode: ErrorCode | null = null,
): AuditInput {
  return {
    at: deps.clock.now(),
    actor: actor.name,
    source: actor.source ?? null,
    action: rec.action,
    target: rec.target,
    parameters: redactParameters(rec.parameters),
    result,
    errorCode,
  };
}

export function appendAudit(deps: Deps, tx: StoreTx, entries: AuditInput[]): Promise<unknown> {
  return tx.appendAudit(entries, (prev, content) => deps.signer.link(prev, content));
}

/**
 * The one way services change state: fn runs in a transaction that also writes the audit
 * entry. A refused request (bad input, denied, conflict) changes nothing but is itself
 * recorded as a failure, as Exchange's admin audit log does.
 */
/** A refusal is on record even when nothing was written. */
function refused(err: unknown): err is UmpinError {
  return err instanceof UmpinError && err.category !== 'internal' && err.category !== 'unavailable';
}

/**
 * Runs checks made before a transaction (those that need the KDF, which must never run
 * while a transaction holds the database); a refusal is audited like one inside mutate().
 */
export async function auditRefusal<T>(deps: Deps, actor: Actor, rec: AuditRecord, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (err) {
    if (refused(err))
      await deps.store.transaction((tx) => appendAudit(deps, tx, [auditInput(deps, actor, rec, 'failure', err.code)]));
    throw err;
  }
}

export async function mutate<T>(
  deps: Deps,
  actor: Actor,
  rec: AuditRecord | (() => AuditRecord),
  fn: (tx: StoreTx) => Promise<T>,
): Promise<T> {
  const record = () => (typeof rec === 'function' ? rec() : rec);
  try {
    return await deps.store.transaction(async (tx) => {
      const result = await fn(tx);
      await appendAudit(deps, tx, [auditInput(deps, actor, record(), 'success')]);
      return result;
    });
  } catch (err) {
    if (refused(err)) {
      await deps.store.transaction((tx) =>
        appendAudit(deps, tx, [auditInput(deps, actor, record(), 'failure', err.code)]),
      );
    }
    throw err;
  }
}
