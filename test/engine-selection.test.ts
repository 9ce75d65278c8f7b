/** UMPIN_TEST_ENGINES chooses the engines every store suite loops over: a wrong name fails the run, never narrows it. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { selectEngines } from './harness.js';

describe('engine selection', () => {
  it('runs both engines unless narrowed, in one order', () => {
    expect(selectEngines(undefined)).toEqual(['sqlite', 'postgres']);
    expect(selectEngines('sqlite')).toEqual(['sqlite']);
    expect(selectEngines('postgres')).toEqual(['postgres']);
    expect(selectEngines(' postgres , sqlite ')).toEqual(['sqlite', 'postgres']);
    expect(selectEngines('sqlite,sqlite')).toEqual(['sqlite']);
  });

  it('refuses a name that is no engine, naming it, rather than dropping an engine', () => {
    for (const [value, name] of [
      ['sqlite,postgresql', '"postgresql"'],
      ['sqlite,pg', '"pg"'],
      ['SQLite', '"SQLite"'],
      ['', '""'],
      ['sqlite,', '""'],
      ['sqlite;postgres', '"sqlite;postgres"'],
    ]) {
      expect(() => selectEngines(value), value).toThrow(name!);
    }
  });

  it('fails a test run whose UMPIN_TEST_ENGINES names an unknown engine', () => {
    // the harness as a suite imports it: loading it is what fails
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "await import('./test/harness.ts')"],
      { env: { ...process.env, UMPIN_TEST_ENGINES: 'sqlite,postgresql' }, encoding: 'utf8' },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('"postgresql" is not an engine');
  });
});
