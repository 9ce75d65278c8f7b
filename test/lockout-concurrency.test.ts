/**
 * 1,000 concurrent wrong PINs at one mailbox from two separate processes: exactly
 * MaxLogonAttempts failures are counted, the PIN is reset exactly at 5 and 10 (one mail
 * each) and the mailbox ends locked at 15 — on SQLite (one file, two processes) and on
 * PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contoso } from './fixtures.js';
import { expectLockedAfterHammer } from './lockout-expectations.js';
import { childEnv, ENGINES, testContext, type TestContext } from './harness.js';

function runHammer(
  env: NodeJS.ProcessEnv,
): Promise<{ outcomes: Record<string, number>; errors: string[]; errorCount: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/hammer.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`hammer exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!));
      } catch {
        reject(new Error(`hammer printed no result: ${out} ${err}`));
      }
    });
  });
}

for (const engine of ENGINES) {
  describe(`atomic lockout across processes (${engine})`, () => {
    let t: TestContext;
    beforeEach(async () => {
      t = await testContext(engine);
      await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231', pin: '1985848' }]);
    });
    afterEach(() => t.close());

    it('counts exactly 15 of 1,000 parallel wrong PINs, resets twice and locks once', async () => {
      const env = childEnv(t.db, {
        HAMMER_EXTENSION: '10231',
        HAMMER_PIN: '2468013',
        HAMMER_COUNT: '500',
        HAMMER_START_AT: String(Date.now() + 2500),
      });
      const [a, b] = await Promise.all([runHammer(env), runHammer(env)]);
      expect(a.errors).toEqual([]);
      expect(b.errors).toEqual([]);
      const total = (k: string) => (a.outcomes[k] ?? 0) + (b.outcomes[k] ?? 0);
      expect(total('wrong')).toBe(12);
      expect(total('auto-reset')).toBe(2);
      expect(total('locked-out')).toBe(986);
      // both processes really took part
      expect(Object.values(a.outcomes).reduce((x, y) => x + y, 0)).toBe(500);
      expect(Object.values(b.outcomes).reduce((x, y) => x + y, 0)).toBe(500);

      await expectLockedAfterHammer(t.deps);
    });
  });
}
