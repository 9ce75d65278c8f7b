/**
 * The per-mailbox voice settings on a call: SubscriberAccessEnabled refuses the logon,
 * PinlessAccessToVoiceMailEnabled signs in a call from the mailbox's own extension without a
 * PIN, and 0 transfers to the mailbox's OperatorNumber. Real services and store; only the
 * media port and the REFER's answer are stood in for.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { testContext, type TestContext } from '../../../test/harness.js';
import {
  capturingLogger,
  ScriptedMedia,
  type Step,
  TransferringCall,
  dialScripted,
} from '../../../test/scripted-call.js';
import { getUMMailboxPIN } from '../../services/get-um-mailbox-pin.js';
import { setDialPlan } from '../../services/dial-plans.js';
import { setMailboxPolicy } from '../../services/mailbox-policies.js';
import { setUMMailbox } from '../../services/um-mailboxes.js';
import { changePin } from '../../services/voice-logon.js';
import { PromptLibrary } from '../prompts/prompt-library.js';
import { sipGatewayActor } from './gateway-actor.js';
import type { DialogueOutcome } from './logon-dialogue.js';
import { operatorUri } from './operator-uri.js';

const FIRST = '1985848';
const SETTLED = '2580147';
const NEW = '8305726';

const lines: string[] = [];
const log = capturingLogger(lines);

let library: PromptLibrary;
beforeAll(() => {
  library = PromptLibrary.load();
});

describe('per-mailbox voice settings on a call (real services, SQLite store)', () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext('sqlite', { tollFraud: { failures: 1000 } });
    await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231', pin: FIRST }]);
    // past the first-time change: a plain logon is 'ok'
    await changePin(t.deps, sipGatewayActor({ callerId: null, remoteAddress: '127.0.0.1' }), {
      extension: '10231',
      oldPin: FIRST,
      newPin: SETTLED,
    });
  });
  afterEach(() => t.close());

  async function dial(
    callerId: string | null,
    steps: Step[],
    accept = true,
  ): Promise<{ outcome: DialogueOutcome; call: TransferringCall }> {
    const call = new TransferringCall(new ScriptedMedia(library, steps), callerId);
    call.accept = accept;
    return dialScripted(call, { deps: t.deps, prompts: library, log });
  }

  const allowPinless = async () => {
    await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { allowPinlessVoiceMailAccess: true });
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { pinlessAccessToVoiceMailEnabled: true });
  };

  it('SubscriberAccessEnabled $false: the caller is told voice access is not enabled, and nothing is counted', async () => {
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { subscriberAccessEnabled: false });
    const { outcome, call } = await dial('+14255510231', [{ at: 'offer-mailbox', keys: `${SETTLED}#` }]);
    expect(outcome).toBe('no-voice-access');
    expect(call.media.heard.at(-1)!.ids).toEqual(['no-voice-access']);
    expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).failedAttempts).toBe(0);
  });

  it('SubscriberAccessEnabled $false also refuses the PIN-less logon', async () => {
    await allowPinless();
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { subscriberAccessEnabled: false });
    const { outcome, call } = await dial('10231', []);
    expect(outcome).toBe('no-voice-access');
    expect(call.media.ids).toEqual(['no-voice-access']);
  });

  it('PIN-less access: a call from the own extension is signed in without being asked for a PIN', async () => {
    await allowPinless();
    const { outcome, call } = await dial('10231', [{ at: 'signed-in-menu', keys: '*' }]);
    expect(outcome).toBe('signed-in');
    expect(call.media.ids).toEqual(['greeting', 'signed-in-menu', 'goodbye']);
    const audit = await t.deps.store.listAudit({ action: 'Voice:PinlessLogon' });
    expect(audit).toHaveLength(1);
  });

  it('PIN-less access: a change of PIN still asks for the PIN in force', async () => {
    await allowPinless();
    const { outcome, call } = await dial('10231', [
      { at: 'signed-in-menu', keys: '1' },
      { at: 'enter-pin', keys: `${SETTLED}#` },
      { at: 'enter-new-pin', keys: `${NEW}#` },
      { at: 'enter-new-pin-again', keys: `${NEW}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
    expect(call.media.ids).toContain('pin-changed');
  });

  it('without PIN-less access on the mailbox, or from another phone, the PIN is asked for', async () => {
    await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { allowPinlessVoiceMailAccess: true });
    const own = await dial('10231', [
      { at: 'offer-mailbox', keys: `${SETTLED}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(own.outcome).toBe('signed-in');
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { pinlessAccessToVoiceMailEnabled: true });
    const other = await dial('+14255510231', [
      { at: 'offer-mailbox', keys: `${SETTLED}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(other.outcome).toBe('signed-in');
    expect(other.call.media.ids).toContain('offer-mailbox');
  });

  it('0 transfers to the mailbox’s OperatorNumber at the gateway, at the offer and when signed in', async () => {
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { operatorNumber: '10200' });
    const atOffer = await dial('+14255510231', [{ at: 'offer-mailbox', keys: '0#' }]);
    expect(atOffer.outcome).toBe('transferred');
    expect(atOffer.call.transfers).toEqual(['sip:10200@127.0.0.1']);
    expect(atOffer.call.hungUpBy).toBe('us');
    expect((await getUMMailboxPIN(t.deps, ADMIN, 'tonysmith')).failedAttempts).toBe(0);

    const signedIn = await dial(null, [
      { at: 'enter-extension', keys: '10231#' },
      { at: 'enter-pin', keys: `${SETTLED}#` },
      { at: 'signed-in-menu', keys: '0' },
    ]);
    expect(signedIn.outcome).toBe('transferred');
    expect(signedIn.call.transfers).toEqual(['sip:10200@127.0.0.1']);
  });

  it('a transfer the gateway refuses asks again; without an OperatorNumber 0 is keyed like any PIN', async () => {
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { operatorNumber: '10200' });
    const refused = await dial(
      '+14255510231',
      [
        { at: 'offer-mailbox', keys: '0#' },
        { at: 'offer-mailbox', keys: `${SETTLED}#` },
        { at: 'signed-in-menu', keys: '*' },
      ],
      false,
    );
    expect(refused.outcome).toBe('signed-in');
    expect(refused.call.transfers).toHaveLength(1);

    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { operatorNumber: null });
    const none = await dial('+14255510231', [
      { at: 'offer-mailbox', keys: '0#' },
      { at: 'offer-mailbox', keys: `${SETTLED}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(none.call.transfers).toEqual([]);
    expect(none.call.media.ids).toContain('pin-wrong');
  });

  it('without an OperatorNumber 0 reaches the dial plan’s OperatorExtension, also before a mailbox is named', async () => {
    await setDialPlan(t.deps, ADMIN, 'Contoso', { operatorExtension: '10000' });
    const first = await dial(null, [{ at: 'enter-extension', keys: '0#' }]);
    expect(first.outcome).toBe('transferred');
    expect(first.call.transfers).toEqual(['sip:10000@127.0.0.1']);
    const own = await dial('+14255510231', [{ at: 'offer-mailbox', keys: '0#' }]);
    expect(own.call.transfers).toEqual(['sip:10000@127.0.0.1']);
    // the mailbox's own operator comes first
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { operatorNumber: '10200' });
    const personal = await dial('+14255510231', [{ at: 'offer-mailbox', keys: '0#' }]);
    expect(personal.call.transfers).toEqual(['sip:10200@127.0.0.1']);
  });

  it('writes an IPv6 gateway in brackets', () => {
    expect(operatorUri('10200', '2001:db8::1')).toBe('sip:10200@[2001:db8::1]');
  });

  it('logs no PIN', () => {
    const text = lines.join('');
    for (const pin of [FIRST, SETTLED, NEW]) expect(text).not.toContain(pin);
  });
});
