import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { testContext, type TestContext } from '../../../test/harness.js';
import {
  capturingLogger,
  ScriptedCall,
  ScriptedMedia,
  type Step,
  dialScripted,
  FAST_TIMINGS,
} from '../../../test/scripted-call.js';
import { getUMMailboxPIN } from '../../services/get-um-mailbox-pin.js';
import { setMailboxPolicy } from '../../services/mailbox-policies.js';
import { changePin, verifyLogon } from '../../services/voice-logon.js';
import { PromptLibrary } from '../prompts/prompt-library.js';
import { sipGatewayActor } from './gateway-actor.js';
import { runLogonDialogue, type DialogueOutcome } from './logon-dialogue.js';

/** Every PIN keyed in these tests: none may reach a log line. */
const FIRST = '1985848';
const SETTLED = '2580147';
const WRONG = '4739216';
const NEW = '8305726';
const PINS = [FIRST, SETTLED, WRONG, NEW, '1111111', '4102317', '39'];

const FAST = FAST_TIMINGS;
const lines: string[] = [];
const log = capturingLogger(lines);

let library: PromptLibrary;
beforeAll(() => {
  library = PromptLibrary.load();
});

describe('the logon dialogue on a call (real services, SQLite store)', () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext('sqlite', { tollFraud: { failures: 1000 } });
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231', pin: FIRST },
      { alias: 'weichen', extension: '10246', pin: FIRST, language: 'zh-TW' },
    ]);
  });
  afterEach(() => t.close());

  /** tonysmith has chosen his own PIN: a logon is plain 'ok' */
  const settle = async (extension = '10231') =>
    expect(
      await changePin(t.deps, sipGatewayActor({ callerId: null, remoteAddress: '127.0.0.1' }), {
        extension,
        oldPin: FIRST,
        newPin: SETTLED,
      }),
    ).toMatchObject({ outcome: 'changed' });

  async function dial(
    callerId: string | null,
    steps: Step[],
  ): Promise<{ outcome: DialogueOutcome; call: ScriptedCall }> {
    const call = new ScriptedCall(new ScriptedMedia(library, steps), callerId);
    return dialScripted(call, { deps: t.deps, prompts: library, log });
  }

  it('offers the mailbox of the calling number, takes its PIN, signs in, and * says goodbye', async () => {
    await settle();
    const { outcome, call } = await dial('+1 425 555 10231', [
      { at: 'offer-mailbox', keys: `${SETTLED}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
    const media = call.media;
    expect(media.heard[0]).toMatchObject({
      language: 'en-US',
      ids: ['greeting', 'offer-mailbox', 'digit-1', 'digit-0', 'digit-2', 'digit-3', 'digit-1', 'offer-mailbox-then'],
    });
    // barge-in: the first key stopped the prompt, and no key of the PIN was lost
    expect(media.heard[0]).toMatchObject({ bargeIn: true, outcome: 'interrupted' });
    expect(media.ids.slice(-2)).toEqual(['signed-in-menu', 'goodbye']);
    expect(call.hungUpBy).toBe('us');
    expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).failedAttempts).toBe(0);
  });

  it('asks an unknown caller for the extension, then the PIN', async () => {
    await settle();
    const { outcome, call } = await dial('+44 20 7946 0000', [
      { at: 'enter-extension', keys: '10231#' },
      { at: 'enter-pin', keys: `${SETTLED}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
    expect(call.media.ids).toEqual(['greeting', 'enter-extension', 'enter-pin', 'signed-in-menu', 'goodbye']);
  });

  it('* at the offer enters another mailbox', async () => {
    await settle();
    const { outcome, call } = await dial('+14255510231', [
      { at: 'offer-mailbox', keys: '*' },
      { at: 'enter-extension', keys: '10231#' },
      { at: 'enter-pin', keys: `${SETTLED}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
    expect(call.media.ids).toContain('enter-extension');
  });

  it('speaks the mailbox language once the mailbox is known (zh-TW), the dial plan’s before', async () => {
    const { call } = await dial(null, [
      { at: 'enter-extension', keys: '10246#' },
      { at: 'enter-pin', keys: `${WRONG}#` },
      { at: 'enter-pin', keys: `${WRONG}#` },
      { at: 'enter-pin', keys: `${WRONG}#` },
    ]);
    expect(call.media.heard[0]).toMatchObject({ language: 'en-US', ids: ['greeting', 'enter-extension'] });
    expect(call.media.heard[1]).toMatchObject({ language: 'zh-TW', ids: ['enter-pin'] });
    expect(call.media.heard.at(-1)).toMatchObject({ language: 'zh-TW', ids: ['logon-failed'] });
  });

  it('a wrong PIN is tried again, and the call ends after LogonFailuresBeforeDisconnect (3)', async () => {
    const { outcome, call } = await dial('+14255510231', [
      { at: 'offer-mailbox', keys: `${WRONG}#` },
      { at: 'offer-mailbox', keys: `${WRONG}#` },
      { at: 'offer-mailbox', keys: `${WRONG}#` },
    ]);
    expect(outcome).toBe('logon-failed');
    expect(call.media.heard.map((h) => h.ids[0])).toEqual(['greeting', 'pin-wrong', 'pin-wrong', 'logon-failed']);
    expect(call.hungUpBy).toBe('us');
    expect(await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).toMatchObject({
      failedAttempts: 3,
      lastFailureCaller: '+14255510231',
    });
  });

  it('an unknown extension is answered like a wrong PIN, and asked for again', async () => {
    await settle();
    const { outcome, call } = await dial(null, [
      { at: 'enter-extension', keys: '99999#' },
      { at: 'enter-pin', keys: `${SETTLED}#` },
      { at: 'enter-extension', keys: '10231#' },
      { at: 'enter-pin', keys: `${SETTLED}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
    expect(call.media.heard[2]!.ids).toEqual(['pin-wrong', 'enter-extension']);
  });

  it('auto-reset: says a new PIN was mailed, and the mail is in the outbox', async () => {
    await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { logonFailuresBeforePinReset: 2 });
    const { outcome, call } = await dial('+14255510231', [
      { at: 'offer-mailbox', keys: `${WRONG}#` },
      { at: 'offer-mailbox', keys: `${WRONG}#` },
    ]);
    expect(outcome).toBe('auto-reset');
    expect(call.media.heard.at(-1)!.ids).toEqual(['auto-reset', 'goodbye']);
    const status = await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith');
    const mails = await t.deps.store.listOutbox({ recipientId: status.identity });
    expect(mails.map((m) => m.kind)).toContain('auto-reset');
  });

  it('locked out: says so and hangs up', async () => {
    await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', {
      logonFailuresBeforePinReset: null,
      maxLogonAttempts: 2,
    });
    const { outcome, call } = await dial('+14255510231', [
      { at: 'offer-mailbox', keys: `${WRONG}#` },
      { at: 'offer-mailbox', keys: `${WRONG}#` },
    ]);
    expect(outcome).toBe('locked-out');
    expect(call.media.heard.at(-1)!.ids).toEqual(['locked-out']);
    expect(call.hungUpBy).toBe('us');
    // the right PIN on a later call hears the same
    const again = await dial('+14255510231', [{ at: 'offer-mailbox', keys: `${FIRST}#` }]);
    expect(again.outcome).toBe('locked-out');
  });

  it('first logon: a new PIN refused by a rule is answered with that rule, then one is accepted', async () => {
    const { outcome, call } = await dial('+14255510231', [
      { at: 'offer-mailbox', keys: `${FIRST}#` },
      { at: 'enter-new-pin', keys: '1111111#' },
      { at: 'enter-new-pin-again', keys: '1111111#' },
      { at: 'enter-new-pin', keys: '39#' },
      { at: 'enter-new-pin-again', keys: '39#' },
      { at: 'enter-new-pin', keys: '4102317#' },
      { at: 'enter-new-pin-again', keys: '4102317#' },
      { at: 'enter-new-pin', keys: `${FIRST}#` },
      { at: 'enter-new-pin-again', keys: `${FIRST}#` },
      { at: 'enter-new-pin', keys: `${NEW}#` },
      { at: 'enter-new-pin-again', keys: `${WRONG}#` },
      { at: 'enter-new-pin', keys: `${NEW}#` },
      { at: 'enter-new-pin-again', keys: `${NEW}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
    const asked = call.media.heard.filter((h) => h.ids.includes('enter-new-pin')).map((h) => h.ids);
    expect(asked).toEqual([
      ['first-time', 'enter-new-pin'],
      ['rule-repeated', 'enter-new-pin'],
      ['rule-too-short', 'digit-6', 'rule-digits', 'enter-new-pin'],
      ['rule-extension', 'enter-new-pin'],
      ['rule-history', 'digit-5', 'rule-history-then', 'enter-new-pin'],
      ['pins-differ', 'enter-new-pin'],
    ]);
    expect(call.media.ids.slice(-3)).toEqual(['pin-changed', 'signed-in-menu', 'goodbye']);
    expect(await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).toMatchObject({
      firstTimeUser: false,
      pinExpired: false,
      lockedOut: false,
      failedAttempts: 0,
    });
    expect(await verifyLogon(t.deps, ADMIN_GATEWAY, { extension: '10231', pin: NEW })).toMatchObject({ outcome: 'ok' });
    // the change is audited, with the gateway and the calling number, and without a PIN
    const audit = await t.deps.store.listAudit({ action: 'Voice:ChangePIN' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'sip-gateway:127.0.0.1', source: 'sip:+14255510231' });
    expect(audit[0]!.parameters).toEqual({ OldPin: '(redacted)', NewPin: '(redacted)' });
  });

  it('1 at the signed-in menu changes the PIN', async () => {
    await settle();
    const { outcome } = await dial('+14255510231', [
      { at: 'offer-mailbox', keys: `${SETTLED}#` },
      { at: 'signed-in-menu', keys: '1' },
      { at: 'enter-new-pin', keys: `${NEW}#` },
      { at: 'enter-new-pin-again', keys: `${NEW}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
    expect(await verifyLogon(t.deps, ADMIN_GATEWAY, { extension: '10231', pin: NEW })).toMatchObject({ outcome: 'ok' });
  });

  it('an expired PIN (PINLifetime) must be changed, and says why', async () => {
    await settle();
    t.clock.advance(61 * 24 * 3_600_000);
    const { outcome, call } = await dial('+14255510231', [
      { at: 'offer-mailbox', keys: `${SETTLED}#` },
      { at: 'enter-new-pin', keys: `${NEW}#` },
      { at: 'enter-new-pin-again', keys: `${NEW}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
    expect(call.media.heard[1]!.ids).toEqual(['pin-expired', 'enter-new-pin']);
    expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).pinExpired).toBe(false);
  });

  it('a call that outlasts the maximum length is ended by us', async () => {
    const call = new ScriptedCall(new ScriptedMedia(library, []), null);
    const outcome = await runLogonDialogue(call, {
      deps: t.deps,
      prompts: library,
      log,
      timings: { ...FAST, noInputMs: 5_000, maxCallMs: 100 },
    });
    expect(outcome).toBe('max-call-length');
    expect(call.hungUpBy).toBe('us');
  });

  it('no input: re-prompts once, then says goodbye and hangs up', async () => {
    const { outcome, call } = await dial(null, []);
    expect(outcome).toBe('no-input');
    expect(call.media.heard.map((h) => h.ids)).toEqual([
      ['greeting', 'enter-extension'],
      ['no-input'],
      ['enter-extension'],
      ['no-input', 'goodbye'],
    ]);
    expect(call.hungUpBy).toBe('us');
  });

  it('an inter-digit timeout ends an entry as # would', async () => {
    await settle();
    const { outcome } = await dial(null, [
      { at: 'enter-extension', keys: '10231' },
      { at: 'enter-pin', keys: SETTLED },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
  });

  it('a mailbox whose policy does not allow voice access is told so', async () => {
    await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { allowSubscriberAccess: false });
    const { outcome, call } = await dial('+14255510231', [{ at: 'offer-mailbox', keys: `${FIRST}#` }]);
    expect(outcome).toBe('no-voice-access');
    expect(call.media.heard.at(-1)!.ids).toEqual(['no-voice-access']);
  });

  it('the caller hanging up ends the dialogue without a BYE of ours', async () => {
    const call = new ScriptedCall(new ScriptedMedia(library, []), null);
    const running = runLogonDialogue(call, {
      deps: t.deps,
      prompts: library,
      log,
      timings: { ...FAST, noInputMs: 5_000 },
    });
    setTimeout(() => call.callerHangsUp(), 50);
    expect(await running).toBe('caller-hangup');
    expect(call.hungUpBy).toBe('caller');
  });

  it('audits the gateway with the calling number as the source', async () => {
    await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { logonFailuresBeforePinReset: 1 });
    await dial('+14255510231', [{ at: 'offer-mailbox', keys: `${WRONG}#` }]);
    const page = await t.deps.store.listAudit({ limit: 50 });
    const reset = page.find((e) => e.action === 'Voice:AutoResetPIN');
    expect(reset).toMatchObject({ actor: 'sip-gateway:127.0.0.1', source: 'sip:+14255510231' });
  });
});

describe('the dialogue’s log', () => {
  it('holds steps, counts and outcomes, and not one PIN keyed in the calls above', () => {
    const text = lines.join('');
    expect(text).toContain('"step":"logon"');
    expect(text).toContain('"outcome":"refused"');
    for (const pin of PINS) expect(text, 'a PIN in the log').not.toContain(pin);
  });
});

const ADMIN_GATEWAY = sipGatewayActor({ callerId: null, remoteAddress: '127.0.0.1' });
