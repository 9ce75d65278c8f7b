import { parse } from 'sdp-transform';
import { describe, expect, it } from 'vitest';
import { sdp } from '../../../test/sip-peer-messages.js';
import { formatSdesCrypto } from './sdes-crypto.js';
import { negotiateAnswer } from './negotiate-answer.js';
import { readAnswer, writeOffer } from './delayed-offer.js';

const KEY = { key: Buffer.alloc(16, 0xaa), salt: Buffer.alloc(14, 0x55) };
const PLAIN = { address: '127.0.0.1', port: 20000, sessionId: '42', sessionVersion: 1 };

function answer(media: readonly string[], c = 'c=IN IP4 192.0.2.7'): string {
  return sdp(['v=0', 'o=- 7 1 IN IP4 192.0.2.7', 's=-', c, 't=0 0', ...media]);
}

describe('our offer, for an INVITE that came without one', () => {
  it('offers PCMU, PCMA and telephone-event 0-15 at 101, 20 ms frames, sendrecv', () => {
    expect(writeOffer(PLAIN)).toBe(
      sdp([
        'v=0',
        'o=umpin 42 1 IN IP4 127.0.0.1',
        's=umpin',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        'm=audio 20000 RTP/AVP 0 8 101',
        'a=rtpmap:0 PCMU/8000',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        'a=fmtp:101 0-15',
        'a=ptime:20',
        'a=sendrecv',
      ]),
    );
  });

  it('offers RTP/SAVP with one AES_CM_128_HMAC_SHA1_80 key when given one, and IP6 for an IPv6 address', () => {
    const text = writeOffer({ ...PLAIN, address: '::1', srtpKey: KEY });
    const s = parse(text);
    expect(s.origin?.ipVer).toBe(6);
    expect(s.media[0]?.protocol).toBe('RTP/SAVP');
    expect(s.media[0]?.crypto).toEqual([expect.objectContaining({ id: 1, suite: 'AES_CM_128_HMAC_SHA1_80' })]);
  });

  it('is an offer our own answerer takes as it is (the round trip a peer makes)', () => {
    const n = negotiateAnswer(writeOffer({ ...PLAIN, srtpKey: KEY }), { ...PLAIN, requireSrtp: true, srtpKey: KEY });
    expect(n.ok && n.audio.profile).toBe('RTP/SAVP');
    expect(n.ok && n.audio.telephoneEvent?.payloadType).toBe(101);
  });
});

describe("reading the caller's answer from the ACK", () => {
  it('takes PCMA and the telephone-event type the answer names, with its address and port', () => {
    const r = readAnswer(
      answer(['m=audio 6000 RTP/AVP 8 96', 'a=rtpmap:8 PCMA/8000', 'a=rtpmap:96 telephone-event/8000']),
      false,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.audio).toMatchObject({
      codec: { name: 'PCMA', payloadType: 8 },
      remoteAddress: '192.0.2.7',
      remotePort: 6000,
    });
    expect(r.audio.telephoneEvent?.payloadType).toBe(96);
  });

  it("takes the caller's SRTP key on an RTP/SAVP answer", () => {
    const crypto = `a=crypto:${formatSdesCrypto(1, Buffer.alloc(16, 1), Buffer.alloc(14, 2))}`;
    const r = readAnswer(answer(['m=audio 6000 RTP/SAVP 0', crypto]), true);
    expect(r.ok && r.audio.crypto?.key).toEqual(Buffer.alloc(16, 1));
  });

  it.each([
    ['an empty ACK', '', false, 'no-answer'],
    ['text that is not SDP', 'hello\r\n', false, 'unparseable'],
    ['a refused stream (port 0)', answer(['m=audio 0 RTP/AVP 0']), false, 'rejected'],
    ['two m-lines for our one', answer(['m=audio 6000 RTP/AVP 0', 'm=audio 6002 RTP/AVP 0']), false, 'not-our-offer'],
    ['plain RTP to our SRTP offer', answer(['m=audio 6000 RTP/AVP 0']), true, 'not-our-offer'],
    [
      'SRTP to our plain offer',
      answer([
        'm=audio 6000 RTP/SAVP 0',
        'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw',
      ]),
      false,
      'not-our-offer',
    ],
    [
      'a codec we did not offer',
      answer(['m=audio 6000 RTP/AVP 18', 'a=rtpmap:18 G729/8000']),
      false,
      'no-common-codec',
    ],
    [
      'G.711 moved to a dynamic type',
      answer(['m=audio 6000 RTP/AVP 100', 'a=rtpmap:100 PCMU/8000']),
      false,
      'not-our-offer',
    ],
    ['no connection address', answer(['m=audio 6000 RTP/AVP 0'], 'b=AS:64'), false, 'no-connection'],
  ])('refuses %s', (_, text, secure, reason) => {
    expect(readAnswer(text, secure)).toEqual({ ok: false, reason });
  });
});
