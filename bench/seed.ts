/**
 * Seeds N UM mailboxes straight through the store in large transactions, with a cheap
 * hash: the benchmarks measure resets and logons, not the seeding.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../src/services/ports/deps.js';
import { contoso } from '../test/fixtures.js';
import { UM_MAILBOX_VOICE_DEFAULTS } from '../src/domain/um-mailbox.js';

export async function seedMailboxes(deps: Deps, n: number, cheapHash: string): Promise<string[]> {
  const { dialPlan, policy } = await contoso(deps, []);
  const ids: string[] = [];
  const now = Date.now();
  for (let i = 0; i < n; i += 1000) {
    await deps.store.transaction(async (tx) => {
      for (let j = i; j < Math.min(n, i + 1000); j++) {
        const id = randomUUID();
        const alias = `user${String(j).padStart(6, '0')}`;
        await tx.insertRecipient({
          id,
          alias,
          primarySmtpAddress: `${alias}@contoso.com`,
          userPrincipalName: `${alias}@contoso.com`,
          displayName: `User ${j}`,
          language: null,
          createdAt: now,
          updatedAt: now,
        });
        await tx.insertUmMailbox({
          recipientId: id,
          policyId: policy.id,
          dialPlanId: dialPlan.id,
          extensions: [String(20000 + j)],
          sipResourceIdentifier: null,
          enabledAt: now,
          ...UM_MAILBOX_VOICE_DEFAULTS,
        });
        await tx.insertPin({
          recipientId: id,
          pinHash: cheapHash,
          pinSetAt: now,
          pinExpired: false,
          firstTimeUser: false,
          lockedOut: false,
          keepHistory: 4,
        });
        ids.push(id);
      }
    });
  }
  return ids;
}
