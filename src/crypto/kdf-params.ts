import { UmpinError } from '../domain/errors.js';

/** argon2id cost. Stored inside every hash (PHC string), so it can be raised later and old hashes still verify. */
export interface KdfParams {
  /** memory in KiB */
  m: number;
  /** passes */
  t: number;
  /** lanes */
  p: number;
}

/**
 * Default: 46 MiB, 2 passes, 1 lane ≈ 33 ms a verification on this class of machine
 * (2 vCPU, measured in BENCHMARKS.md): inside the 20–60 ms budget with room for a noisy
 * neighbour, and above OWASP's argon2id minimum (46 MiB, t=1).
 */
export const DEFAULT_KDF: Readonly<KdfParams> = Object.freeze({ m: 47104, t: 2, p: 1 });

/** Parses "m=47104,t=2,p=1" (the PHC parameter syntax). */
export function parseKdfParams(text: string, source = 'UMPIN_KDF'): KdfParams {
  const out: Partial<KdfParams> = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if ((k === 'm' || k === 't' || k === 'p') && v && /^\d+$/.test(v)) out[k] = Number(v);
    else
      throw new UmpinError({
        code: 'UMPIN_VALUE_INVALID',
        field: source,
        params: { rule: 'expected m=<KiB>,t=<passes>,p=<lanes>' },
      });
  }
  const { m, t, p } = out;
  if (m === undefined || t === undefined || p === undefined || p < 1 || t < 1 || m < 8 * p) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: source,
      params: { rule: 'm, t and p are all required, t ≥ 1, p ≥ 1, m ≥ 8·p KiB' },
    });
  }
  return { m, t, p };
}

export function paramsOfHash(encoded: string): KdfParams | null {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(encoded);
  return m ? { m: Number(m[1]), t: Number(m[2]), p: Number(m[3]) } : null;
}

/** A hash is weaker than the configured cost when any dimension is lower. */
export function isWeakerThan(hashParams: KdfParams, wanted: KdfParams): boolean {
  return hashParams.m < wanted.m || hashParams.t < wanted.t || hashParams.p < wanted.p;
}
