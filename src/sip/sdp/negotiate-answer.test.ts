import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { BARESIP_OFFER, LINPHONE_OFFER, SAVP_OFFER, SIPP_OFFER, sdp } from '../../../test/sip-peer-messages.js';
import { type LocalMedia, negotiateAnswer } from './negotiate-answer.js';

const LOCAL: LocalMedia = {
  address: '127.0.0.1',
  port: 20000,
  sessionId: '42',
  sessionVersion: 1,
  requireSrtp: false,
  srtpKey: { key: Buffer.alloc(16, 0xaa), salt: Buffer.alloc(14, 0x55) },
};

function offer(media: readonly string[], session: readonly string[] = ['c=IN IP4 192.0.2.1']): string {
  return sdp(['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', ...session, 't=0 0', ...media]);
}

describe('answering an SDP offer', () => {
  it("answers sipp's offer: PCMU and telephone-event at its type 96", () => {
    const n = negotiateAnswer(SIPP_OFFER, LOCAL);
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.audio).toMatchObject({
      codec: { name: 'PCMU' },
      remoteAddress: '127.0.1.1',
      remotePort: 6000,
      crypto: null,
    });
    expect(n.audio.telephoneEvent?.payloadType).toBe(96);
    expect(n.answer).toBe(
      sdp([
        'v=0',
        'o=umpin 42 1 IN IP4 127.0.0.1',
        's=umpin',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        'm=audio 20000 RTP/AVP 0 96',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:96 telephone-event/8000',
        'a=fmtp:96 0-15',
        'a=ptime:20',
        'a=sendrecv',
      ]),
    );
  });

  it("answers baresip's RTP/AVP 0 101 with ptime 20", () => {
    const n = negotiateAnswer(BARESIP_OFFER, LOCAL);
    expect(n.ok && n.audio).toMatchObject({
      codec: { payloadType: 0 },
      telephoneEvent: { payloadType: 101 },
      ptime: 20,
    });
  });

  it("answers the 8000 Hz telephone-event of linphonec's three, and PCMU found in the middle of its list", () => {
    const n = negotiateAnswer(LINPHONE_OFFER, LOCAL);
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.audio.codec.name).toBe('PCMU');
    expect(n.audio.telephoneEvent?.payloadType).toBe(100);
    expect(n.answer).toContain('m=audio 20000 RTP/AVP 0 100\r\n');
    expect(n.answer).not.toMatch(/telephone-event\/(48000|16000)/);
    expect(n.audio.remoteAddress).toBe('127.0.0.1');
  });

  it('takes PCMA when it is the first G.711 offered, and honours the offer order', () => {
    const n = negotiateAnswer(offer(['m=audio 4000 RTP/AVP 18 8 0', 'a=rtpmap:18 G729/8000']), LOCAL);
    expect(n.ok && n.audio.codec).toEqual({ name: 'PCMA', payloadType: 8 });
    if (n.ok) expect(n.audio.telephoneEvent).toBeNull();
  });

  it('answers an SAVP offer with the usable crypto line and our own key', () => {
    const n = negotiateAnswer(SAVP_OFFER, { ...LOCAL, requireSrtp: true });
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.audio.profile).toBe('RTP/SAVP');
    expect(n.audio.crypto?.tag).toBe(2);
    expect([...n.audio.crypto!.key]).toEqual(Array.from({ length: 16 }, (_, i) => i));
    expect([...n.audio.crypto!.salt]).toEqual(Array.from({ length: 14 }, (_, i) => i + 16));
    expect(n.answer).toContain('m=audio 20000 RTP/SAVP 8 101\r\n');
    const ours = parse(n.answer).media[0]!.crypto![0]!;
    expect(ours).toMatchObject({ id: 2, suite: 'AES_CM_128_HMAC_SHA1_80' });
    expect(Buffer.from(ours.config.replace('inline:', ''), 'base64')).toEqual(
      Buffer.concat([Buffer.alloc(16, 0xaa), Buffer.alloc(14, 0x55)]),
    );
  });

  it('refuses plain RTP when SRTP is required, and SAVP without a usable key', () => {
    expect(negotiateAnswer(BARESIP_OFFER, { ...LOCAL, requireSrtp: true })).toEqual({
      ok: false,
      reason: 'srtp-required',
    });
    const badKey = offer(['m=audio 4000 RTP/SAVP 0', 'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:c2hvcnQ=']);
    expect(negotiateAnswer(badKey, LOCAL)).toEqual({ ok: false, reason: 'crypto-key-length' });
    const noKey = offer(['m=audio 4000 RTP/SAVP 0']);
    expect(negotiateAnswer(noKey, LOCAL)).toEqual({ ok: false, reason: 'no-usable-crypto' });
  });

  it('takes G.711 at a dynamic type the offer maps, and declines SRTP without a key of ours', () => {
    const n = negotiateAnswer(
      offer(['m=audio 4000 RTP/AVP 110 111', 'a=rtpmap:110 PCMA/8000', 'a=rtpmap:111 telephone-event/8000']),
      LOCAL,
    );
    expect(n.ok && n.audio.codec).toEqual({ name: 'PCMA', payloadType: 110 });
    if (n.ok) expect(n.answer).toContain('m=audio 20000 RTP/AVP 110 111\r\na=rtpmap:110 PCMA/8000\r\n');
    expect(negotiateAnswer(SAVP_OFFER, { ...LOCAL, srtpKey: undefined })).toEqual({
      ok: false,
      reason: 'srtp-unavailable',
    });
  });

  it('mirrors the direction of a hold re-INVITE, at media or session level', () => {
    const hold = negotiateAnswer(offer(['m=audio 4000 RTP/AVP 0', 'a=sendonly']), LOCAL);
    expect(hold.ok && hold.answerDirection).toBe('recvonly');
    if (hold.ok) expect(hold.answer).toContain('a=recvonly\r\n');
    const session = negotiateAnswer(offer(['m=audio 4000 RTP/AVP 0'], ['c=IN IP4 192.0.2.1', 'a=inactive']), LOCAL);
    expect(session.ok && session.answerDirection).toBe('inactive');
    const recv = negotiateAnswer(offer(['m=audio 4000 RTP/AVP 0', 'a=recvonly']), LOCAL);
    expect(recv.ok && recv.answerDirection).toBe('sendonly');
    const old = negotiateAnswer(offer(['m=audio 4000 RTP/AVP 0'], ['c=IN IP4 0.0.0.0']), LOCAL);
    expect(old.ok && old.audio.remoteAddress).toBeNull();
  });

  it('prefers the media-level connection address', () => {
    const n = negotiateAnswer(offer(['m=audio 4000 RTP/AVP 0', 'c=IN IP4 198.51.100.9']), LOCAL);
    expect(n.ok && n.audio.remoteAddress).toBe('198.51.100.9');
  });

  it('declines video and other streams in place with port 0', () => {
    const n = negotiateAnswer(
      offer(['m=video 5000 RTP/AVP 96', 'a=rtpmap:96 H264/90000', 'm=audio 4000 RTP/AVP 8', 'm=audio 4002 RTP/AVP 0']),
      LOCAL,
    );
    expect(n.ok).toBe(true);
    if (!n.ok) return;
    expect(n.answer.match(/^m=[^\r]*/gm)).toEqual([
      'm=video 0 RTP/AVP 96',
      'm=audio 20000 RTP/AVP 8',
      'm=audio 0 RTP/AVP 0',
    ]);
  });

  it('refuses an offer with nothing acceptable, naming why', () => {
    expect(negotiateAnswer(offer(['m=audio 4000 RTP/AVP 18 9', 'a=rtpmap:18 G729/8000']), LOCAL)).toEqual({
      ok: false,
      reason: 'no-common-codec',
    });
    expect(negotiateAnswer(offer(['m=video 5000 RTP/AVP 96']), LOCAL)).toEqual({ ok: false, reason: 'no-audio' });
    expect(negotiateAnswer(offer(['m=audio 0 RTP/AVP 0']), LOCAL)).toEqual({ ok: false, reason: 'disabled' });
    expect(negotiateAnswer(offer(['m=audio 4000 UDP/TLS/RTP/SAVPF 0']), LOCAL)).toEqual({
      ok: false,
      reason: 'profile',
    });
    expect(negotiateAnswer(offer(['m=audio 4000 RTP/AVP 0'], []), LOCAL)).toEqual({
      ok: false,
      reason: 'no-connection',
    });
    expect(negotiateAnswer('hello', LOCAL)).toEqual({ ok: false, reason: 'unparseable' });
  });

  it('skips a telephone-event whose events leave out the digits, and keeps only 0–15 in the answer', () => {
    const n = negotiateAnswer(
      offer([
        'm=audio 4000 RTP/AVP 0 101 102',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 16',
        'a=rtpmap:102 telephone-event/8000',
        'a=fmtp:102 0-16,32',
      ]),
      LOCAL,
    );
    expect(n.ok && n.audio.telephoneEvent?.payloadType).toBe(102);
    if (n.ok) expect(n.answer).toContain('a=fmtp:102 0-15\r\n');
  });
});
