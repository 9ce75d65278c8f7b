/**
 * The summary line CI reads, from a real vitest run of fixtures with one of each outcome: a
 * failed `beforeAll` (of a suite or of a module) fails the tests it kept from running, a
 * failed `afterAll` fails its suite's tests, and a module that does not load counts once.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('counts tests under a failed hook as failed, not skipped', () => {
  const r = spawnSync(
    process.execPath,
    [
      join('node_modules', 'vitest', 'vitest.mjs'),
      'run',
      '--config',
      join('test', 'summary-reporter-fixtures', 'vitest.config.ts'),
    ],
    { encoding: 'utf8', env: { ...process.env, CI: '1' } },
  );
  expect(r.status, r.stderr).toBe(1);
  const lines = r.stdout.trim().split('\n');
  // passes; fails, two under the suite's beforeAll, one under the suite's afterAll, one under the
  // module's beforeAll, and the module that does not load; is skipped
  expect(lines.at(-1)).toBe('1 passed, 6 failed, 1 skipped');
});
