import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testContext, type TestContext } from '../../test/harness.js';
import { ADMIN, contoso } from '../../test/fixtures.js';
import type { Actor } from './actor.js';
import { setDialPlan } from './dial-plans.js';
import { voiceCallee, voiceCallPlan } from './voice-call.js';

const GATEWAY: Actor = { kind: 'admin', name: 'sip-gateway:127.0.0.1', roles: ['VoiceGateway'], source: 'sip:+1' };

describe('what a call knows before the PIN', () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext('sqlite');
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231' },
      { alias: 'weichen', extension: '10246', language: 'zh-TW' },
    ]);
  });
  afterEach(() => t.close());

  it('the dial plan of the dialled access number: its language and LogonFailuresBeforeDisconnect', async () => {
    await setDialPlan(t.deps, ADMIN, 'Contoso', { defaultLanguage: 'zh-TW', logonFailuresBeforeDisconnect: 5 });
    expect(await voiceCallPlan(t.deps, GATEWAY, { dialled: '+14255550100' })).toEqual({
      dialPlan: 'Contoso',
      language: 'zh-TW',
      logonFailuresBeforeDisconnect: 5,
      extensionDigits: 5,
      operatorExtension: null,
    });
  });

  it('the mailbox a calling number or an extension names, with its language', async () => {
    expect(await voiceCallee(t.deps, GATEWAY, { callerId: '+1 425 555 10246' })).toEqual({
      extension: '10246',
      language: 'zh-TW',
      dialPlan: 'Contoso',
      operatorNumber: null,
      voiceMail: null,
    });
    expect(await voiceCallee(t.deps, GATEWAY, { extension: '10231' })).toMatchObject({ language: 'en-US' });
    expect(await voiceCallee(t.deps, GATEWAY, { extension: '99999' })).toBeNull();
  });

  it('the voice mail of the mailbox: its dial plan’s VoiceMailUri with the extension filled in', async () => {
    await setDialPlan(t.deps, ADMIN, 'Contoso', { voiceMailUri: 'sip:*97{extension}@10.0.0.5:5060' });
    expect(await voiceCallee(t.deps, GATEWAY, { extension: '10231' })).toMatchObject({
      voiceMail: 'sip:*9710231@10.0.0.5:5060',
    });
    expect(await voiceCallee(t.deps, GATEWAY, { callerId: '+1 425 555 10246' })).toMatchObject({
      voiceMail: 'sip:*9710246@10.0.0.5:5060',
    });
    // an empty value removes it
    await setDialPlan(t.deps, ADMIN, 'Contoso', { voiceMailUri: '' });
    expect(await voiceCallee(t.deps, GATEWAY, { extension: '10231' })).toMatchObject({ voiceMail: null });
  });

  it('only a voice gateway may ask', async () => {
    const helpDesk: Actor = { kind: 'admin', name: 'admin:hd', roles: ['HelpDesk'] };
    await expect(voiceCallee(t.deps, helpDesk, { extension: '10231' })).rejects.toMatchObject({
      code: 'UMPIN_ACCESS_DENIED',
    });
  });
});
