/**
 * Every example in the shell's help — Microsoft's own examples from the cmdlet reference
 * pages and umpin's — runs verbatim on the demo organisation (after the objects it names
 * are created) without an error. Ignored parameters may warn.
 */
import { describe, expect, it } from 'vitest';
import { shellCommands } from '../src/shell/commands.js';
import { ENGINES } from './harness.js';
import { demoShell } from './shell-harness.js';

const EXAMPLES = shellCommands().flatMap((c) =>
  c.definition.examples.map((e, i) => ({
    name: `${c.definition.name} #${i + 1} (${e.source}): ${e.code}`,
    example: e,
  })),
);

describe.each(ENGINES)('help examples run verbatim (%s)', (engine) => {
  it('there are examples for every cmdlet', () => {
    for (const c of shellCommands()) expect(c.definition.examples.length, c.definition.name).toBeGreaterThan(0);
  });

  it.each(EXAMPLES)('$name', async ({ example }) => {
    const f = await demoShell(engine);
    try {
      // files the examples read
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${f.cwd}/users.csv`, 'Identity,Extensions\r\n');
      if (example.setup) {
        const s = await f.run(example.setup);
        expect(s.err, `setup failed: ${example.setup}`).toBe('');
      }
      // Remove-* and Disable-* ask first: answer yes, as the administrator reading the example would
      // and type a PIN where one is asked for (Read-Host -AsSecureString)
      const r = await f.run(example.code, ['yes', 'yes', 'yes', 'yes'], ['8302715']);
      expect(
        r.err
          .split('\n')
          .filter(
            (l) => l && !l.startsWith('WARNING: ') && !/^Confirm$|^Are you sure|^Performing the operation/.test(l),
          )
          .join('\n'),
        r.err,
      ).toBe('');
      expect(r.ok).toBe(true);
    } finally {
      await f.close();
    }
  });
});
