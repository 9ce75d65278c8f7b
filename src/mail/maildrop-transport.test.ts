import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MaildropTransport } from './maildrop-transport.js';

describe('the maildrop folder', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('removes the half-written mail a killed process left behind, and leaves a running writer and delivered mail alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'umpin-maildrop-'));
    dirs.push(dir);
    // a pid that has certainly exited: a child that has already been waited for
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const orphan = join(dir, `.tmp-${gone}-0a1b2c3d4e5f`);
    const live = join(dir, `.tmp-${process.pid}-0a1b2c3d4e5f`);
    const delivered = join(dir, 'message@umpin.eml');
    for (const f of [orphan, live, delivered]) writeFileSync(f, 'Subject: Your new PIN\r\n\r\nPIN: 38472917\r\n');
    new MaildropTransport(dir);
    expect(existsSync(orphan)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual([`.tmp-${process.pid}-0a1b2c3d4e5f`, 'message@umpin.eml']);
  });
});
