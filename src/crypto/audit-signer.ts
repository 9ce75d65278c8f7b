import { createHmac } from 'node:crypto';
import type { AuditSigner } from '../services/ports/audit-signer.js';

/** HMAC-SHA256 links: entry hash = HMAC(key, previous hash ‖ canonical content). */
export class HmacAuditSigner implements AuditSigner {
  readonly #key: Buffer;
  constructor(key: Buffer) {
    this.#key = key;
  }
  link(previousHash: string, content: string): string {
    return createHmac('sha256', this.#key).update(previousHash).update('\n').update(content).digest('hex');
  }
}
