import { defineConfig } from 'vitest/config';

/** A run of the fixtures alone, ended by the summary reporter under test (its own suite runs it). */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['*.fixture.ts'],
    reporters: ['../summary-reporter.ts'],
    pool: 'forks',
    maxWorkers: 1,
  },
});
