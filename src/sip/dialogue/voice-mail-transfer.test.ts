/**
 * The dial plan's VoiceMailUri on a call: once signed in (by PIN, after a required change of
 * PIN, or PIN-less), # or silence transfers the caller to the PBX's voice mail of their
 * extension; 1 still changes the PIN and * still hangs up; a failed transfer is said and the
 * menu goes on without it. Real services and store; only the media port and the gateway's
 * answer to the transfer are stood in for.
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
import { setDialPlan } from '../../services/dial-plans.js';
import { setMailboxPolicy } from '../../services/mailbox-policies.js';
import { setUMMailbox } from '../../services/um-mailboxes.js';
import { changePin } from '../../services/voice-logon.js';
import { setUMMailboxPIN } from '../../services/set-um-mailbox-pin.js';
import { PromptLibrary } from '../prompts/prompt-library.js';
import { sipGatewayActor } from './gateway-actor.js';
import type { DialogueOutcome } from './logon-dialogue.js';

const FIRST = '1985848';
const SETTLED = '2580147';
const NEW = '8305726';
const WRONG = '7413962';
const RESET = '6029471';
const TEMPLATE = 'sip:*97{extension}@pbx.contoso.com:5060;transport=tcp';
const TONY_VOICE_MAIL = 'sip:*9710231@pbx.contoso.com:5060;transport=tcp';

const lines: string[] = [];
const log = capturingLogger(lines);

let library: PromptLibrary;
beforeAll(() => {
  library = PromptLibrary.load();
});

describe('transfer to the PBX’s voice mail once signed in (real services, SQLite store)', () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext('sqlite', { tollFraud: { failures: 1000 } });
    await contoso(t.deps, [{ alias: 'tonysmith', extension: '10231', pin: FIRST }]);
    await changePin(t.deps, sipGatewayActor({ callerId: null, remoteAddress: '127.0.0.1' }), {
      extension: '10231',
      oldPin: FIRST,
      newPin: SETTLED,
    });
    await setDialPlan(t.deps, ADMIN, 'Contoso', { voiceMailUri: TEMPLATE });
    lines.length = 0;
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

  const logOn: Step[] = [
    { at: 'enter-extension', keys: '10231#' },
    { at: 'enter-pin', keys: `${SETTLED}#` },
  ];

  it('# transfers the signed-in caller to the voice mail of their extension, then umpin leaves the call', async () => {
    const { outcome, call } = await dial(null, [...logOn, { at: 'voice-mail-option', keys: '#' }]);
    expect(outcome).toBe('transferred-voice-mail');
    expect(call.transfers).toEqual([TONY_VOICE_MAIL]);
    expect(call.media.ids.slice(-2)).toEqual(['voice-mail-option', 'transferring']);
    expect(call.hungUpBy).toBe('us');
    // the target and the log carry the extension, never the PIN
    expect(call.transfers.join()).not.toContain(SETTLED);
    expect(lines.join()).not.toContain(SETTLED);
    expect(lines.some((l) => l.includes('"outcome":"transferred-voice-mail"'))).toBe(true);
  });

  it('staying on the line (no key) transfers too', async () => {
    const { outcome, call } = await dial(null, logOn);
    expect(outcome).toBe('transferred-voice-mail');
    expect(call.transfers).toEqual([TONY_VOICE_MAIL]);
    expect(call.media.ids.filter((id) => id === 'no-input')).toEqual([]);
  });

  it('1 first changes the PIN, and the menu then still offers the voice mail', async () => {
    const { outcome, call } = await dial(null, [
      ...logOn,
      { at: 'voice-mail-option', keys: '1' },
      { at: 'enter-new-pin', keys: `${NEW}#` },
      { at: 'enter-new-pin-again', keys: `${NEW}#` },
      { at: 'voice-mail-option', keys: '#' },
    ]);
    expect(outcome).toBe('transferred-voice-mail');
    expect(call.media.ids).toContain('pin-changed');
    expect(call.transfers).toEqual([TONY_VOICE_MAIL]);
  });

  it('* still hangs up without a transfer', async () => {
    const { outcome, call } = await dial(null, [...logOn, { at: 'voice-mail-option', keys: '*' }]);
    expect(outcome).toBe('signed-in');
    expect(call.transfers).toEqual([]);
    expect(call.media.ids.at(-1)).toBe('goodbye');
  });

  it('a failed transfer is said, and the menu goes on without the voice mail', async () => {
    const { outcome, call } = await dial(
      null,
      [...logOn, { at: 'voice-mail-option', keys: '#' }, { at: 'signed-in-menu', keys: '*' }],
      false,
    );
    expect(outcome).toBe('signed-in');
    expect(call.transfers).toEqual([TONY_VOICE_MAIL]);
    expect(call.media.ids.slice(-4)).toEqual(['transferring', 'voice-mail-unavailable', 'signed-in-menu', 'goodbye']);
  });

  it('a failed transfer, then silence: the plain menu’s no-input goodbye, not a second try', async () => {
    const { outcome, call } = await dial(null, logOn, false);
    expect(outcome).toBe('no-input');
    expect(call.transfers).toEqual([TONY_VOICE_MAIL]);
  });

  it('a required change of PIN comes first: the voice mail is offered once it is done', async () => {
    await setUMMailboxPIN(t.deps, ADMIN, { identity: 'tonysmith', pin: RESET, pinExpired: true });
    const { outcome, call } = await dial(null, [
      { at: 'enter-extension', keys: '10231#' },
      { at: 'enter-pin', keys: `${RESET}#` },
      { at: 'enter-new-pin', keys: `${NEW}#` },
      { at: 'enter-new-pin-again', keys: `${NEW}#` },
      { at: 'voice-mail-option', keys: '#' },
    ]);
    expect(outcome).toBe('transferred-voice-mail');
    expect(call.media.ids).toContain('pin-changed');
    expect(call.transfers).toEqual([TONY_VOICE_MAIL]);
  });

  it('a caller who is not signed in never reaches the voice mail', async () => {
    await setDialPlan(t.deps, ADMIN, 'Contoso', { logonFailuresBeforeDisconnect: 2 });
    const { outcome, call } = await dial(null, [
      { at: 'enter-extension', keys: '10231#' },
      { at: 'enter-pin', keys: `${WRONG}#` },
      { at: 'enter-pin', keys: '#' },
    ]);
    expect(outcome).toBe('logon-failed');
    expect(call.transfers).toEqual([]);
    expect(call.media.ids).not.toContain('voice-mail-option');
  });

  it('PIN-less access, where allowed, counts as signed in: the voice mail is offered', async () => {
    await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { allowPinlessVoiceMailAccess: true });
    await setUMMailbox(t.deps, ADMIN, 'tonysmith', { pinlessAccessToVoiceMailEnabled: true });
    const { outcome, call } = await dial('10231', [{ at: 'voice-mail-option', keys: '#' }]);
    expect(outcome).toBe('transferred-voice-mail');
    expect(call.media.ids).toEqual(['greeting', 'signed-in-menu', 'voice-mail-option', 'transferring']);
    expect(call.transfers).toEqual([TONY_VOICE_MAIL]);
  });

  it('without a VoiceMailUri the menu is as before', async () => {
    await setDialPlan(t.deps, ADMIN, 'Contoso', { voiceMailUri: null });
    const { outcome, call } = await dial(null, [
      ...logOn,
      { at: 'signed-in-menu', keys: '#' },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
    expect(call.transfers).toEqual([]);
    expect(call.media.ids).not.toContain('voice-mail-option');
  });
});
