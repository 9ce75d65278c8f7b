import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import { contoso, failure, thrown } from '../../test/fixtures.js';
import type { Actor } from './actor.js';
import type { Deps } from './ports/deps.js';
import type { UmpinError } from '../domain/errors.js';
import {
  DEFAULT_TOLL_FRAUD,
  TollFraudGuard,
  type BackoffSlot,
  callerKey,
  failureKeys,
  gatewayKey,
  parseTollFraudOptions,
  type TollFraudOptions,
  type VoiceEvent,
} from './toll-fraud-guard.js';
import { changePin, verifyLogon } from './voice-logon.js';

const MINUTE = 60_000;
const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx1', roles: ['VoiceGateway'], source: '10.0.0.5' };

class ManualClock {
  t = 1_000_000;
  now = (): number => this.t;
}

for (const engine of ENGINES) {
  describe(`TollFraudGuard: back-off per calling number, counted in the store (${engine})`, () => {
    let t: TestContext;
    let guard: TollFraudGuard;
    beforeEach(async () => {
      t = await testContext(engine);
      guard = new TollFraudGuard({}, t.clock);
    });
    afterEach(() => t.close());
    /** one PIN check that fails, counted as the voice logon counts it */
    const fail = async (caller: string) => (await guard.reserve(t.deps.store, caller)).failed();
    const tryOnce = async (caller: string) => (await guard.reserve(t.deps.store, caller)).forgive();

    it('lets a caller try until 10 failures within 10 minutes, then backs off for a minute', async () => {
      for (let i = 0; i < 9; i++) {
        await fail('caller:14255550123');
        t.clock.advance(1000);
      }
      await tryOnce('caller:14255550123');
      await fail('caller:14255550123');
      const err = await failure(tryOnce('caller:14255550123'));
      expect(err.code).toBe('UMPIN_RATE_LIMITED');
      expect(err.params.retryAfter).toBe(60);
      // this process remembers the back-off the store told of: refused without asking again
      expect(thrown(() => guard.check('caller:14255550123')).code).toBe('UMPIN_RATE_LIMITED');
      t.clock.advance(59_000);
      expect(guard.retryAfter('caller:14255550123')).toBeGreaterThan(0);
      expect(guard.retryAfter('caller:14255550123')).toBeLessThanOrEqual(1000);
      t.clock.advance(1000);
      await tryOnce('caller:14255550123');
    });

    it('a back-off started on one server holds on another (its own guard, the same store)', async () => {
      for (let i = 0; i < 10; i++) await fail('caller:1');
      const other = new TollFraudGuard({}, t.clock);
      expect(other.retryAfter('caller:1')).toBe(0);
      expect((await failure(other.reserve(t.deps.store, 'caller:1'))).code).toBe('UMPIN_RATE_LIMITED');
      expect((await failure(other.checkShared(t.deps.store, 'caller:1'))).code).toBe('UMPIN_RATE_LIMITED');
    });

    it('doubles the back-off with each repeated offence, up to the longest', async () => {
      const waits: number[] = [];
      for (let offence = 0; offence < 9; offence++) {
        for (let i = 0; i < DEFAULT_TOLL_FRAUD.failures; i++) await fail('caller:1');
        const wait = guard.retryAfter('caller:1');
        waits.push(Math.round(wait / MINUTE));
        t.clock.advance(wait);
      }
      expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
      // a day later the offences are forgotten
      t.clock.advance(24 * 60 * MINUTE);
      for (let i = 0; i < DEFAULT_TOLL_FRAUD.failures; i++) await fail('caller:1');
      expect(Math.round(guard.retryAfter('caller:1') / 1000)).toBe(60);
    });

    it('forgets failures older than the window; a right PIN gives its attempt back', async () => {
      for (let i = 0; i < 30; i++) {
        await fail('caller:1');
        t.clock.advance(2 * MINUTE); // 5 per 10 minutes: never 10 in a window
      }
      for (let i = 0; i < 30; i++) await tryOnce('caller:2');
      expect(guard.retryAfter('caller:1')).toBe(0);
      await tryOnce('caller:1');
      await tryOnce('caller:2');
    });

    it('throttles the calling number, never the gateway: another caller through the same source keeps working', async () => {
      for (let i = 0; i < 10; i++) await fail('caller:14255550123');
      expect((await failure(tryOnce('caller:14255550123'))).code).toBe('UMPIN_RATE_LIMITED');
      await tryOnce('caller:14255550199');
      await tryOnce('extension:10232');
    });

    it('counts attempts still running: of 100 started together, 10 are checked, the rest refused at once', async () => {
      const slots = await Promise.allSettled(
        Array.from({ length: 100 }, () => guard.reserve(t.deps.store, 'caller:7')),
      );
      const admitted = slots.filter((r) => r.status === 'fulfilled');
      expect(admitted).toHaveLength(10);
      for (const r of slots)
        if (r.status === 'rejected') expect((r.reason as UmpinError).code).toBe('UMPIN_RATE_LIMITED');
      for (const r of admitted) await (r as PromiseFulfilledResult<BackoffSlot>).value.failed();
      expect(Math.round(guard.retryAfter('caller:7') / 1000)).toBe(60);
    });
  });
}

describe('TollFraudGuard: keys', () => {
  it('keys a call by its calling number, or by the extension tried when there is none (never by the source)', () => {
    expect(callerKey({ extension: '10231', callerId: '+1 (425) 555-0123' })).toBe('caller:14255550123');
    expect(callerKey({ callerId: '+14255550123' })).toBe('caller:14255550123');
    expect(callerKey({ extension: '10231' })).toBe('extension:10231');
    expect(callerKey({ extension: '10231', dialPlan: 'Contoso' })).toBe('extension:Contoso/10231');
    expect(callerKey({ extension: '10231', callerId: '' })).toBe('extension:10231');
  });
});

describe('TollFraudGuard: watch across mailboxes', () => {
  let clock: ManualClock;
  let guard: TollFraudGuard;
  let events: VoiceEvent[];
  beforeEach(() => {
    clock = new ManualClock();
    guard = new TollFraudGuard({ failures: 1000 }, clock);
    events = [];
    guard.onEvent((e) => events.push(e));
  });

  it('raises one alert when one caller fails on 5 mailboxes within an hour, and again only in a later window', () => {
    const alerts = [];
    for (let i = 0; i < 20; i++)
      alerts.push(...guard.recordFailure({ caller: 'caller:1', source: 'gw', mailbox: `/1020${i}` }));
    expect(alerts).toEqual([{ kind: 'caller', key: 'caller:1', mailboxes: 5, windowMs: 60 * MINUTE }]);
    expect(events).toEqual([{ type: 'toll-fraud', kind: 'caller' }]);
    // the same mailbox again and again is the lockout's business, not a scan
    expect(guard.recordFailure({ caller: 'caller:2', source: 'gw', mailbox: '/1' })).toEqual([]);
    for (let i = 0; i < 10; i++)
      expect(guard.recordFailure({ caller: 'caller:2', source: 'gw', mailbox: '/1' })).toEqual([]);
    clock.t += 60 * MINUTE;
    expect(guard.recordFailure({ caller: 'caller:1', source: 'gw', mailbox: '/1' })).toEqual([]);
    const later = [];
    for (let i = 0; i < 5; i++)
      later.push(...guard.recordFailure({ caller: 'caller:1', source: 'gw', mailbox: `/3000${i}` }));
    expect(later.map((d) => d.kind)).toEqual(['caller']);
  });

  it('raises one alert when one source fails on 25 mailboxes within 10 minutes, whatever the calling numbers', () => {
    const alerts = [];
    for (let i = 0; i < 40; i++)
      alerts.push(
        ...guard.recordFailure({ caller: `caller:${i}`, source: 'token:pbx1@10.0.0.5', mailbox: `/${10200 + i}` }),
      );
    expect(alerts).toEqual([{ kind: 'source', key: 'token:pbx1@10.0.0.5', mailboxes: 25, windowMs: 10 * MINUTE }]);
    // nobody is throttled by it
    for (let i = 0; i < 40; i++) expect(guard.retryAfter(`caller:${i}`)).toBe(0);
  });

  it('does not add up mailboxes that failed longer ago than the window', () => {
    const alerts = [];
    for (let i = 0; i < 40; i++) {
      alerts.push(...guard.recordFailure({ caller: 'caller:1', source: 'gw', mailbox: `/${i}` }));
      clock.t += 15 * MINUTE; // 4 per hour
    }
    expect(alerts).toEqual([]);
  });
});

describe('TollFraudGuard: memory', () => {
  it('holds at most maxKeys callers and sources, dropping the least recently seen', () => {
    const clock = new ManualClock();
    const guard = new TollFraudGuard({ maxKeys: 100 }, clock);
    for (let i = 0; i < 10_000; i++) guard.recordFailure({ caller: `caller:${i}`, source: `gw${i}`, mailbox: `/${i}` });
    expect(guard.size).toEqual({ callers: 100, sources: 100 });
  });

  it('sweeps callers nobody needs any more', () => {
    const clock = new ManualClock();
    const guard = new TollFraudGuard({}, clock);
    for (let i = 0; i < 5; i++) guard.recordFailure({ caller: `caller:${i}`, source: 'gw', mailbox: '/1' });
    clock.t += 2 * 60 * MINUTE;
    guard.recordFailure({ caller: 'caller:new', source: 'gw', mailbox: '/1' });
    expect(guard.size.callers).toBe(1);
  });
});

describe('the guard of a set of dependencies', () => {
  it('is made with them, with the thresholds given, and the voice logons report to it', async () => {
    const t = await testContext('sqlite', { tollFraud: { failures: 3 } });
    try {
      await contoso(t.deps, [{ alias: 'user0', extension: '10200', pin: '1985848' }]);
      const guard = t.deps.tollFraudGuard;
      expect(guard.options).toEqual({ ...DEFAULT_TOLL_FRAUD, failures: 3 });
      const seen: VoiceEvent[] = [];
      const unsubscribe = guard.onEvent((e) => seen.push(e));
      await verifyLogon(t.deps, GATEWAY, { extension: '10200', pin: '2468013' });
      expect(seen).toEqual([{ type: 'logon', outcome: 'wrong' }]);
      unsubscribe();
      guard.emit({ type: 'lockout' });
      expect(seen).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});

describe('parseTollFraudOptions (UMPIN_TOLL_FRAUD)', () => {
  it('keeps the defaults when unset and reads each setting', () => {
    expect(parseTollFraudOptions(undefined)).toEqual(DEFAULT_TOLL_FRAUD);
    expect(parseTollFraudOptions('failures=20/5m, backoff=30s..2h, caller=8/1h, source=50/15m, keys=500')).toEqual({
      ...DEFAULT_TOLL_FRAUD,
      failures: 20,
      failureWindowMs: 5 * MINUTE,
      backoffMs: 30_000,
      maxBackoffMs: 120 * MINUTE,
      callerMailboxes: 8,
      callerWindowMs: 60 * MINUTE,
      sourceMailboxes: 50,
      sourceWindowMs: 15 * MINUTE,
      maxKeys: 500,
    });
  });

  it('refuses what it cannot read, naming the variable', () => {
    for (const bad of ['failures=10', 'failures=0/10m', 'backoff=1h..1m', 'speed=3', 'caller=5/1y', 'caller']) {
      const err = thrown(() => parseTollFraudOptions(bad));
      expect(err.code, bad).toBe('UMPIN_VALUE_INVALID');
      expect(err.field).toBe('UMPIN_TOLL_FRAUD');
    }
  });
});

for (const engine of ENGINES) {
  describe(`guarded voice logons (${engine})`, () => {
    let t: TestContext;
    const users = Array.from({ length: 20 }, (_, i) => ({
      alias: `user${i}`,
      extension: String(10200 + i),
      pin: '1985848',
    }));
    beforeEach(async () => {
      t = await testContext(engine);
      await contoso(t.deps, users);
    });
    afterEach(() => t.close());
    /** the test's deps with a guard of these thresholds, made as the composition root makes it */
    const guardedBy = (options: Partial<TollFraudOptions>): Deps => ({
      ...t.deps,
      tollFraudGuard: new TollFraudGuard(options, t.clock),
    });

    it('one caller failing on 20 mailboxes: one Detect-TollFraud audit entry by the system, with no PIN', async () => {
      const deps = guardedBy({ failures: 1000 });
      const events: VoiceEvent[] = [];
      deps.tollFraudGuard.onEvent((e) => events.push(e));
      for (const u of users) {
        const r = await verifyLogon(deps, GATEWAY, {
          extension: u.extension,
          callerId: '+14255550123',
          pin: '2468013',
        });
        expect(r.outcome).toBe('wrong');
      }
      const audit = await t.deps.store.listAudit({ action: 'Detect-TollFraud' });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        actor: 'system',
        target: 'caller:14255550123',
        result: 'success',
        parameters: { Caller: 'caller:14255550123', Mailboxes: 5, WindowMinutes: 60 },
      });
      expect(JSON.stringify(audit[0])).not.toMatch(/2468013|1985848/);
      expect(events.filter((e) => e.type === 'toll-fraud')).toEqual([{ type: 'toll-fraud', kind: 'caller' }]);
      expect(events.filter((e) => e.type === 'logon')).toHaveLength(20);
    });

    it('throttles a caller after 10 failures while another caller through the same gateway logs on', async () => {
      for (let i = 0; i < 10; i++)
        await verifyLogon(t.deps, GATEWAY, {
          extension: users[i]!.extension,
          callerId: '+14255550123',
          pin: '2468013',
        });
      const err = await failure(
        verifyLogon(t.deps, GATEWAY, { extension: '10219', callerId: '+14255550123', pin: '1985848' }),
      );
      expect(err.code).toBe('UMPIN_RATE_LIMITED');
      expect(err.params.retryAfter).toBe(60);
      // refused before the PIN was checked: the mailbox's own count did not move
      expect((await t.deps.store.getPin((await t.deps.store.findRecipients('user19'))[0]!.id))!.failedAttempts).toBe(0);
      // (a first-time user: the right PIN logs on and must be changed)
      expect(
        await verifyLogon(t.deps, GATEWAY, { extension: '10219', callerId: '+14255550199', pin: '1985848' }),
      ).toMatchObject({ outcome: 'must-change' });
      t.clock.advance(60_000);
      expect(
        await verifyLogon(t.deps, GATEWAY, { extension: '10219', callerId: '+14255550123', pin: '1985848' }),
      ).toMatchObject({ outcome: 'must-change' });
    });

    it('counts an unknown extension as a failure (a scan), and reports lockouts and automatic resets', async () => {
      const deps = guardedBy({ failures: 1000 });
      const events: VoiceEvent[] = [];
      deps.tollFraudGuard.onEvent((e) => events.push(e));
      expect(
        (await failure(verifyLogon(deps, GATEWAY, { extension: '99999', callerId: '5550001', pin: '1234' }))).code,
      ).toBe('UMPIN_CALLER_NOT_RECOGNIZED');
      expect(events).toEqual([{ type: 'logon', outcome: 'not-recognized' }]);
      events.length = 0;
      for (let i = 0; i < 16; i++) await verifyLogon(deps, GATEWAY, { extension: '10200', pin: '2468013' });
      expect(events.filter((e) => e.type === 'auto-reset')).toHaveLength(2);
      expect(events.filter((e) => e.type === 'lockout')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'logon' && e.outcome === 'locked-out')).toHaveLength(2);
    });

    it('guards PIN changes too: a wrong old PIN counts, a right one changes the PIN', async () => {
      const deps = guardedBy({ failures: 2 });
      expect(
        await changePin(deps, GATEWAY, {
          extension: '10200',
          oldPin: '2468013',
          newPin: '7305164',
          confirmPin: '7305164',
        }),
      ).toMatchObject({ outcome: 'wrong' });
      expect(
        await changePin(deps, GATEWAY, {
          extension: '10200',
          oldPin: '1985848',
          newPin: '7305164',
          confirmPin: '7305164',
        }),
      ).toEqual({ outcome: 'changed', userId: 'user0@contoso.com' });
      expect(await verifyLogon(deps, GATEWAY, { extension: '10200', pin: '1111' })).toMatchObject({ outcome: 'wrong' });
      expect((await failure(verifyLogon(deps, GATEWAY, { extension: '10200', pin: '7305164' }))).code).toBe(
        'UMPIN_RATE_LIMITED',
      );
    });
  });
}

describe('the gateway a failure counts under', () => {
  it('is the token and its address for the REST voice API, and the SIP gateway whatever the calling number', () => {
    expect(gatewayKey(GATEWAY)).toBe('token:pbx1@10.0.0.5');
    const sip = (caller: string): Actor => ({
      kind: 'admin',
      name: 'sip-gateway:10.0.0.9',
      roles: ['VoiceGateway'],
      source: `sip:${caller}`,
    });
    expect(gatewayKey(sip('+14255510231'))).toBe('sip-gateway:10.0.0.9');
    expect(failureKeys({ callerId: '+14255510231', extension: '10231' }, sip('+14255510231')).source).toBe(
      failureKeys({ callerId: '+886223456789', extension: '10232' }, sip('+886223456789')).source,
    );
  });
});
