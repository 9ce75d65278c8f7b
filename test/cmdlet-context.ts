/** A CmdletContext for Exchange cmdlet tests: the services on the test's deps, and a record of what the cmdlet did. */
import type { Actor } from '../src/services/actor.js';
import type { Deps } from '../src/services/ports/deps.js';
import type { CmdletContext } from '../src/shell/cmdlet.js';
import { localOperations } from '../src/shell/operations.js';
import { ADMIN } from './fixtures.js';

/** A CmdletContext that records what a cmdlet emits, warns and asks. */
export interface FakeContext extends CmdletContext {
  emitted: unknown[];
  warnings: string[];
  /** every shouldProcess call, as (target, action) */
  asked: Array<[string, string]>;
  /** what shouldProcess answers: false is -WhatIf or a "no" */
  allow: boolean;
}

/** The services as `actor` (the local administrator unless given); shouldProcess says yes until `allow` is set to false. */
export function fakeContext(deps: Deps, actor: Actor = ADMIN): FakeContext {
  const ctx: FakeContext = {
    ops: localOperations(deps, actor),
    language: 'en',
    emitted: [],
    warnings: [],
    asked: [],
    allow: true,
    emit: (v) => void ctx.emitted.push(v),
    warn: (m) => void ctx.warnings.push(m),
    shouldProcess: async (target, action) => {
      ctx.asked.push([target, action]);
      return ctx.allow;
    },
    signal: new AbortController().signal,
  };
  return ctx;
}
