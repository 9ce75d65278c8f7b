/**
 * What services need from the outside world. Adapters implement these; compose.ts wires them.
 * Only adapters import better-sqlite3, pg, argon2 or nodemailer.
 */
export type { Store, StoreTx } from '../store/store.js';
import type { TollFraudGuard } from './toll-fraud-guard.js';

export interface PinHasher {
  /**
   * A PHC string ($argon2id$…) carrying its own cost parameters: the configured cost, or
   * `cost` (only the synthetic demo passes a cheaper one; a right logon upgrades such a hash).
   */
  hash(pin: string, cost?: { m: number; t: number; p: number }): Promise<string>;
  /** Constant-time; false for a malformed hash. */
  verify(encoded: string, pin: string): Promise<boolean>;
  /** True when the hash was made at a lower cost than the one configured now. */
  needsRehash(encoded: string): boolean;
}

/** Authenticated encryption for outbox payloads that carry a clear PIN. */
export interface PayloadCipher {
  seal(plaintext: string, aad: string): string;
  open(sealed: string, aad: string): string;
}

/** Links one audit entry to the previous one (keyed, so a database-only attacker cannot re-link). */
export interface AuditSigner {
  link(previousHash: string, content: string): string;
}

export interface Clock {
  now(): number;
}

/** Uniform integer in [0, maxExclusive) from a CSPRNG. */
export type RandomInt = (maxExclusive: number) => number;

export interface Deps {
  store: import('../store/store.js').Store;
  hasher: PinHasher;
  cipher: PayloadCipher;
  signer: AuditSigner;
  clock: Clock;
  randomInt: RandomInt;
  /** Keyed digest (HMAC-SHA256, base64url) of a bearer secret: what the store keeps and looks up instead of the secret. */
  digest: SecretDigest;
  /** How long an administrator's web session lasts (UMPIN_SESSION_IDLE_MINUTES, UMPIN_SESSION_HOURS). */
  sessionTimeouts: SessionTimeouts;
  /** The process's one toll-fraud guard in front of telephone logons (UMPIN_TOLL_FRAUD): made in the composition root like the hasher. */
  tollFraudGuard: TollFraudGuard;
}

export interface SessionTimeouts {
  /** ends after this long without a request (default 30 minutes) */
  idleMs: number;
  /** ends this long after sign-in, however busy (default 12 hours) */
  absoluteMs: number;
}

export const DEFAULT_SESSION_TIMEOUTS: Readonly<SessionTimeouts> = Object.freeze({ idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 });

export type SecretDigest = (secret: string) => string;
