/** A module-level `beforeAll` that fails, for test/summary-reporter.test.ts. */
import { beforeAll, it } from 'vitest';

beforeAll(() => {
  throw new Error('module setup failed');
});

it('never runs', () => {});
