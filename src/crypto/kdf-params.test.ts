import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/fixtures.js';
import { DEFAULT_KDF, isWeakerThan, paramsOfHash, parseKdfParams } from './kdf-params.js';

describe('KDF parameters', () => {
  it('the default is 46 MiB, 2 passes, 1 lane, and cannot be changed by accident', () => {
    expect(DEFAULT_KDF).toEqual({ m: 47104, t: 2, p: 1 });
    expect(Object.isFrozen(DEFAULT_KDF)).toBe(true);
  });

  it('parses m=,t=,p= in any order and with spaces', () => {
    expect(parseKdfParams('m=47104,t=2,p=1')).toEqual({ m: 47104, t: 2, p: 1 });
    expect(parseKdfParams(' p = 2 , m=65536,t=3 ')).toEqual({ m: 65536, t: 3, p: 2 });
    expect(parseKdfParams('m=8,t=1,p=1')).toEqual({ m: 8, t: 1, p: 1 });
  });

  it.each([
    ['', 'empty'],
    ['m=47104,t=2', 'p missing'],
    ['m=47104,t=2,p=1,x=3', 'unknown key'],
    ['m=47104;t=2;p=1', 'wrong separator'],
    ['m=46MiB,t=2,p=1', 'not a number'],
    ['m=-1,t=2,p=1', 'negative'],
    ['m=1.5,t=2,p=1', 'fraction'],
    ['m=47104,t=0,p=1', 't below 1'],
    ['m=47104,t=2,p=0', 'p below 1'],
    ['m=15,t=1,p=2', 'm below 8·p'],
    ['m=,t=2,p=1', 'empty value'],
  ])('refuses %j (%s), naming the setting', (text) => {
    const err = thrown(() => parseKdfParams(text));
    expect(err.code).toBe('UMPIN_VALUE_INVALID');
    expect(err.field).toBe('UMPIN_KDF');
    expect(err.message).toMatch(/^UMPIN_KDF is not valid: /);
  });

  it('names another source when asked', () => {
    expect(thrown(() => parseKdfParams('m=1', '--kdf')).field).toBe('--kdf');
  });

  it('reads the cost back from an argon2id hash, and nothing from other strings', () => {
    expect(paramsOfHash('$argon2id$v=19$m=47104,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g')).toEqual({ m: 47104, t: 2, p: 1 });
    expect(paramsOfHash('$argon2i$v=19$m=47104,t=2,p=1$c2FsdA$aGFzaA')).toBeNull();
    expect(paramsOfHash('$argon2id$v=16$m=47104,t=2,p=1$c2FsdA$aGFzaA')).toBeNull();
    expect(paramsOfHash('garbage')).toBeNull();
  });

  it('a cost is weaker when any dimension is lower', () => {
    const d = { m: 47104, t: 2, p: 1 };
    expect(isWeakerThan({ m: 47103, t: 2, p: 1 }, d)).toBe(true);
    expect(isWeakerThan({ m: 47104, t: 1, p: 1 }, d)).toBe(true);
    expect(isWeakerThan({ m: 65536, t: 1, p: 4 }, d)).toBe(true);
    expect(isWeakerThan(d, d)).toBe(false);
    expect(isWeakerThan({ m: 65536, t: 3, p: 2 }, d)).toBe(false);
  });
});
