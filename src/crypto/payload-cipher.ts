import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { PayloadCipher } from '../services/ports/payload-cipher.js';

const VERSION = 'v1';

/**
 * AES-256-GCM for outbox payloads. The associated data binds a payload to its row
 * (its id), so a sealed PIN cannot be moved onto another recipient's row.
 * Format: v1.<iv b64url>.<tag b64url>.<ciphertext b64url>
 */
export class AesGcmPayloadCipher implements PayloadCipher {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError('AES-256-GCM needs a 32-byte key');
    this.#key = key;
  }

  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    c.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
    return [VERSION, iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join(
      '.',
    );
  }

  open(sealed: string, aad: string): string {
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== VERSION || !iv || !tag || body === undefined) throw new Error('sealed payload has an unknown format');
    const d = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    d.setAAD(Buffer.from(aad, 'utf8'));
    d.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
  }
}
