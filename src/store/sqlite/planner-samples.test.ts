import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contoso } from '../../../test/fixtures.js';
import { testContext, type TestContext } from '../../../test/harness.js';
import { openSqliteStore } from './sqlite-store.js';

/** How many rows each statistics table holds, read through a connection of its own (as an operator's sqlite3 would). */
function statistics(path: string): { stat1: number; stat4: number } {
  const raw = new BetterSqlite3(path);
  try {
    const count = (table: string) =>
      raw.prepare("select count(*) from sqlite_schema where type = 'table' and name = ?").pluck().get(table)
        ? (raw.prepare(`select count(*) from ${table}`).pluck().get() as number)
        : 0;
    return { stat1: count('sqlite_stat1'), stat4: count('sqlite_stat4') };
  } finally {
    raw.close();
  }
}

// Samples make SQLite re-prepare the identity look-up on every call (planner-samples.ts);
// without them each hot statement stays prepared. Checked by the tables, not by timing.
describe('SQLite planner statistics keep no STAT4 samples', () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext('sqlite');
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
      { alias: 'junliu', extension: '10233' },
    ]);
  });
  afterEach(() => t.close());

  it('a bulk load leaves row counts for the planner and no samples', async () => {
    await t.deps.store.bulkLoad(async () => undefined);
    const s = statistics(t.db.url);
    expect(s.stat1).toBeGreaterThan(0);
    expect(s.stat4).toBe(0);
  });

  it("an operator's ANALYZE since the last start: the samples are gone once umpin opens the file", async () => {
    const raw = new BetterSqlite3(t.db.url);
    raw.exec('analyze');
    raw.close();
    expect(statistics(t.db.url).stat4).toBeGreaterThan(0);
    const reopened = openSqliteStore(t.db.url);
    try {
      expect(statistics(t.db.url)).toMatchObject({ stat4: 0 });
      expect(statistics(t.db.url).stat1).toBeGreaterThan(0);
      // and it still answers
      expect((await reopened.findRecipients('tonysmith')).map((r) => r.alias)).toEqual(['tonysmith']);
    } finally {
      await reopened.close();
    }
  });
});
