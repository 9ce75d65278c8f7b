/**
 * SDES keying (RFC 4568): `a=crypto:<tag> <suite> inline:<key||salt base64>[|lifetime][|MKI:length] [session params]`.
 * Only AES_CM_128_HMAC_SHA1_80 is ours: its inline value is 30 bytes in base64 — a 16-byte
 * master key then a 14-byte master salt (§6.2.1). Lifetime is `2^n` or a decimal packet count
 * (at most 2^48 for this suite); the MKI is `value:length` with a length of 1–128 bytes.
 * Anything else is a refusal naming what is wrong, so one bad line costs only that line.
 */
export const SRTP_SUITE = 'AES_CM_128_HMAC_SHA1_80';

export interface SdesCrypto {
  readonly tag: number;
  readonly suite: typeof SRTP_SUITE;
  /** 16 bytes. */
  readonly key: Buffer;
  /** 14 bytes. */
  readonly salt: Buffer;
  /** Packets the key may protect; null when not given. */
  readonly lifetime: number | null;
  readonly mki: { readonly value: number; readonly length: number } | null;
  /** Session parameters as written (KDR=, UNENCRYPTED_SRTP...). */
  readonly sessionParams: readonly string[];
}

export type SdesFailure =
  | 'tag'
  | 'suite'
  | 'key-method'
  | 'several-keys'
  | 'key-encoding'
  | 'key-length'
  | 'lifetime'
  | 'mki';

export type SdesParse =
  | { readonly ok: true; readonly crypto: SdesCrypto }
  | { readonly ok: false; readonly failure: SdesFailure };

const BASE64_30 = /^[A-Za-z0-9+/]{40}$/;

/** Parses the fields of one crypto attribute as sdp-transform splits them. */
export function parseSdesCrypto(tag: number | string, suite: string, keyParams: string, sessionParams = ''): SdesParse {
  const fail = (failure: SdesFailure): SdesParse => ({ ok: false, failure });
  const tagText = String(tag);
  if (!/^[0-9]{1,9}$/.test(tagText)) return fail('tag');
  if (suite !== SRTP_SUITE) return fail('suite');
  if (keyParams.includes(';')) return fail('several-keys');
  if (!keyParams.startsWith('inline:')) return fail('key-method');
  const [keySalt, ...rest] = keyParams.slice('inline:'.length).split('|');
  if (keySalt === undefined || !BASE64_30.test(keySalt)) {
    return fail(keySalt !== undefined && /^[A-Za-z0-9+/]+=*$/.test(keySalt) ? 'key-length' : 'key-encoding');
  }
  const bytes = Buffer.from(keySalt, 'base64');
  if (bytes.length !== 30) return fail('key-length');
  if (rest.length > 2) return fail('mki');
  let lifetime: number | null = null;
  let mki: SdesCrypto['mki'] = null;
  for (const field of rest) {
    if (field.includes(':')) {
      if (mki !== null) return fail('mki');
      const m = /^([0-9]{1,15}):([0-9]{1,3})$/.exec(field);
      if (!m) return fail('mki');
      const value = Number(m[1]);
      const length = Number(m[2]);
      if (length < 1 || length > 128 || (length < 7 && value >= 2 ** (8 * length))) return fail('mki');
      mki = { value, length };
    } else {
      if (lifetime !== null || mki !== null) return fail('lifetime');
      const pow = /^2\^([0-9]{1,2})$/.exec(field);
      if (pow) lifetime = 2 ** Number(pow[1]);
      else if (/^[0-9]{1,15}$/.test(field)) lifetime = Number(field);
      else return fail('lifetime');
      if (lifetime < 1 || lifetime > 2 ** 48) return fail('lifetime');
    }
  }
  return {
    ok: true,
    crypto: {
      tag: Number(tagText),
      suite: SRTP_SUITE,
      key: Buffer.from(bytes.subarray(0, 16)),
      salt: Buffer.from(bytes.subarray(16)),
      lifetime,
      mki,
      sessionParams: sessionParams.trim() === '' ? [] : sessionParams.trim().split(/\s+/),
    },
  };
}

/** Our own crypto attribute value (after `a=crypto:`) for the answer. */
export function formatSdesCrypto(tag: number, key: Uint8Array, salt: Uint8Array): string {
  if (key.length !== 16 || salt.length !== 14) throw new RangeError('an SRTP master key is 16 bytes and its salt 14');
  return `${tag} ${SRTP_SUITE} inline:${Buffer.concat([key, salt]).toString('base64')}`;
}
