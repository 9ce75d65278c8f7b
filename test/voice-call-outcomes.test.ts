/**
 * The other ends of a telephone logon, each on a real call against the built `umpin serve
 * --demo`: an automatic PIN reset (and its mail in the maildrop), a lockout across calls, the
 * hang-up after the dial plan's LogonFailuresBeforeDisconnect, PIN-less access from the
 * mailbox's own extension, 0 to the operator (a REFER), SubscriberAccessEnabled $false, and
 * linphonec, which offers three telephone-event rates. Each call uses a mailbox of its own,
 * so the calls run at once; each is judged by what a caller, a user or an administrator
 * would notice: the BYE, the mail, the PIN state, the audit log and /metrics.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/compose.js';
import { databaseText } from './db-haystack.js';
import { PIN as MAILED_PIN } from './delivered-mail.js';
import { dtmfSamples, pinSightings, sleep, startVoiceServer, ulawFile, type VoiceServer } from './voice-call-peers.js';

// Seven-digit PINs, none an extension, a port or a part of one another: if one shows up in
// the server's output between non-digits, the server wrote a PIN.
const FIRST_PIN = '3619472';
const WRONG_PIN = '8052716';
const PILAR_PIN = '4170385';
const AYLA_PIN = '5283914';
const DAN_PIN = '6397021';
const KAREN_PIN = '7401658';
const JANE_PIN = '9516203';
const LUKE_PIN = '2638045';
const PINS = [FIRST_PIN, WRONG_PIN, PILAR_PIN, AYLA_PIN, DAN_PIN, KAREN_PIN, JANE_PIN, LUKE_PIN];
/** the operator number that test/sipp/voice-operator.xml expects in the REFER */
const OPERATOR = '5550123';

interface DroppedMail {
  to: string;
  subject: string;
  text: string;
}

describe('telephone logon outcomes on real calls against umpin serve', () => {
  let v: VoiceServer;
  /** PINs umpin generated and mailed in these calls, for the check that serve never printed them */
  const mailedPins: string[] = [];

  /** The mails in serve's maildrop to this address, once there are at least `count` of them. */
  async function mailsTo(address: string, count: number): Promise<DroppedMail[]> {
    const drop = join(v.db.dataDir, 'maildrop');
    for (let i = 0; i < 150; i++) {
      const all = await Promise.all(
        readdirSync(drop)
          .filter((f) => f.endsWith('.eml'))
          .map(async (f) => {
            const m = await simpleParser(readFileSync(join(drop, f)));
            const to = Array.isArray(m.to) ? m.to[0]!.text : (m.to?.text ?? '');
            return { to, subject: m.subject ?? '', text: m.text ?? '' };
          }),
      );
      const mine = all.filter((m) => m.to === address);
      if (mine.length >= count) return mine;
      await sleep(100);
    }
    throw new Error(`fewer than ${count} mails to ${address} in the maildrop`);
  }

  /** The outbox rows of one kind to one address, as the store keeps them, once they are all sent. */
  async function sentOutbox(address: string, kind: string) {
    const store = openStore({ engine: 'sqlite', databaseUrl: v.db.url });
    try {
      for (let i = 0; ; i++) {
        const rows = (await store.listOutbox({})).filter((m) => m.toAddress === address && m.kind === kind);
        if (i >= 100 || (rows.length > 0 && rows.every((m) => m.status === 'sent'))) return rows;
        await sleep(100);
      }
    } finally {
      await store.close();
    }
  }

  /** Audit entries of one cmdlet on one mailbox, as Search-AdminAuditLog lists them. */
  async function audit(cmdlet: string, address: string): Promise<string> {
    return v.shell(`Search-AdminAuditLog -Cmdlets ${cmdlet} -ObjectIds ${address} | Format-List`);
  }

  const entries = (list: string) => list.match(/^CmdletName\s*:/gm)?.length ?? 0;

  beforeAll(async () => {
    const settled = ['pilarpinilla', 'ayla', 'danjump', 'karenberg', 'lukeharris'];
    v = await startVoiceServer({
      linphonec: true,
      setup: [
        ...settled.map((alias) => `Set-UMMailboxPIN -Identity ${alias} -Pin ${FIRST_PIN} -PinExpired $false`),
        // voice access off: the right PIN is the one the administrator set
        `Set-UMMailboxPIN -Identity janedow -Pin ${JANE_PIN} -PinExpired $false`,
        'Set-UMMailbox -Identity janedow -SubscriberAccessEnabled $false',
        // a policy each for the counts and the PIN-less flag, so that no other mailbox is affected
        'New-UMMailboxPolicy -Name "Auto Reset Test" -UMDialPlan Contoso',
        'Set-UMMailboxPolicy -Identity "Auto Reset Test" -LogonFailuresBeforePINReset 2 -MaxLogonAttempts 10 -ResetPINText "Questions? Call the help desk on 4400."',
        'Set-UMMailbox -Identity pilarpinilla -UMMailboxPolicy "Auto Reset Test"',
        'New-UMMailboxPolicy -Name "Lockout Test" -UMDialPlan Contoso',
        'Set-UMMailboxPolicy -Identity "Lockout Test" -LogonFailuresBeforePINReset Unlimited -MaxLogonAttempts 4',
        'Set-UMMailbox -Identity ayla -UMMailboxPolicy "Lockout Test"',
        'New-UMMailboxPolicy -Name "Pinless Test" -UMDialPlan Contoso',
        'Set-UMMailboxPolicy -Identity "Pinless Test" -AllowPinlessVoiceMailAccess $true',
        'Set-UMMailbox -Identity karenberg -UMMailboxPolicy "Pinless Test" -PinlessAccessToVoiceMailEnabled $true',
        `Set-UMMailbox -Identity scottcooper -OperatorNumber ${OPERATOR}`,
      ],
    });
    // PINs that are neither first-time nor expired: changed by the gateway, as a first telephone logon would
    await Promise.all([
      v.gatewayPinChange('10237', FIRST_PIN, PILAR_PIN),
      v.gatewayPinChange('10238', FIRST_PIN, AYLA_PIN),
      v.gatewayPinChange('10239', FIRST_PIN, DAN_PIN),
      v.gatewayPinChange('10240', FIRST_PIN, KAREN_PIN),
      v.gatewayPinChange('10243', FIRST_PIN, LUKE_PIN),
    ]);
  }, 120_000);

  afterAll(async () => {
    await v?.close();
  });

  it.concurrent('auto-reset: the wrong PIN that reaches LogonFailuresBeforePINReset ends the call, and the new PIN is mailed', async () => {
    // the policy resets at 2 wrong PINs; the dial plan would disconnect at 3
    const call = await v.sipp('voice-keys.xml', '10237', { keys: `${WRONG_PIN}#${WRONG_PIN}#` });
    expect(call.code, call.output).toBe(0); // umpin said goodbye and sent the BYE
    expect(v.outcomes(call.callId)).toEqual(['wrong', 'auto-reset', 'auto-reset']);
    expect(await v.pinState('pilarpinilla')).toMatchObject({ failedAttempts: 2, pinExpired: true, lockedOut: false });

    // the mail in the maildrop (after the demo's welcome mail): to the user, with the policy's text and the new PIN
    const reset = (await mailsTo('pilarpinilla@contoso.com', 2)).find(
      (m) => m.subject === 'Your voice mail PIN was reset for your security',
    );
    expect(reset).toBeDefined();
    expect(reset?.text).toContain('Questions? Call the help desk on 4400.');
    const pin = MAILED_PIN.exec(reset?.text ?? '')?.[1];
    expect(pin).toMatch(/^\d{6,}$/);
    mailedPins.push(pin!);

    // the outbox kept it sealed until sent and erased it then: the database holds no trace of it
    const rows = await sentOutbox('pilarpinilla@contoso.com', 'auto-reset');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', sealedPayload: null });
    expect(pinSightings(databaseText(v), pin!)).toEqual([]);

    // the mailed PIN is the one in force now, and must be changed at the next logon
    const logon = await fetch(`${v.server.url}/api/v1/voice/logons`, {
      method: 'POST',
      headers: { authorization: `Bearer ${v.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ extension: '10237', pin }),
    });
    expect(await logon.json()).toMatchObject({ outcome: 'must-change' });

    const entry = await audit('Voice:AutoResetPIN', 'pilarpinilla@contoso.com');
    expect(entries(entry)).toBe(1);
    expect(entry).toMatch(/Caller\s*: sip-gateway:127\.0\.0\.1/);
    expect(entry).toMatch(/Source\s*: sip:10237/);
    expect(pinSightings(entry, pin!)).toEqual([]);
    expect(await v.metric('umpin_pin_auto_resets_total')).toBe(1);
    expect(await v.metric('umpin_voice_calls_total{outcome="auto-reset"}')).toBe(1);
  });

  it.concurrent('lockout: wrong PINs over two calls lock the mailbox; the next call with the right PIN is refused and hung up', async () => {
    // LogonFailuresBeforeDisconnect (3) ends the first call (keyed as in-band tones); the policy locks at 4
    const tones = dtmfSamples(`${WRONG_PIN}#${WRONG_PIN}#${WRONG_PIN}#`, 500, 500);
    const first = await v.sipp('voice-inband.xml', '10238', { files: { 'pin.ulaw': ulawFile(tones) } });
    expect(first.code, first.output).toBe(0);
    expect(v.outcomes(first.callId)).toEqual(['wrong', 'wrong', 'wrong', 'logon-failed']);
    expect(await v.pinState('ayla')).toMatchObject({ failedAttempts: 3, lockedOut: false });

    const second = await v.sipp('voice-keys.xml', '10238', { keys: `${WRONG_PIN}#` });
    expect(second.code, second.output).toBe(0);
    expect(v.outcomes(second.callId)).toEqual(['locked-out', 'locked-out']);

    // the right PIN now: "Your mailbox is locked…", and umpin hangs up (voice-keys.xml waits for its BYE)
    const right = await v.sipp('voice-keys.xml', '10238', { keys: `${AYLA_PIN}#` });
    expect(right.code, right.output).toBe(0);
    expect(v.outcomes(right.callId)).toEqual(['locked-out', 'locked-out']);
    expect(v.sipLine(right.callId, 'SIP call ended')).toMatchObject({ reason: 'local-hangup' });

    expect(await v.pinState('ayla')).toMatchObject({ lockedOut: true, failedAttempts: 4, lastFailureCaller: '10238' });
    // what an administrator sees in the shell: the mailbox locked, and one audit entry saying by whom
    const shown = await v.shell(
      'Get-UMMailboxPIN -Identity ayla | Format-List; Search-AdminAuditLog -Cmdlets Voice:LockOut -ObjectIds ayla@contoso.com | Format-List',
    );
    expect(shown).toMatch(/LockedOut\s*: True/);
    expect(entries(shown)).toBe(1);
    expect(shown).toMatch(/CmdletName\s*: Voice:LockOut/);
    expect(shown).toMatch(/Source\s*: sip:10238/);
    const [locked] = (await mailsTo('ayla@contoso.com', 2)).filter((m) => m.subject === 'Your voice mail is locked');
    expect(locked).toBeDefined();
    expect(await v.metric('umpin_pin_lockouts_total')).toBe(1);
    expect(await v.metric('umpin_voice_logons_total{outcome="locked-out"}')).toBe(2);
    expect(await v.metric('umpin_voice_calls_total{outcome="locked-out"}')).toBe(2);
    expect(await v.metric('umpin_voice_logons_total{outcome="wrong"}')).toBeGreaterThanOrEqual(3);
  }, 90_000);

  it.concurrent('LogonFailuresBeforeDisconnect: the third wrong PIN in one call ends it with a BYE from umpin', async () => {
    const call = await v.sipp('voice-keys.xml', '10239', { keys: `${WRONG_PIN}#${WRONG_PIN}#${WRONG_PIN}#` });
    expect(call.code, call.output).toBe(0);
    expect(v.outcomes(call.callId)).toEqual(['wrong', 'wrong', 'wrong', 'logon-failed']);
    expect(v.sipLine(call.callId, 'SIP call ended')).toMatchObject({ reason: 'local-hangup' });
    // the default policy neither resets nor locks at 3
    expect(await v.pinState('danjump')).toMatchObject({ failedAttempts: 3, lockedOut: false, pinExpired: false });
  });

  it.concurrent('PIN-less access: a call from the own extension signs in without a PIN; from another number, the PIN is asked for', async () => {
    const [own, other] = await Promise.all([
      v.sipp('voice-keys.xml', '10240', { keys: '*' }),
      // a number that ends in the extension is another phone: the mailbox is offered, with a PIN
      v.sipp('voice-keys.xml', '4255510240', { keys: `${KAREN_PIN}#*` }),
    ]);
    expect(own.code, own.output).toBe(0);
    expect(v.outcomes(own.callId)).toEqual(['pinless', 'signed-in']);
    expect(other.code, other.output).toBe(0);
    expect(v.dialogueLines(other.callId)[0]).toMatchObject({ step: 'answered', offered: true });
    expect(v.outcomes(other.callId)).toEqual(['ok', 'signed-in']);
    const entry = await audit('Voice:PinlessLogon', 'karenberg@contoso.com');
    expect(entries(entry)).toBe(1);
    expect(entry).toMatch(/Source\s*: sip:10240/);
  });

  it.concurrent("0 to the operator: umpin sends a REFER to the mailbox's OperatorNumber and hangs up once it is accepted", async () => {
    // voice-operator.xml fails unless the REFER's Refer-To is <sip:5550123@127.0.0.1>
    const call = await v.sipp('voice-operator.xml', '10241', { keys: '0#' });
    expect(call.code, call.output).toBe(0);
    expect(v.dialogueLines(call.callId).find((l) => l.step === 'operator')).toMatchObject({ accepted: true });
    expect(v.outcomes(call.callId)).toEqual(['transferred']);
    expect(v.sipLine(call.callId, 'SIP call ended')).toMatchObject({ reason: 'local-hangup' });
  });

  it.concurrent('SubscriberAccessEnabled $false: the right PIN is refused and the call ended; nothing is counted', async () => {
    expect(await v.shell('Get-UMMailbox -Identity janedow | Format-List')).toMatch(/SubscriberAccessEnabled\s*: False/);
    const before = await v.pinState('janedow');
    const call = await v.sipp('voice-keys.xml', '10242', { keys: `${JANE_PIN}#` });
    expect(call.code, call.output).toBe(0);
    expect(v.outcomes(call.callId)).toEqual(['no-voice-access', 'no-voice-access']);
    expect(await v.pinState('janedow')).toEqual(before);
  });

  it.concurrent('linphonec: three telephone-event rates offered, the 8000 Hz one answered, and its keys sign in', async () => {
    await v.failOnce('10243', WRONG_PIN);
    expect(await v.pinState('lukeharris')).toMatchObject({ failedAttempts: 1 });
    const keys = `${LUKE_PIN}#*`;
    const call = await v.linphonec('10243', keys);
    expect(v.outcomes(call.callId)).toEqual(['ok', 'signed-in']);
    expect(await v.pinState('lukeharris')).toMatchObject({ failedAttempts: 0 });

    // linphonec's log holds the INVITE it sent and umpin's 200 OK
    const offer = sdpOf(call.log, /^INVITE sip:8000@/m);
    const answer = sdpOf(call.log, /^SIP\/2\.0 200 OK[\s\S]*^CSeq: *\d+ INVITE/m);
    const events = (sdp: string) =>
      [...sdp.matchAll(/^a=rtpmap:(\d+) telephone-event\/(\d+)/gm)].map((m) => [m[1], m[2]]);
    expect(events(offer).map(([, rate]) => rate)).toEqual(['48000', '16000', '8000']);
    const offered8k = events(offer).find(([, rate]) => rate === '8000')![0];
    expect(events(answer)).toEqual([[offered8k, '8000']]);
    expect(v.sipLine(call.callId, 'SIP call answered')).toMatchObject({ telephoneEvent: true, srtp: false });
    // every key went as an RFC 4733 event
    expect(call.log.match(/Finished sending RFC2833 dtmf/g)).toHaveLength(keys.length);
  });

  it("no PIN keyed, set or mailed in these calls appears in the server's output", () => {
    const out = v.server.output();
    expect(out).toContain('voice dialogue ended');
    expect(mailedPins).toHaveLength(1);
    for (const pin of [...PINS, ...mailedPins]) expect(pinSightings(out, pin)).toEqual([]);
  });
});

/** The SDP of the first SIP message in a linphonec log whose text matches `start`. */
function sdpOf(log: string, start: RegExp): string {
  // each log record starts with a timestamp; a SIP message is the rest of its record
  const record = log.split(/^(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/m).find((r) => start.test(r));
  if (record === undefined) throw new Error(`no SIP message matching ${start} in linphonec's log`);
  return record.slice(record.indexOf('\nv=0'));
}
