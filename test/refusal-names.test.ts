/**
 * A refused operation reads the same through every door: the in-process shell (the service
 * refuses), the remote shell and a REST client (the route refuses before the service runs)
 * give the same code and name the same operation — the cmdlet, never a REST operationId.
 */
import { describe, expect, it } from 'vitest';
import type { RoleGroup } from '../src/services/actor.js';
import { newApiToken } from '../src/services/api-tokens.js';
import { ADMIN } from './fixtures.js';
import { ENGINES } from './harness.js';
import { demoShell, SHELL_MODES } from './shell-harness.js';

interface Case {
  role: RoleGroup;
  shell: string;
  rest: { method: string; path: string; body?: unknown };
  operation: string;
}

const CASES: Case[] = [
  {
    role: 'HelpDesk',
    shell: 'New-UMDialPlan -Name Rogue -NumberOfDigitsInExtension 4',
    rest: { method: 'POST', path: '/api/v1/dial-plans', body: { name: 'Rogue', numberOfDigitsInExtension: 4 } },
    operation: 'New-UMDialPlan',
  },
  {
    role: 'ViewOnlyOrganizationManagement',
    shell: 'Set-UMMailboxPIN -Identity tonysmith',
    rest: { method: 'POST', path: '/api/v1/um-mailboxes/tonysmith/pin', body: { sendEmail: false } },
    operation: 'Set-UMMailboxPIN',
  },
  {
    role: 'VoiceGateway',
    shell: 'Get-UMMailboxPIN',
    rest: { method: 'GET', path: '/api/v1/pins' },
    operation: 'Get-UMMailboxPIN',
  },
];

/** The code and the operation a refusal names, as the shell prints it or as the API answers. */
const fromShell = (err: string) => ({
  code: /FullyQualifiedErrorId : (UMPIN_[A-Z_]+)/.exec(err)?.[1],
  operation: /may not run ([\w-]+)/.exec(err)?.[1],
});
const fromApi = (body: { code: string; message: string }) => ({
  code: body.code,
  operation: /may not run ([\w-]+)/.exec(body.message)?.[1],
});

describe.each(ENGINES)('a refusal names the operation the same way everywhere (%s)', (engine) => {
  it.each(CASES)('$role: $operation', async (c) => {
    const expected = { code: 'UMPIN_ACCESS_DENIED', operation: c.operation };
    for (const mode of SHELL_MODES) {
      const f = await demoShell(engine, mode, { as: { role: c.role } });
      try {
        const r = await f.run(c.shell);
        expect(r.ok).toBe(false);
        expect([mode, fromShell(r.err)]).toEqual([mode, expected]);
        if (mode === 'remote') {
          const token = (await newApiToken(f.ctx.deps, ADMIN, { name: 'rest-client', role: c.role })).token;
          const res = await fetch(`${f.url}${c.rest.path}`, {
            method: c.rest.method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(c.rest.body ? { 'content-type': 'application/json' } : {}),
            },
            body: c.rest.body ? JSON.stringify(c.rest.body) : undefined,
          });
          expect(res.status).toBe(403);
          expect(['rest', fromApi((await res.json()) as { code: string; message: string })]).toEqual([
            'rest',
            expected,
          ]);
        }
      } finally {
        await f.close();
      }
    }
  });
});
