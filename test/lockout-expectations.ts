/**
 * What 1,000 wrong PINs at tonysmith must leave behind with the default policy, however
 * they arrive (service calls from two processes, or HTTP to two servers): locked at 15
 * failures, two automatic resets (at 5 and 10) mailed and audited, one lockout notice.
 */
import { expect } from 'vitest';
import { getUMMailboxPIN } from '../src/services/get-um-mailbox-pin.js';
import type { Deps } from '../src/services/ports/deps.js';
import { ADMIN } from './fixtures.js';

export async function expectLockedAfterHammer(deps: Deps): Promise<void> {
  const status = await getUMMailboxPIN(deps, ADMIN, 'tonysmith');
  expect(status).toMatchObject({ lockedOut: true, failedAttempts: 15 });
  const mails = await deps.store.listOutbox({ recipientId: status.identity });
  expect(mails.filter((m) => m.kind === 'auto-reset')).toHaveLength(2);
  expect(mails.filter((m) => m.kind === 'lockout')).toHaveLength(1);
  const audit = await deps.store.listAudit({});
  expect(audit.filter((e) => e.action === 'Voice:AutoResetPIN').map((e) => e.parameters.FailedAttempts)).toEqual([
    5, 10,
  ]);
  expect(audit.filter((e) => e.action === 'Voice:LockOut')).toHaveLength(1);
  // two resets: the PIN is on its third version, both old ones in history
  expect((await deps.store.getPin(status.identity))!.version).toBe(3);
}
