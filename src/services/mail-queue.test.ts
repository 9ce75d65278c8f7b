import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../test/fixtures.js';
import { ENGINES, testContext, type TestContext } from '../../test/harness.js';
import type { Actor } from './actor.js';
import { MailDelivery } from './mail-delivery.js';
import { getMailQueue } from './mail-queue.js';
import { setUMMailboxPIN } from './set-um-mailbox-pin.js';

const HELP_DESK: Actor = { kind: 'admin', name: 'admin:helpdesk', roles: ['HelpDesk'] };

describe.each(ENGINES)('Get-Queue (%s)', (engine) => {
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

  it('counts the mails waiting, the age of the oldest and the dead letters', async () => {
    const before = await getMailQueue(ctx.deps, ADMIN);
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'tonysmith' });
    ctx.clock.advance(90_000);
    await setUMMailboxPIN(ctx.deps, ADMIN, { identity: 'kimakers' });
    const sender = new MailDelivery(ctx.deps, 'test');
    const [first] = (await sender.claim(1)).messages;
    await sender.failed(first!, { message: '550 mailbox unavailable', code: '550', permanent: true });
    const after = await getMailQueue(ctx.deps, ADMIN);
    expect(after.deadLetters).toBe(before.deadLetters + 1);
    expect(after.queued).toBe(before.queued + 1);
    expect(after.oldestQueuedAt).not.toBeNull();
    expect(after.oldestAgeSeconds).toBe(Math.floor((ctx.clock.now() - after.oldestQueuedAt!) / 1000));
    // the oldest waiting mail was queued at least before the clock moved on
    expect(after.oldestAgeSeconds).toBeGreaterThanOrEqual(90);
  });

  it('is refused to a role without outbox:read', async () => {
    await expect(getMailQueue(ctx.deps, HELP_DESK)).rejects.toMatchObject({ code: 'UMPIN_ACCESS_DENIED' });
  });
});
