/**
 * PIN hashes as compact blobs on SQLite (migration 0020-compact-pin-hash). The hasher writes a
 * PHC string, `$argon2id$v=19$m=47104,t=2,p=1$<salt>$<digest>`, 97 characters of which the
 * salt and digest are 48 bytes in base64. Stored as a blob it takes 56:
 *
 *   0x01 | varint v | varint m | varint t | varint p | varint salt length | salt | digest
 *
 * (varints: unsigned LEB128; the digest is the rest). A string is only encoded when decoding
 * the blob gives it back byte for byte; any other (another algorithm or version layout, extra
 * fields, base64 that is not canonical, numbers with leading zeros) is stored as the text it
 * is: SQLite's TEXT affinity keeps a blob a blob, so the column keeps its type and holds
 * either form, and reading decodes blobs and passes text through. PostgreSQL keeps text.
 */

/** The columns that hold a PIN hash, by table. */
export const PIN_HASH_COLUMNS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  pin_state: ['pin_hash'],
  pin_history: ['pin_hash'],
});

/** The name every query reads a PIN hash under (results are decoded by it). */
export const PIN_HASH_RESULT = 'pin_hash';

/** The SQL function (registered on the store's connection) that stores a bound PHC string in its compact form. */
export const PIN_HASH_BLOB_FUNCTION = 'umpin_pin_hash_blob';

/** SQL that turns a bound PHC string into what the column stores. */
export const PIN_HASH_BLOB_OF = [`${PIN_HASH_BLOB_FUNCTION}(`, ')'] as const;

/**
 * What a blob reads as when it is not one this codec wrote (a damaged row): a malformed hash,
 * which verifies no PIN (the hasher treats it as a mismatch) until the PIN is reset.
 */
export const UNREADABLE_PIN_HASH = '$umpin-unreadable-pin-hash';

const ARGON2ID = 1;
const PHC = /^\$argon2id\$v=(\d{1,10})\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,10})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const MAX = 0xffff_ffff;

function pushVarint(out: number[], n: number): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
}

/** The compact form of a PHC string, or null when it has none that gives it back exactly. */
export function pinHashBlob(phc: string): Buffer | null {
  const m = PHC.exec(phc);
  if (m === null) return null;
  const numbers = [m[1]!, m[2]!, m[3]!, m[4]!].map(Number);
  if (numbers.some((n) => n > MAX)) return null;
  const salt = Buffer.from(m[5]!, 'base64');
  const digest = Buffer.from(m[6]!, 'base64');
  const head: number[] = [ARGON2ID];
  for (const n of numbers) pushVarint(head, n);
  pushVarint(head, salt.length);
  const blob = Buffer.concat([Buffer.from(head), salt, digest]);
  // leading zeros, base64 with stray bits or padding: anything that would not come back the same stays text
  return pinHashText(blob) === phc ? blob : null;
}

const b64 = (b: Uint8Array): string => {
  const s = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
  const pad = s.indexOf('=');
  return pad < 0 ? s : s.slice(0, pad);
};

/** The PHC string a blob holds, or null when it is not a blob this codec wrote. */
export function pinHashText(blob: Uint8Array): string | null {
  if (blob[0] !== ARGON2ID) return null;
  let at = 1;
  const numbers: number[] = [];
  for (let i = 0; i < 5; i++) {
    let n = 0;
    let scale = 1;
    for (;;) {
      if (at >= blob.length || scale > 2 ** 35) return null;
      const byte = blob[at++]!;
      n += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
    }
    numbers.push(n);
  }
  const [v, mem, t, p, saltLength] = numbers as [number, number, number, number, number];
  if (saltLength === 0 || at + saltLength >= blob.length) return null;
  const salt = blob.subarray(at, at + saltLength);
  const digest = blob.subarray(at + saltLength);
  return `$argon2id$v=${v}$m=${mem},t=${t},p=${p}$${b64(salt)}$${b64(digest)}`;
}

/** What a PIN hash column's value reads as: a blob decoded, text as it is. */
export function storedPinHashText(value: unknown): unknown {
  return value instanceof Uint8Array ? (pinHashText(value) ?? UNREADABLE_PIN_HASH) : value;
}

/** What the column stores for a bound value (the SQL function's body): a PHC string's blob, or the value as it is. */
export function storedPinHash(value: unknown): unknown {
  return typeof value === 'string' ? (pinHashBlob(value) ?? value) : value;
}
