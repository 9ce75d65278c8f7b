/** What accounts, sessions and API tokens share: names, password rules, secrets, dial plan scopes. */
import { randomBytes } from 'node:crypto';
import { UmpinError } from '../domain/errors.js';
import type { StoreReads } from './ports/store.js';
import type { PinHasher } from './ports/pin-hasher.js';
import { resolveDialPlan } from './resolve.js';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** 32 random bytes as base64url */
export const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A bearer secret: 256 bits from the CSPRNG. The store only ever sees its keyed digest. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function isValidName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name.trim());
}

/** Account and token names: letters, digits and . _ @ - (they appear in audit entries as admin:<name>, token:<name>). */
export function checkName(name: unknown, field = 'Name'): string {
  if (typeof name !== 'string' || name.trim() === '')
    throw new UmpinError({ code: 'UMPIN_VALUE_REQUIRED', field, params: { field } });
  if (!isValidName(name)) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field,
      params: { field, rule: 'up to 64 letters, digits and . _ @ -, starting with a letter or digit' },
    });
  }
  return name.trim();
}

/** The rule is named, never the password. */
export function checkPassword(password: unknown, accountName: string, field = 'Password'): string {
  if (typeof password !== 'string' || password === '')
    throw new UmpinError({ code: 'UMPIN_VALUE_REQUIRED', field, params: { field } });
  if (password.length > PASSWORD_MAX)
    throw new UmpinError({ code: 'UMPIN_VALUE_TOO_LONG', field, params: { field, max: PASSWORD_MAX } });
  if (password.length < PASSWORD_MIN) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field,
      params: { field, rule: `it must be at least ${PASSWORD_MIN} characters long` },
    });
  }
  if (password.trim().toLowerCase() === accountName.trim().toLowerCase()) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field,
      params: { field, rule: 'it must not be the account name' },
    });
  }
  return password;
}

/** Dial plan identities to ids; none (or an empty list) means the whole organisation. */
export async function resolveScope(
  reads: StoreReads,
  scope: readonly string[] | undefined | null,
  field = 'Scope',
): Promise<string[] | null> {
  if (scope === undefined || scope === null || scope.length === 0) return null;
  const ids: string[] = [];
  for (const identity of scope) {
    const id = (await resolveDialPlan(reads, identity, field)).id;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Dial plan ids to names for display (an id whose dial plan is gone shows as the id). */
export async function scopeNames(reads: StoreReads, ids: readonly string[] | null): Promise<string[] | null> {
  if (ids === null) return null;
  const names = new Map((await reads.listDialPlans()).map((d) => [d.id, d.name]));
  return ids.map((id) => names.get(id) ?? id);
}

/**
 * A hash of nothing anyone knows, verified against when a sign-in names no account, so an
 * unknown name costs the same KDF time as a wrong password (made once per hasher).
 */
const decoys = new WeakMap<PinHasher, Promise<string>>();
export function decoyHash(hasher: PinHasher): Promise<string> {
  let h = decoys.get(hasher);
  if (!h) {
    h = hasher.hash(newSecret());
    decoys.set(hasher, h);
  }
  return h;
}
