/** Only the crypto adapter imports argon2. */
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
