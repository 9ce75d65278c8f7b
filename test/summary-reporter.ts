import type { Reporter, TestCollection, TestModule } from 'vitest/node';

/**
 * Ends the run with the plain "N passed, N failed, N skipped" line that CI reads in any language.
 * A failed hook fails the tests of its suite: a `beforeAll` that throws leaves them unrun, and
 * unrun for that reason is failed, not skipped. A module that fails before it has tests counts once.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const n = { passed: 0, failed: 0, skipped: 0 };
    const tally = (children: TestCollection, hookFailed: boolean): number => {
      let failed = 0;
      for (const child of children) {
        if (child.type === 'suite') {
          failed += tally(child.children, hookFailed || child.errors().length > 0);
          continue;
        }
        const s = child.result().state;
        if (s === 'failed' || hookFailed) failed++;
        else if (s === 'passed') n.passed++;
        else n.skipped++;
      }
      return failed;
    };
    for (const m of modules) {
      const failed = tally(m.children, m.errors().length > 0);
      n.failed += failed > 0 || m.state() !== 'failed' ? failed : 1;
    }
    process.stdout.write(`\n${n.passed} passed, ${n.failed} failed, ${n.skipped} skipped\n`);
  }
}
