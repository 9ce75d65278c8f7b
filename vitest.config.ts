import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for what a page shows; on a shared, busy machine that can take seconds
    expect: { poll: { timeout: 10_000 } },
    // two cores: more workers than that only fight over them
    maxWorkers: 2,
  },
});
