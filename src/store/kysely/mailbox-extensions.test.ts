/**
 * A mailbox's extensions live twice since 0021 (the column of its um_mailbox row, which every
 * read uses, and the extension rows, found by their key): after a disable, a change of dial
 * plan and a recipient's removal no row is left behind, the old numbers can be given to
 * another mailbox, and every view shows the extensions in their order, with 0, 1 and 3 of
 * them, on both engines.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../../test/harness.js';
import { newDialPlan } from '../../services/dial-plans.js';
import { removeRecipient } from '../../services/recipients.js';
import { disableUMMailbox, getUMMailbox, listUMMailboxes, setUMMailbox } from '../../services/um-mailboxes.js';
import { locateMailbox } from '../../services/voice-logon.js';
import { BufferHost } from '../../shell/host.js';
import { shellCommands } from '../../shell/commands.js';
import { localOperations } from '../../shell/operations.js';
import { Session } from '../../shell/session.js';
import type { KyselyStore } from './kysely-store.js';

describe.each(ENGINES)("a mailbox's extensions (%s)", (engine) => {
  let t: TestContext;
  let store: KyselyStore;
  const id: Record<string, string> = {};

  beforeEach(async () => {
    t = await testContext(engine);
    store = t.deps.store as unknown as KyselyStore;
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'kimakers', extension: '10232' },
      { alias: 'davidp', extension: '10233' },
    ]);
    for (const a of ['tonysmith', 'kimakers', 'davidp']) id[a] = (await store.findRecipients(a))[0]!.id;
    // three, not in number order; one; none
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { extensions: ['10231', '10299', '10240'] });
    const david = (await store.getUmMailbox(id.davidp!))!;
    await store.transaction((tx) => tx.updateUmMailbox({ ...david, extensions: [] }));
  });
  afterEach(() => t.close());

  /** Every extension row, as (number, owner's alias, position), in key order. */
  const rows = async () => {
    const alias = Object.fromEntries(Object.entries(id).map(([a, i]) => [i, a]));
    const r = await store.kysely
      .selectFrom('extension')
      .innerJoin('dial_plan', 'dial_plan.id', 'extension.dial_plan_id')
      .select(['dial_plan.name', 'extension.number', 'extension.recipient_id', 'extension.position'])
      .orderBy('dial_plan.name')
      .orderBy('extension.number')
      .execute();
    return r.map((x) => `${x.name} ${x.number} ${alias[x.recipient_id] ?? x.recipient_id} ${Number(x.position)}`);
  };

  /** Get-UMMailbox as the shell runs it, one line a mailbox: alias and extensions. */
  const shell = async (identity: string) => {
    const host = new BufferHost();
    const session = new Session({ ops: localOperations(t.deps, ADMIN), host, commands: shellCommands() });
    await session.run(`Get-UMMailbox ${identity} | ForEach-Object { $_.Extensions -join ',' }`);
    expect(host.errors).toBe('');
    return host.output.trim();
  };

  /** The extensions of a mailbox as each view shows them; every one must agree. */
  const seen = async (alias: string): Promise<string[]> => {
    const list = (await listUMMailboxes(t.deps, ADMIN, { limit: 100 })).items.find((i) => i.alias === alias)!;
    const search = (await listUMMailboxes(t.deps, ADMIN, { limit: 100, search: alias.slice(0, 4) })).items.find(
      (i) => i.alias === alias,
    )!;
    const view = await getUMMailbox(t.deps, ADMIN, alias);
    const views = [
      list.extensions,
      search.extensions,
      view.extensions,
      (await store.findMailboxes(`${alias}@contoso.com`))[0]!.mailbox!.extensions,
      (await store.getUmMailbox(id[alias]!))!.extensions,
      (await store.getUmMailboxes([id[alias]!]))[0]!.extensions,
      (await shell(alias)).split(',').filter((e) => e !== ''),
    ];
    for (const v of views) expect(v, alias).toEqual(views[0]);
    // a telephone logon by each of them, in the mailbox's dial plan, finds the mailbox
    for (const e of views[0]!)
      expect((await locateMailbox(t.deps, { extension: e, dialPlan: view.umDialPlan })).recipient.alias).toBe(alias);
    return views[0]!;
  };

  it('every view shows them in their order, 3, 1 and none, as the rows hold them', async () => {
    expect(await seen('tonysmith')).toEqual(['10231', '10299', '10240']);
    expect(await seen('kimakers')).toEqual(['10232']);
    expect(await seen('davidp')).toEqual([]);
    expect(await rows()).toEqual([
      'Contoso 10231 tonysmith 0',
      'Contoso 10232 kimakers 0',
      'Contoso 10240 tonysmith 2',
      'Contoso 10299 tonysmith 1',
    ]);
  });

  it('disabling a mailbox leaves no row behind, and its numbers can be given to another', async () => {
    await disableUMMailbox(t.deps, ADMIN, 'tonysmith');
    expect(await rows()).toEqual(['Contoso 10232 kimakers 0']);
    await setUMMailbox(t.deps, ADMIN, 'kimakers', { extensions: ['10299', '10232', '10231'] });
    expect(await seen('kimakers')).toEqual(['10299', '10232', '10231']);
    expect(await rows()).toEqual(['Contoso 10231 kimakers 2', 'Contoso 10232 kimakers 1', 'Contoso 10299 kimakers 0']);
  });

  it("a change of dial plan moves the rows to the new plan, and the old plan's numbers are free", async () => {
    const { defaultPolicy } = await newDialPlan(t.deps, ADMIN, {
      name: 'Fabrikam',
      numberOfDigitsInExtension: 5,
      voiceAccessNumbers: ['+14255550199'],
    });
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', {
      umMailboxPolicy: defaultPolicy!.name,
      extensions: ['20231', '10299'],
    });
    expect(await seen('tonysmith')).toEqual(['20231', '10299']);
    expect(await rows()).toEqual([
      'Contoso 10232 kimakers 0',
      'Fabrikam 10299 tonysmith 1',
      'Fabrikam 20231 tonysmith 0',
    ]);
    await setUMMailbox(t.deps, ADMIN, 'davidp', { extensions: ['10240', '10231', '10299'] });
    expect(await seen('davidp')).toEqual(['10240', '10231', '10299']);
    // the same number in two dial plans: one owner in each
    const owners = await Promise.all(
      (await store.listDialPlans()).map(async (d) => [d.name, await store.recipientsWithExtension('10299', d.id)]),
    );
    expect(Object.fromEntries(owners)).toEqual({ Contoso: [id.davidp], Fabrikam: [id.tonysmith] });
  });

  it('removing a recipient leaves none of its rows, and its numbers can be given to another', async () => {
    await removeRecipient(t.deps, ADMIN, 'tonysmith');
    expect(await rows()).toEqual(['Contoso 10232 kimakers 0']);
    await setUMMailbox(t.deps, ADMIN, 'davidp', { extensions: ['10240'] });
    expect(await seen('davidp')).toEqual(['10240']);
    expect(await rows()).toEqual(['Contoso 10232 kimakers 0', 'Contoso 10240 davidp 0']);
  });
});
