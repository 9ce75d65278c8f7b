import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { thrown } from '../../test/fixtures.js';
import { deriveSecrets, loadOrCreateSecrets, SECRET_FILE_NAME, type ServerSecrets } from './secrets.js';

const hex = (s: ServerSecrets) => ({
  pepper: s.pepper.toString('hex'),
  outboxKey: s.outboxKey.toString('hex'),
  auditKey: s.auditKey.toString('hex'),
  tokenKey: s.tokenKey.toString('hex'),
});

describe('server secrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'umpin-secrets-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the key file on first run, readable by its owner only, and reuses it', () => {
    const dataDir = join(dir, 'data');
    const first = loadOrCreateSecrets(dataDir, undefined);
    const path = join(dataDir, SECRET_FILE_NAME);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o077).toBe(0);
    const content = readFileSync(path, 'utf8');
    expect(Buffer.from(content.trim(), 'base64')).toHaveLength(32);
    const second = loadOrCreateSecrets(dataDir, '');
    expect(hex(second)).toEqual(hex(first));
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('derives four different 32-byte keys, and another data directory gets other keys', () => {
    const s = loadOrCreateSecrets(dir, undefined);
    for (const k of [s.pepper, s.outboxKey, s.auditKey, s.tokenKey]) expect(k).toHaveLength(32);
    expect(new Set(Object.values(hex(s))).size).toBe(4);
    const other = loadOrCreateSecrets(join(dir, 'other'), undefined);
    expect(hex(other).pepper).not.toBe(hex(s).pepper);
  });

  it('refuses a key file that group or others can read', () => {
    loadOrCreateSecrets(dir, undefined);
    const path = join(dir, SECRET_FILE_NAME);
    for (const mode of [0o644, 0o640, 0o604]) {
      chmodSync(path, mode);
      const err = thrown(() => loadOrCreateSecrets(dir, undefined));
      expect(err.code).toBe('UMPIN_SECRET_INSECURE');
      expect(err.message).toContain(path);
      expect(err.message).toContain('600');
    }
    chmodSync(path, 0o400);
    expect(() => loadOrCreateSecrets(dir, undefined)).not.toThrow();
  });

  it('refuses a key file whose content is not a 32-byte key, without showing the content', () => {
    const path = join(dir, SECRET_FILE_NAME);
    writeFileSync(path, 'c2hvcnQ=\n', { mode: 0o600 });
    const err = thrown(() => loadOrCreateSecrets(dir, undefined));
    expect(err.code).toBe('UMPIN_SECRET_INVALID');
    expect(err.message).not.toContain('c2hvcnQ');
  });

  it('UMPIN_SECRET_KEY wins over the key file, as base64 or hex', () => {
    const master = randomBytes(32);
    const fromB64 = loadOrCreateSecrets(dir, master.toString('base64'));
    const fromHex = loadOrCreateSecrets(dir, `${master.toString('hex').toUpperCase()}\n`);
    expect(hex(fromB64)).toEqual(hex(deriveSecrets(master)));
    expect(hex(fromHex)).toEqual(hex(deriveSecrets(master)));
    // no key file is written when the key comes from the environment
    expect(() => statSync(join(dir, SECRET_FILE_NAME))).toThrow();

    // even an insecure key file is not read then
    writeFileSync(join(dir, SECRET_FILE_NAME), `${randomBytes(32).toString('base64')}\n`, { mode: 0o644 });
    chmodSync(join(dir, SECRET_FILE_NAME), 0o644);
    expect(hex(loadOrCreateSecrets(dir, master.toString('base64')))).toEqual(hex(deriveSecrets(master)));
  });

  it('refuses an UMPIN_SECRET_KEY of the wrong length, naming the source', () => {
    for (const bad of [
      randomBytes(16).toString('base64'),
      randomBytes(33).toString('hex'),
      randomBytes(31).toString('base64'),
      'not a key at all',
    ]) {
      const err = thrown(() => loadOrCreateSecrets(dir, bad));
      expect(err.code).toBe('UMPIN_SECRET_INVALID');
      expect(err.message).toContain('UMPIN_SECRET_KEY');
      expect(err.message).toContain('32 bytes');
      expect(err.message).not.toContain(bad);
    }
  });

  it('the same master key always derives the same keys', () => {
    const master = randomBytes(32);
    expect(hex(deriveSecrets(master))).toEqual(hex(deriveSecrets(Buffer.from(master))));
    expect(hex(deriveSecrets(randomBytes(32))).pepper).not.toBe(hex(deriveSecrets(master)).pepper);
  });
});
