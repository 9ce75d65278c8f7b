import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../sqlite/sqlite-store.js';
import { KeptCompilations } from './kept-compilations.js';
import type { KyselyStore } from './kysely-store.js';

describe('queries compiled once per key, with varying values bound anew', () => {
  let store: KyselyStore;
  beforeEach(async () => {
    store = openSqliteStore(':memory:');
    await store.migrate();
  });
  afterEach(() => store.close());

  /** A query shaped by `shape` (part of the key) with a time and a name that vary. */
  const query =
    (shape: string, derive = false) =>
    (v: readonly (string | number)[]) =>
      store.kysely
        .selectFrom('dial_plan')
        .select(['name'])
        .where('name', '=', shape)
        .where((eb) => eb.or([eb('name', '>', String(v[1])), sql<boolean>`${derive ? Number(v[0]) - 1000 : v[0]} > 0`]))
        .compile();

  it('compiles a key once and binds each call its own values, in their places', () => {
    const kept = new KeptCompilations();
    let builds = 0;
    const counted = (shape: string) => (v: readonly (string | number)[]) => {
      builds++;
      return query(shape)(v);
    };
    const first = kept.compiled('a', [1_800_000_000_000, 'Contoso'], counted('a'));
    expect(builds).toBe(2);
    expect(first.parameters).toEqual(['a', 'Contoso', 1_800_000_000_000]);
    const later = kept.compiled('a', [1_800_000_000_500, 'Fabrikam'], counted('a'));
    expect(builds).toBe(2);
    expect(later.sql).toBe(first.sql);
    expect(later.parameters).toEqual(['a', 'Fabrikam', 1_800_000_000_500]);
    // the constants of the key stay: a value that equals one of them is still bound where it varies
    expect(kept.compiled('a', [1, 'a'], counted('a')).parameters).toEqual(['a', 'a', 1]);
    // another key, another compilation
    expect(kept.compiled('b', [1, 'x'], counted('b')).parameters).toEqual(['b', 'x', 1]);
    expect(builds).toBe(4);
  });

  it('builds on every call a query that derives a parameter from a varying value, or its text', () => {
    const kept = new KeptCompilations();
    let builds = 0;
    const derived = (v: readonly (string | number)[]) => {
      builds++;
      return query('a', true)(v);
    };
    for (const now of [5000, 9000, 20_000]) {
      expect(kept.compiled('derived', [now, 'x'], derived).parameters).toEqual(['a', 'x', now - 1000]);
    }
    expect(builds).toBe(4);
    const inText = (v: readonly (string | number)[]) =>
      store.kysely
        .selectFrom('dial_plan')
        .select('name')
        .where('name', '=', sql.lit(String(v[1])))
        .compile();
    expect(kept.compiled('text', [1, 'Contoso'], inText).sql).toContain("'Contoso'");
    expect(kept.compiled('text', [1, 'Fabrikam'], inText).sql).toContain("'Fabrikam'");
  });

  it('keeps at most as many keys as it was given, and builds the rest each time', () => {
    const kept = new KeptCompilations(2);
    for (const k of ['a', 'b', 'c']) kept.compiled(k, [1, 'x'], query(k));
    expect(kept.size).toBe(2);
    expect(kept.compiled('c', [2, 'y'], query('c')).parameters).toEqual(['c', 'y', 2]);
  });
});
