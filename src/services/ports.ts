/**
 * What services need from the outside world. Adapters implement these; compose.ts wires them.
 * Only adapters import better-sqlite3, pg, argon2 or nodemailer.
 */
export type { Store, StoreTx } from '../store/store.js';

export interface PinHasher {
  /** A PHC string ($argon2id$…) carrying its own cost parameters. */
  hash(pin: string): Promise<string>;
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
}
