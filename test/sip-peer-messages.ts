/**
 * SIP messages shaped as the test peers send them (sipp's uac scenario, baresip 1.0.0,
 * linphonec 5.1.65 — see the telephony peers reference), written by hand for parser tests
 * and as seeds for the fuzzers. `message()` joins lines with CRLF and fills in the
 * Content-Length of the body.
 */
export function message(
  head: readonly string[],
  body = '',
  contentLength: number | null = Buffer.byteLength(body),
): string {
  const lines = contentLength === null ? head : [...head, `Content-Length: ${contentLength}`];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

export function sdp(lines: readonly string[]): string {
  return `${lines.join('\r\n')}\r\n`;
}

export const SIPP_OFFER = sdp([
  'v=0',
  'o=user1 53655765 2353687637 IN IP4 127.0.1.1',
  's=-',
  'c=IN IP4 127.0.1.1',
  't=0 0',
  'm=audio 6000 RTP/AVP 0 96',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:96 telephone-event/8000',
  'a=fmtp:96 0-16',
]);

export const SIPP_INVITE = message(
  [
    'INVITE sip:7000@127.0.0.1:5060 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.1.1:5061;branch=z9hG4bK-4242-1-0',
    'From: sipp <sip:sipp@127.0.1.1:5061>;tag=4242SIPpTag001',
    'To: 7000 <sip:7000@127.0.0.1:5060>',
    'Call-ID: 1-4242@127.0.1.1',
    'CSeq: 1 INVITE',
    'Contact: sip:sipp@127.0.1.1:5061',
    'Max-Forwards: 70',
    'Subject: Performance Test',
    'Content-Type: application/sdp',
  ],
  SIPP_OFFER,
);

export const BARESIP_OFFER = sdp([
  'v=0',
  'o=- 1802935616 2011414131 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 10000 RTP/AVP 0 101',
  'b=AS:87',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=ptime:20',
  'a=sendrecv',
  'a=rtcp-rsize',
]);

export const BARESIP_INVITE = message(
  [
    'INVITE sip:7000@127.0.0.1:5060 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:35060;branch=z9hG4bK3c1a0e4f5b6a7c8d;rport',
    'Contact: <sip:tester-0x55d0c3a2e6f0@127.0.0.1:35060>',
    'Max-Forwards: 70',
    'To: <sip:7000@127.0.0.1:5060>',
    'From: <sip:tester@127.0.0.1>;tag=8a9b0c1d2e3f4a5b',
    'Call-ID: 2f3e4d5c6b7a8990',
    'CSeq: 29871 INVITE',
    'User-Agent: baresip v1.0.0 (x86_64/linux)',
    'Allow: INVITE,ACK,BYE,CANCEL,OPTIONS,NOTIFY,SUBSCRIBE,INFO,MESSAGE,UPDATE,REFER',
    'Supported:',
    'Content-Type: application/sdp',
  ],
  BARESIP_OFFER,
);

/** baresip with mediaenc=srtp-mand: RTP/SAVP and SDES keys (one suite we take, one we do not). */
export const SAVP_OFFER = sdp([
  'v=0',
  'o=- 1802935617 2011414132 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 10002 RTP/SAVP 8 101',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=ptime:20',
  'a=sendrecv',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4',
  'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd|2^31',
]);

export const LINPHONE_OFFER = sdp([
  'v=0',
  'o=linphone 1234 5678 IN IP4 127.0.0.1',
  's=Talk',
  't=0 0',
  'a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics',
  'm=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100',
  'c=IN IP4 127.0.0.1',
  'a=rtpmap:96 opus/48000/2',
  'a=fmtp:96 useinbandfec=1',
  'a=rtpmap:97 speex/16000',
  'a=fmtp:97 vbr=on',
  'a=rtpmap:98 speex/8000',
  'a=fmtp:98 vbr=on',
  'a=fmtp:18 annexb=yes',
  'a=rtpmap:101 telephone-event/48000',
  'a=rtpmap:99 telephone-event/16000',
  'a=rtpmap:100 telephone-event/8000',
  'a=rtcp-fb:* trr-int 1000',
  'a=rtcp-fb:* ccm tmmbr',
]);

export const LINPHONE_INVITE = message(
  [
    'INVITE sip:7000@127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK.XyZ12abc;rport',
    'From: <sip:linphone@127.0.0.1>;tag=Ab3dE~fG',
    'To: sip:7000@127.0.0.1',
    'CSeq: 20 INVITE',
    'Call-ID: 8Zq~9Lk2Pq',
    'Max-Forwards: 70',
    'Supported: replaces, outbound, gruu, path, record-aware',
    'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, SUBSCRIBE, INFO, PRACK, UPDATE',
    'Content-Type: application/sdp',
    'Contact: <sip:127.0.0.1:5062;transport=udp>;+org.linphone.specs="ephemeral/1.1,groupchat/1.1,lime"',
    'User-Agent: Linphone-Desktop/5.1.65 (Debian) LinphoneSDK/5.1.65',
  ],
  LINPHONE_OFFER,
);

export const SIPP_ACK = message([
  'ACK sip:7000@127.0.0.1:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.1.1:5061;branch=z9hG4bK-4242-1-5',
  'From: sipp <sip:sipp@127.0.1.1:5061>;tag=4242SIPpTag001',
  'To: 7000 <sip:7000@127.0.0.1:5060>;tag=umpin-1',
  'Call-ID: 1-4242@127.0.1.1',
  'CSeq: 1 ACK',
  'Contact: sip:sipp@127.0.1.1:5061',
  'Max-Forwards: 70',
  'Subject: Performance Test',
]);

export const SIPP_BYE = message([
  'BYE sip:7000@127.0.0.1:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.1.1:5061;branch=z9hG4bK-4242-1-7',
  'From: sipp <sip:sipp@127.0.1.1:5061>;tag=4242SIPpTag001',
  'To: 7000 <sip:7000@127.0.0.1:5060>;tag=umpin-1',
  'Call-ID: 1-4242@127.0.1.1',
  'CSeq: 2 BYE',
  'Contact: sip:sipp@127.0.1.1:5061',
  'Max-Forwards: 70',
]);

export const BARESIP_CANCEL = message([
  'CANCEL sip:7000@127.0.0.1:5060 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:35060;branch=z9hG4bK3c1a0e4f5b6a7c8d;rport',
  'Max-Forwards: 70',
  'To: <sip:7000@127.0.0.1:5060>',
  'From: <sip:tester@127.0.0.1>;tag=8a9b0c1d2e3f4a5b',
  'Call-ID: 2f3e4d5c6b7a8990',
  'CSeq: 29871 CANCEL',
  'User-Agent: baresip v1.0.0 (x86_64/linux)',
]);

/** A PBX's health check, in compact forms, over TCP. */
export const OPTIONS_COMPACT = message([
  'OPTIONS sip:umpin@127.0.0.1:5060;transport=tcp SIP/2.0',
  'v: SIP/2.0/TCP 127.0.0.1:49152;branch=z9hG4bK-opt-1',
  'f: "Health \\"probe\\"" <sip:probe@127.0.0.1>;tag=p1',
  't: <sip:umpin@127.0.0.1>',
  'i: opt-1@127.0.0.1',
  'CSeq: 7 OPTIONS',
  'Max-Forwards: 70',
  'Accept: application/sdp',
]);

export const OK_RESPONSE = message([
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-out-1;received=127.0.0.1;rport=5060',
  'From: <sip:umpin@127.0.0.1>;tag=u1',
  'To: <sip:voicemail@127.0.0.1>;tag=vm1',
  'Call-ID: out-1@127.0.0.1',
  'CSeq: 1 REFER',
]);

export const PEER_MESSAGES = [
  SIPP_INVITE,
  BARESIP_INVITE,
  LINPHONE_INVITE,
  SIPP_ACK,
  SIPP_BYE,
  BARESIP_CANCEL,
  OPTIONS_COMPACT,
  OK_RESPONSE,
] as const;

export const PEER_OFFERS = [SIPP_OFFER, BARESIP_OFFER, SAVP_OFFER, LINPHONE_OFFER] as const;
