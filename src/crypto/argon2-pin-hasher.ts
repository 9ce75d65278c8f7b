import { hash, verify } from '@node-rs/argon2';

// Algorithm.Argon2id of @node-rs/argon2 (a const enum, which verbatimModuleSyntax cannot import)
const ARGON2ID = 2;
import { availableParallelism } from 'node:os';
import type { PinHasher } from '../services/ports/pin-hasher.js';
import { isWeakerThan, paramsOfHash, type KdfParams } from './kdf-params.js';
import { Semaphore } from './semaphore.js';

/**
 * argon2id keyed with the server pepper (argon2's "secret" input): the pepper is not part
 * of the stored string, so a copy of the database alone cannot test a single guess.
 * The native hash runs on the libuv pool, never on the event loop; the semaphore keeps
 * at most one hash per core in flight.
 */
export class Argon2PinHasher implements PinHasher {
  readonly #pepper: Buffer;
  readonly #params: KdfParams;
  readonly #gate: Semaphore;

  constructor(pepper: Buffer, params: KdfParams, concurrency = availableParallelism()) {
    this.#pepper = pepper;
    this.#params = { ...params };
    this.#gate = new Semaphore(concurrency);
  }

  get params(): KdfParams {
    return { ...this.#params };
  }

  /**
   * At the configured cost, through the per-core gate. At a cost the caller names (the
   * synthetic demo's cheap one) it skips the gate: that caller queues a whole batch on the
   * pool at once, to hash while its previous batch is written.
   */
  hash(pin: string, params?: KdfParams): Promise<string> {
    const run = () => {
      const k = params ?? this.#params;
      return hash(pin, { algorithm: ARGON2ID, memoryCost: k.m, timeCost: k.t, parallelism: k.p, secret: this.#pepper });
    };
    return params ? run() : this.#gate.run(run);
  }

  /** Constant-time inside argon2's verify; a malformed stored hash is a mismatch, never a throw that could echo input. */
  verify(encoded: string, pin: string): Promise<boolean> {
    return this.#gate.run(async () => {
      try {
        return await verify(encoded, pin, { secret: this.#pepper });
      } catch {
        return false;
      }
    });
  }

  needsRehash(encoded: string): boolean {
    const p = paramsOfHash(encoded);
    return p === null || isWeakerThan(p, this.#params);
  }
}
