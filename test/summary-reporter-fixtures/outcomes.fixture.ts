/** One test of each outcome the summary line counts, for test/summary-reporter.test.ts. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

it('passes', () => {
  expect(1).toBe(1);
});

it('fails', () => {
  expect(1).toBe(2);
});

describe('a setup that fails', () => {
  beforeAll(() => {
    throw new Error('setup failed');
  });
  it('never runs (first)', () => {});
  it('never runs (second)', () => {});
});

describe('a teardown that fails', () => {
  afterAll(() => {
    throw new Error('teardown failed');
  });
  it('passes before it', () => {});
});

// a fixture of the reporter's count of skipped tests, not a test of umpin
it.skip('is skipped', () => {});
