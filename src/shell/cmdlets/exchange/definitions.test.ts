/**
 * What every command the shell offers must have, whoever wrote it: parameter names that
 * bind unambiguously, help for each, a reason for each ignored parameter, examples that
 * run it, and Identity declared the way Exchange does (first, and bound from the pipeline).
 */
import { describe, expect, it } from 'vitest';
import { shellCommands } from '../../commands.js';

/** PowerShell's common parameters: the binder adds them to every cmdlet, so none may declare its own. */
const COMMON = [
  'WhatIf',
  'Confirm',
  'Verbose',
  'Debug',
  'ErrorAction',
  'WarningAction',
  'InformationAction',
  'ErrorVariable',
  'WarningVariable',
  'InformationVariable',
  'OutVariable',
  'OutBuffer',
  'PipelineVariable',
];

describe('command definitions', () => {
  it.each(shellCommands().map((c) => [c.definition.name, c.definition] as const))(
    '%s: unique parameter names, help, examples that run it',
    (name, d) => {
      const all = [...d.parameters.map((p) => p.name), ...d.ignoredParameters.map((p) => p.name)].map((n) =>
        n.toLowerCase(),
      );
      expect(new Set(all).size).toBe(all.length);
      for (const common of COMMON) expect(all).not.toContain(common.toLowerCase());
      for (const p of d.parameters) expect(p.help.length, p.name).toBeGreaterThan(10);
      for (const p of d.ignoredParameters) expect(p.reason.length, p.name).toBeGreaterThan(3);
      expect(d.examples.length).toBeGreaterThan(0);
      for (const e of d.examples) expect(e.code.toLowerCase()).toContain(name.toLowerCase());
      const identity = d.parameters.find((p) => p.name === 'Identity');
      if (identity)
        expect(identity).toMatchObject({
          type: 'identity',
          position: 0,
          pipeline: { byValue: true, byPropertyName: true },
        });
    },
  );
});
