/**
 * A burst of guesses from one calling number cannot own the PIN checks: at most two run at
 * once for that number (and for one mailbox), the rest are refused UMPIN_RATE_LIMITED before
 * any KDF work, and another user's right logon goes through meanwhile. The checks are counted
 * at the real hasher; lockout still counts exactly what was checked.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { UmpinError } from '../domain/errors.js';
import type { Actor } from './actor.js';
import { getUMMailboxPIN } from './get-um-mailbox-pin.js';
import { verifyLogon } from './voice-logon.js';

const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'], source: '127.0.0.1' };
const TONY = '1985848';
const KIM = '2750391';
const WRONG = '4069172';

for (const engine of ENGINES) {
  describe(`fair logons (${engine})`, () => {
    let t: TestContext;
    let running = 0;
    let most = 0;
    let checks = 0;
    beforeEach(async () => {
      t = await testContext(engine);
      await contoso(t.deps, [
        { alias: 'tonysmith', extension: '10231', pin: TONY },
        { alias: 'kimakers', extension: '10232', pin: KIM },
      ]);
      // counts the checks that reach the real hasher, and how many run at once
      const verify = t.deps.hasher.verify.bind(t.deps.hasher);
      running = most = checks = 0;
      t.deps.hasher.verify = async (encoded, pin) => {
        checks++;
        most = Math.max(most, ++running);
        try {
          return await verify(encoded, pin);
        } finally {
          running--;
        }
      };
    });
    afterEach(() => t.close());

    it('runs at most two checks at once for one calling number; the rest are refused before any KDF work', async () => {
      const burst = await Promise.allSettled(
        Array.from({ length: 300 }, () =>
          verifyLogon(t.deps, GATEWAY, { extension: '10231', callerId: '+15550001', pin: WRONG }),
        ),
      );
      const refused = burst.filter(
        (r) => r.status === 'rejected' && r.reason instanceof UmpinError && r.reason.code === 'UMPIN_RATE_LIMITED',
      ).length;
      const judged = burst.filter((r) => r.status === 'fulfilled').length;
      expect(refused + judged).toBe(300);
      expect(most).toBeLessThanOrEqual(2);
      expect(checks).toBe(judged);
      expect(refused).toBeGreaterThan(250);
      // what was checked was counted, exactly
      expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).failedAttempts).toBe(judged);
    });

    it("lets another user's right logon through while the burst is on", async () => {
      const burst = Promise.allSettled(
        Array.from({ length: 300 }, () =>
          verifyLogon(t.deps, GATEWAY, { extension: '10231', callerId: '+15550001', pin: WRONG }),
        ),
      );
      const kim = await verifyLogon(t.deps, GATEWAY, { extension: '10232', callerId: '+15550002', pin: KIM });
      expect(kim.outcome).not.toBe('wrong');
      expect(kim).toMatchObject({ userId: 'kimakers@contoso.com' });
      await burst;
    });

    it('caps one mailbox too, whatever number the guesses come from', async () => {
      const burst = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          verifyLogon(t.deps, GATEWAY, {
            extension: '10231',
            callerId: `+1555100${String(i).padStart(2, '0')}`,
            pin: WRONG,
          }),
        ),
      );
      expect(most).toBeLessThanOrEqual(2);
      expect(burst.some((r) => r.status === 'rejected' && (r.reason as UmpinError).code === 'UMPIN_RATE_LIMITED')).toBe(
        true,
      );
    });
  });
}
