import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, TEST_KDF, type TestContext } from '../../test/harness.js';
import { paramsOfHash } from '../crypto/kdf-params.js';
import type { Actor } from './actor.js';
import { initLargeDemo, SYNTHETIC_KDF, syntheticAddress, syntheticExtension } from './demo-large.js';
import { syntheticPerson } from './demo-names.js';
import type { Deps } from './ports/deps.js';
import { verifyLogon } from './voice-logon.js';

const GATEWAY: Actor = { kind: 'admin', name: 'token:pbx', roles: ['VoiceGateway'] };

describe('synthetic people', () => {
  it('are unique in name and alias, and about 15 in 100 are Taiwanese with zh-TW', () => {
    const people = Array.from({ length: 100_000 }, (_, i) => syntheticPerson(i));
    expect(new Set(people.map((p) => p.displayName.toLowerCase())).size).toBe(people.length);
    expect(new Set(people.map((p) => p.alias)).size).toBe(people.length);
    expect(people.filter((p) => p.language === 'zh-TW')).toHaveLength(15_000);
    expect(people[0]).toEqual(syntheticPerson(0)); // the same every time
  });

  it('have 5-digit extensions in Contoso, then 7-digit ones in Contoso Large', () => {
    expect([
      syntheticExtension(0),
      syntheticExtension(79_999),
      syntheticExtension(80_000),
      syntheticExtension(1_000_000),
    ]).toEqual(['20000', '99999', '2000000', '2920000']);
  });
});

describe.each(ENGINES)('init --demo --mailboxes (%s)', (engine) => {
  let t: TestContext;
  let deps: Deps;
  beforeEach(async () => {
    t = await testContext(engine);
    // every generated PIN is 198584 here (the random source repeats 1,9,8,5,8,4): the test knows them
    const digits = [1, 9, 8, 5, 8, 4];
    let n = 0;
    deps = { ...t.deps, randomInt: () => digits[n++ % digits.length]! };
  });
  afterEach(() => t.close());

  const umMailboxes = async () => {
    let count = 0;
    let cursor: string | null = null;
    do {
      const page = await deps.store.listRecipients({ umEnabled: true, cursor, limit: 1000 });
      count += page.items.length;
      cursor = page.next;
    } while (cursor);
    return count;
  };

  it('grows the demo organisation to N mailboxes, in batches, with one audit entry and no mails', async () => {
    const r = await initLargeDemo(deps, ADMIN, { mailboxes: 95, batch: 20, inContoso: 50 });
    expect(r).toMatchObject({ existing: 0, created: 75 });
    expect(await umMailboxes()).toBe(95);
    // the first 50 in Contoso (5 digits), the rest in Contoso Large (7 digits), made for them
    const plans = await deps.store.listDialPlans();
    expect(plans.map((p) => [p.name, p.numberOfDigitsInExtension])).toEqual([
      ['Contoso', 5],
      ['Contoso Large', 7],
    ]);
    const last = (await deps.store.findRecipients(syntheticAddress(74)))[0]!;
    const mailbox = (await deps.store.getUmMailbox(last.id))!;
    expect(mailbox).toMatchObject({ dialPlanId: plans[1]!.id, extensions: ['2000024'] });
    expect(last).toMatchObject({
      displayName: syntheticPerson(74).displayName,
      alias: syntheticPerson(74).alias,
      language: syntheticPerson(74).language,
    });
    // PIN state as Enable-UMMailbox leaves it, hashed at the cheap cost the hash records
    const pin = (await deps.store.getPin(last.id))!;
    expect(pin).toMatchObject({ pinExpired: true, firstTimeUser: true, lockedOut: false, failedAttempts: 0 });
    expect(paramsOfHash(pin.pinHash)).toEqual(SYNTHETIC_KDF);
    // mails: only the 20 demo users' welcome mails
    expect(await deps.store.listOutbox({})).toHaveLength(20);
    const audit = await deps.store.listAudit({ action: 'New-SyntheticUMMailboxes' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: ADMIN.name,
      result: 'success',
      parameters: { Mailboxes: 95, Created: 75, KdfCost: 'm=8,t=1,p=1', Mails: 0 },
    });
    expect(JSON.stringify(audit)).not.toContain('198584');
  });

  it('is idempotent: a second run adds only what is missing', async () => {
    await initLargeDemo(deps, ADMIN, { mailboxes: 40, batch: 7 });
    expect(await initLargeDemo(deps, ADMIN, { mailboxes: 40 })).toMatchObject({ existing: 20, created: 0 });
    expect(await initLargeDemo(deps, ADMIN, { mailboxes: 55, batch: 7 })).toMatchObject({ existing: 20, created: 15 });
    expect(await umMailboxes()).toBe(55);
    expect(await deps.store.listAudit({ action: 'New-SyntheticUMMailboxes' })).toHaveLength(2);
    expect((await deps.store.listDialPlans()).map((p) => p.name)).toEqual(['Contoso']);
  });

  it('a right logon upgrades the cheap hash to the configured cost', async () => {
    await initLargeDemo(deps, ADMIN, { mailboxes: 22 });
    const id = (await deps.store.findRecipients(syntheticAddress(1)))[0]!.id;
    expect(paramsOfHash((await deps.store.getPin(id))!.pinHash)).toEqual(SYNTHETIC_KDF);
    expect(deps.hasher.needsRehash((await deps.store.getPin(id))!.pinHash)).toBe(true);
    // a wrong PIN changes nothing but the count
    expect(await verifyLogon(deps, GATEWAY, { extension: syntheticExtension(1), pin: '7301946' })).toMatchObject({
      outcome: 'wrong',
    });
    expect(paramsOfHash((await deps.store.getPin(id))!.pinHash)).toEqual(SYNTHETIC_KDF);
    expect(await verifyLogon(deps, GATEWAY, { extension: syntheticExtension(1), pin: '198584' })).toMatchObject({
      outcome: 'must-change',
      reason: 'first-time',
    });
    const upgraded = (await deps.store.getPin(id))!.pinHash;
    expect(paramsOfHash(upgraded)).toEqual(TEST_KDF);
    expect(await deps.hasher.verify(upgraded, '198584')).toBe(true);
  });

  it('refuses a count below the demo or above the extensions available, and needs the right to create mailboxes', async () => {
    for (const n of [19, 1.5, Number.NaN, 9_000_000])
      expect((await failure(initLargeDemo(deps, ADMIN, { mailboxes: n }))).code).toBe('UMPIN_VALUE_INVALID');
    const helpDesk: Actor = { kind: 'admin', name: 'helpdesk', roles: ['HelpDesk'] };
    expect((await failure(initLargeDemo(deps, helpDesk, { mailboxes: 25 }))).code).toBe('UMPIN_ACCESS_DENIED');
  });
});
