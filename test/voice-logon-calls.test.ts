/**
 * Telephone logons end to end: the built `umpin serve --demo` with its SIP endpoint, real
 * media sessions and the logon dialogue, called by Debian's sipp (UDP, keys as RFC 4733
 * events or in-band tones) and baresip (TLS with SRTP). Each call is checked by what the
 * server did to the mailbox, as the shell and the audit log show it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  pinSightings,
  dtmfSamples,
  startVoiceServer,
  ulawFile,
  waitFor,
  type VoiceServer,
} from './voice-call-peers.js';

// Seven-digit PINs, none an extension, a port or a part of one another: if one shows up in
// the server's output between non-digits, the server wrote a PIN.
const FIRST_PIN = '4829163';
const TONY_PIN = '6150794';
const WRONG_PIN = '9174305';
const KIM_PIN = '7302958';
const DAVID_PIN = '8416027';
const JEFF_PIN = '2957640';
const CHRIS_PIN = '5927314';
const CHRIS_NEW_PIN = '3860152';
const ELLEN_PIN = '1693847';
const PINS = [FIRST_PIN, TONY_PIN, WRONG_PIN, KIM_PIN, DAVID_PIN, JEFF_PIN, CHRIS_PIN, CHRIS_NEW_PIN, ELLEN_PIN];

describe('telephone logon against umpin serve, with sipp and baresip', () => {
  let v: VoiceServer;
  const pinState = (alias: string) => v.pinState(alias);
  const outcomes = (callId: string) => v.outcomes(callId);
  const dialogueLines = (callId: string) => v.dialogueLines(callId);
  const shell = (command: string) => v.shell(command);
  const sipp = (...args: Parameters<VoiceServer['sipp']>) => v.sipp(...args);
  const baresip = (...args: Parameters<VoiceServer['baresip']>) => v.baresip(...args);
  const mailboxWithPin = (alias: string, extension: string, pin: string) =>
    v.mailboxWithPin(alias, extension, FIRST_PIN, pin);
  const failOnce = (extension: string) => v.failOnce(extension, WRONG_PIN);

  beforeAll(async () => {
    v = await startVoiceServer();
    await Promise.all([
      mailboxWithPin('tonysmith', '10231', TONY_PIN),
      mailboxWithPin('kimakers', '10232', KIM_PIN),
      mailboxWithPin('davidpelton', '10233', DAVID_PIN),
      mailboxWithPin('jeffhay', '10236', JEFF_PIN),
      mailboxWithPin('ellenadams', '10235', ELLEN_PIN),
      // a PIN the caller must change at the first logon: expired, and first-time
      shell(`Set-UMMailboxPIN -Identity chrisashton -Pin ${CHRIS_PIN} -PinExpired $true`),
    ]);
  }, 120_000);

  afterAll(async () => {
    await v?.close();
  });

  it('sipp, RFC 4733: a wrong PIN is counted against the calling number; the right one signs in and clears the count', async () => {
    const wrong = await sipp('voice-keys-hangup.xml', '10231', { keys: `${WRONG_PIN}#`, pauseMs: 3000 });
    expect(wrong.code, wrong.output).toBe(0);
    expect(await pinState('tonysmith')).toMatchObject({ failedAttempts: 1, lastFailureCaller: '10231' });
    expect(outcomes(wrong.callId)).toEqual(['wrong', 'caller-hangup']);

    const right = await sipp('voice-keys.xml', '10231', { keys: `${TONY_PIN}#*` });
    expect(right.code, right.output).toBe(0);
    // a right PIN clears the count; the last failure stays on record
    expect(await pinState('tonysmith')).toMatchObject({ failedAttempts: 0, lastFailureCaller: '10231' });
    expect(outcomes(right.callId)).toEqual(['ok', 'signed-in']);
  });

  it.concurrent('sipp, in-band tones: the keys heard in the audio sign in', async () => {
    await failOnce('10232');
    expect(await pinState('kimakers')).toMatchObject({ failedAttempts: 1 });
    const call = await sipp('voice-inband.xml', '10232', {
      files: { 'pin.ulaw': ulawFile(dtmfSamples(`${KIM_PIN}#*`, 500, 500)) },
    });
    expect(call.code, call.output).toBe(0);
    expect(await pinState('kimakers')).toMatchObject({ failedAttempts: 0 });
    expect(outcomes(call.callId)).toEqual(['ok', 'signed-in']);
  });

  it.concurrent('baresip over TLS with SRTP, RFC 4733 events: signs in', async () => {
    await failOnce('10233');
    expect(await pinState('davidpelton')).toMatchObject({ failedAttempts: 1 });
    const call = await baresip('10233', { keys: `${DAVID_PIN}#*` });
    expect(call.events).toContain('CALL_ESTABLISHED');
    expect(await pinState('davidpelton')).toMatchObject({ failedAttempts: 0 });
    expect(outcomes(call.callId)).toEqual(['ok', 'signed-in']);
    // the call was encrypted: serve logs each answered call's transport and whether SRTP is used
    const answered = v.server
      .output()
      .split('\n')
      .find((l) => l.includes(call.callId) && l.includes('SIP call answered'));
    expect(JSON.parse(answered!)).toMatchObject({ transport: 'tls', srtp: true, telephoneEvent: true });
  });

  it.concurrent('baresip over TLS with SRTP, in-band tones: signs in', async () => {
    await failOnce('10236');
    expect(await pinState('jeffhay')).toMatchObject({ failedAttempts: 1 });
    const call = await baresip('10236', { tones: `${JEFF_PIN}#*` });
    expect(await pinState('jeffhay')).toMatchObject({ failedAttempts: 0 });
    expect(outcomes(call.callId)).toEqual(['ok', 'signed-in']);
  });

  it.concurrent('sipp: the first logon asks for a new PIN, refuses one that breaks a rule, and sets a good one', async () => {
    expect(await pinState('chrisashton')).toMatchObject({ pinExpired: true, firstTimeUser: true });
    const call = await sipp('voice-keys.xml', '10234', {
      keys: `${CHRIS_PIN}#111111#111111#${CHRIS_NEW_PIN}#${CHRIS_NEW_PIN}#*`,
    });
    expect(call.code, call.output).toBe(0);
    expect(await pinState('chrisashton')).toMatchObject({ pinExpired: false, firstTimeUser: false, failedAttempts: 0 });
    const steps = dialogueLines(call.callId)
      .filter((l) => l.step === 'logon' || l.step === 'new-pin')
      .map((l) => [l.step, l.outcome]);
    expect(steps).toEqual([
      ['logon', 'must-change'],
      ['new-pin', 'refused'],
      ['new-pin', 'changed'],
    ]);
    // 111111 is refused for its rule (the same digit repeated), which the caller hears spoken
    expect(dialogueLines(call.callId).find((l) => l.outcome === 'refused')).toMatchObject({
      rules: ['UMPIN_PIN_COMMON_PATTERN'],
    });
    // the change is audited once, as made by the SIP gateway for the calling number
    const audit = await shell(
      'Search-AdminAuditLog -Cmdlets Voice:ChangePIN -ObjectIds chrisashton@contoso.com | Format-List',
    );
    expect(audit.match(/^CmdletName\s*:/gm)).toHaveLength(1);
    expect(audit).toMatch(/Caller\s*: sip-gateway:127\.0\.0\.1/);
    expect(audit).toMatch(/Source\s*: sip:10234/);
    expect(audit).toMatch(/Succeeded\s*: True/);
    // the new PIN is the one in force: the gateway's logon with it says ok
    const res = await fetch(`${v.server.url}/api/v1/voice/logons`, {
      method: 'POST',
      headers: { authorization: `Bearer ${v.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ extension: '10234', pin: CHRIS_NEW_PIN }),
    });
    expect(await res.json()).toMatchObject({ outcome: 'ok' });
  });

  it.concurrent('sipp: a caller who hangs up halfway through the PIN changes nothing', async () => {
    const before = await pinState('ellenadams');
    const call = await sipp('voice-keys-hangup.xml', '10235', { keys: ELLEN_PIN.slice(0, 3), pauseMs: 1500 });
    expect(call.code, call.output).toBe(0);
    await waitFor(
      () => dialogueLines(call.callId).some((l) => l.msg === 'voice dialogue ended'),
      5000,
      () => v.server.output(),
    );
    expect(outcomes(call.callId)).toEqual(['caller-hangup']);
    expect(await pinState('ellenadams')).toEqual(before);
  });

  it("no PIN keyed or set in these calls appears in the server's output", () => {
    const out = v.server.output();
    expect(out).toContain('voice dialogue ended');
    for (const pin of PINS) expect(pinSightings(out, pin)).toEqual([]);
  });
});
