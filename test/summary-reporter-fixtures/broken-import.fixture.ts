/** A test module that fails before it defines a test, for test/summary-reporter.test.ts. */
throw new Error('this module does not load');
