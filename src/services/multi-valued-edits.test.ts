/**
 * Multi-valued edits (`@{Add=...; Remove=...}`) are one service operation each, applied to
 * the values as they are when written: edits made at once are all kept, on both engines.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso, failure } from '../../test/fixtures.js';
import { ENGINES, testContext, togetherOn, type TestContext } from '../../test/harness.js';
import { getDialPlans, setDialPlan } from './dial-plans.js';
import { getRecipient, setRecipient } from './recipients.js';
import { getUMMailbox, setUMMailbox } from './um-mailboxes.js';

const PARALLEL = 20;
const eum = (extension: string) => `eum:${extension};phone-context=Contoso.contoso.com`;

describe.each(ENGINES)('multi-valued edits (%s)', (engine) => {
  let ctx: TestContext;
  beforeEach(async () => {
    ctx = await testContext(engine);
    await contoso(ctx.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
    ]);
  });
  afterEach(async () => {
    await ctx.close();
  });

  const extensions = async (who: string) => (await getUMMailbox(ctx.deps, ADMIN, who)).extensions;

  it(`keeps all of ${PARALLEL} extensions added at once to one mailbox, by Set-UMMailbox and Set-Mailbox -EmailAddresses (${togetherOn(engine)})`, async () => {
    const added = Array.from({ length: PARALLEL }, (_, i) => String(10300 + i));
    await Promise.all(
      added.map((e, i) =>
        i % 2 === 0
          ? setUMMailbox(ctx.deps, ADMIN, 'tonysmith', { extensions: { add: [e] } })
          : setRecipient(ctx.deps, ADMIN, 'tonysmith', { emailAddresses: { add: [eum(e)] } }),
      ),
    );
    expect((await extensions('tonysmith')).sort()).toEqual(['10231', ...added].sort());
  });

  it(`keeps all of ${PARALLEL} access numbers added at once to one dial plan (${togetherOn(engine)})`, async () => {
    const added = Array.from({ length: PARALLEL }, (_, i) => `+1425555${String(1000 + i)}`);
    await Promise.all(added.map((n) => setDialPlan(ctx.deps, ADMIN, 'Contoso', { voiceAccessNumbers: { add: [n] } })));
    const [plan] = await getDialPlans(ctx.deps, ADMIN, 'Contoso');
    expect([...plan!.voiceAccessNumbers].sort()).toEqual(['+14255550100', ...added].sort());
  });

  it(`removes as it adds, at once: every removal and every addition started together holds (${togetherOn(engine)})`, async () => {
    await setUMMailbox(ctx.deps, ADMIN, 'tonysmith', { extensions: ['10231', '10240', '10241', '10242'] });
    await Promise.all([
      setUMMailbox(ctx.deps, ADMIN, 'tonysmith', { extensions: { remove: ['10240'] } }),
      setUMMailbox(ctx.deps, ADMIN, 'tonysmith', { extensions: { remove: ['10241'], add: ['10250'] } }),
      setRecipient(ctx.deps, ADMIN, 'tonysmith', { emailAddresses: { remove: [eum('10242')], add: [eum('10251')] } }),
    ]);
    // the primary extension stays first; the added ones follow in whichever order the edits committed
    const [primary, ...added] = await extensions('tonysmith');
    expect([primary, added.sort()]).toEqual(['10231', ['10250', '10251']]);
  });

  it('a value both added and removed in one edit ends up absent, whether it was there or not', async () => {
    await setUMMailbox(ctx.deps, ADMIN, 'tonysmith', { extensions: { add: ['10299', '10298'], remove: ['10299'] } });
    expect(await extensions('tonysmith')).toEqual(['10231', '10298']);
    await setUMMailbox(ctx.deps, ADMIN, 'tonysmith', { extensions: { add: ['10298'], remove: ['10298'] } });
    expect(await extensions('tonysmith')).toEqual(['10231']);
    await setDialPlan(ctx.deps, ADMIN, 'Contoso', {
      voiceAccessNumbers: { add: ['+14255550100'], remove: ['+14255550100'] },
    });
    expect((await getDialPlans(ctx.deps, ADMIN, 'Contoso'))[0]!.voiceAccessNumbers).toEqual([]);
  });

  it('an edit is checked as a whole list and changes nothing when refused', async () => {
    // another mailbox's extension, a wrong length, removing the last one
    expect(await failure(setUMMailbox(ctx.deps, ADMIN, 'tonysmith', { extensions: { add: ['10232'] } }))).toMatchObject(
      { code: 'UMPIN_EXTENSION_IN_USE', field: 'Extensions' },
    );
    expect(
      await failure(setRecipient(ctx.deps, ADMIN, 'tonysmith', { emailAddresses: { add: [eum('10232')] } })),
    ).toMatchObject({ code: 'UMPIN_EXTENSION_IN_USE' });
    expect((await failure(setUMMailbox(ctx.deps, ADMIN, 'tonysmith', { extensions: { add: ['123'] } }))).field).toBe(
      'Extensions',
    );
    expect(
      await failure(setUMMailbox(ctx.deps, ADMIN, 'tonysmith', { extensions: { remove: ['10231'] } })),
    ).toMatchObject({ code: 'UMPIN_EXTENSION_REQUIRED' });
    expect(
      await failure(setDialPlan(ctx.deps, ADMIN, 'Contoso', { voiceAccessNumbers: { add: ['12'] } })),
    ).toMatchObject({ code: 'UMPIN_VALUE_INVALID', field: 'AccessTelephoneNumbers' });
    expect(await extensions('tonysmith')).toEqual(['10231']);
    expect((await getDialPlans(ctx.deps, ADMIN, 'Contoso'))[0]!.voiceAccessNumbers).toEqual(['+14255550100']);
  });

  it('Set-Mailbox -EmailAddresses sets the primary address and the extensions in one change, on record once', async () => {
    await setRecipient(ctx.deps, ADMIN, 'tonysmith', {
      emailAddresses: { add: ['SMTP:tony@contoso.com', eum('10299')], remove: [eum('10231')] },
    });
    expect(await getRecipient(ctx.deps, ADMIN, 'tony@contoso.com')).toMatchObject({
      primarySmtpAddress: 'tony@contoso.com',
    });
    expect(await extensions('tony@contoso.com')).toEqual(['10299']);
    const entries = await ctx.deps.store.listAudit({ action: 'Set-Mailbox' });
    expect(entries).toHaveLength(1);
    // a refused extension leaves the address as it was too
    expect(
      await failure(
        setRecipient(ctx.deps, ADMIN, 'tony@contoso.com', {
          emailAddresses: { add: ['SMTP:t@contoso.com', eum('10232')] },
        }),
      ),
    ).toMatchObject({ code: 'UMPIN_EXTENSION_IN_USE' });
    expect(await getRecipient(ctx.deps, ADMIN, 'tony@contoso.com')).toMatchObject({
      primarySmtpAddress: 'tony@contoso.com',
    });
  });

  it('Languages: an edit keeps the first language it leaves', async () => {
    await setRecipient(ctx.deps, ADMIN, 'tonysmith', { languages: ['fr-FR', 'en-US'] });
    expect((await getRecipient(ctx.deps, ADMIN, 'tonysmith')).language).toBe('fr-FR');
    await setRecipient(ctx.deps, ADMIN, 'tonysmith', { languages: { add: ['zh-TW'], remove: ['fr-FR'] } });
    expect((await getRecipient(ctx.deps, ADMIN, 'tonysmith')).language).toBe('zh-TW');
  });
});
