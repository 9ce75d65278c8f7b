/**
 * What services need from the outside world, one port a file beside this one. Adapters
 * implement them; compose.ts wires them. Only adapters import better-sqlite3, pg, argon2 or
 * nodemailer.
 */
import type { RandomInt } from '../../domain/pin-generator.js';
import type { TollFraudGuard } from '../toll-fraud-guard.js';
import type { AuditSigner } from './audit-signer.js';
import type { Clock } from './clock.js';
import type { PayloadCipher } from './payload-cipher.js';
import type { PinHasher } from './pin-hasher.js';
import type { SecretDigest } from './secret-digest.js';
import type { Store } from './store.js';

export interface Deps {
  store: Store;
  hasher: PinHasher;
  cipher: PayloadCipher;
  signer: AuditSigner;
  clock: Clock;
  /** Uniform integer in [0, maxExclusive) from a CSPRNG. */
  randomInt: RandomInt;
  /** Keyed digest (HMAC-SHA256, base64url) of a bearer secret: what the store keeps and looks up instead of the secret. */
  digest: SecretDigest;
  /** How long an administrator's web session lasts (UMPIN_SESSION_IDLE_MINUTES, UMPIN_SESSION_HOURS). */
  sessionTimeouts: SessionTimeouts;
  /** The process's one toll-fraud guard in front of telephone logons (UMPIN_TOLL_FRAUD): made in the composition root like the hasher. */
  tollFraudGuard: TollFraudGuard;
  /**
   * The address users reach umpin at (UMPIN_PUBLIC_URL, no trailing slash), for the links
   * PIN mails carry; unset until the server knows its own address (then DEFAULT_PUBLIC_URL).
   */
  publicUrl?: string;
}

export const DEFAULT_PUBLIC_URL = 'http://localhost:8080';

export interface SessionTimeouts {
  /** ends after this long without a request (default 30 minutes) */
  idleMs: number;
  /** ends this long after sign-in, however busy (default 12 hours) */
  absoluteMs: number;
}

export const DEFAULT_SESSION_TIMEOUTS: Readonly<SessionTimeouts> = Object.freeze({
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
});
