/** `umpin dtmf detect` as someone debugging a recording runs it (the built command, dist/). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeAlaw, encodeUlaw } from '../src/sip/media/g711.js';
import { CLI } from './cli-runner.js';
import { keyed, seeded, speak } from './dtmf-battery.js';

const dir = mkdtempSync(join(tmpdir(), 'umpin-dtmf-'));
const pin = keyed('1985848#', 70, [60, 120], seeded(11));
const bytes = (s: Int16Array) => new Uint8Array(s.buffer, s.byteOffset, s.byteLength);

function detect(args: string[], input?: Uint8Array) {
  const r = spawnSync(process.execPath, [CLI, 'dtmf', 'detect', ...args], { input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('umpin dtmf detect', () => {
  it('prints the keys in a 16-bit linear file, and nothing else', () => {
    const file = join(dir, 'pin.raw');
    writeFileSync(file, bytes(pin));
    expect(detect([file])).toEqual({ code: 0, stdout: '1985848#\n', stderr: '' });
  });

  it('reads μ-law and A-law bytes, from stdin with or without -', () => {
    expect(detect(['--format', 'ulaw'], encodeUlaw(pin))).toEqual({ code: 0, stdout: '1985848#\n', stderr: '' });
    expect(detect(['--format', 'alaw', '-'], encodeAlaw(pin))).toEqual({ code: 0, stdout: '1985848#\n', stderr: '' });
  });

  it('prints nothing for speech', () => {
    const speech = speak('Your PIN is one nine eight five, followed by the pound key.', 'en');
    expect(detect([], bytes(speech))).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('names the problem on stderr and exits non-zero: missing file, WAV file, odd byte count, unknown format', () => {
    const missing = detect([join(dir, 'nope.raw')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain('no such file');

    const wav = join(dir, 'pin.wav');
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'latin1');
    header.write('WAVEfmt ', 8, 'latin1');
    writeFileSync(wav, Buffer.concat([header, bytes(pin)]));
    const w = detect([wav]);
    expect(w.code).not.toBe(0);
    expect(w.stderr).toContain('is a WAV file');

    const odd = detect([], bytes(pin).subarray(0, 1001));
    expect(odd.code).not.toBe(0);
    expect(odd.stderr).toContain('odd number of bytes');

    const format = detect(['--format', 'mp3'], bytes(pin));
    expect(format.code).not.toBe(0);
    expect(format.stdout).toBe('');
    expect(format.stderr).toContain('s16, ulaw, alaw');
  });
});
