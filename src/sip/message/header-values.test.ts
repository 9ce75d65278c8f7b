import { describe, expect, it } from 'vitest';
import { parseCSeq } from './cseq.js';
import { parseNameAddr, serializeNameAddr, tagOf } from './name-addr.js';
import { getParameter } from './parameters.js';
import { parseSipUri, serializeSipUri } from './sip-uri.js';
import { branchOf, hasMagicCookie, parseVia, serializeVia } from './via.js';

describe('SIP URIs', () => {
  it('reads user, password, host, port, parameters and headers', () => {
    const u = parseSipUri('sips:alice:secret@[2001:db8::1]:5061;transport=tls;lr?subject=hi&priority=urgent');
    expect(u).toMatchObject({ scheme: 'sips', user: 'alice', password: 'secret', host: '[2001:db8::1]', port: 5061 });
    expect(getParameter(u!.params, 'TRANSPORT')).toBe('tls');
    expect(getParameter(u!.params, 'lr')).toBeNull();
    expect(u!.headers).toBe('subject=hi&priority=urgent');
    expect(serializeSipUri(u!)).toBe(
      'sips:alice:secret@[2001:db8::1]:5061;transport=tls;lr?subject=hi&priority=urgent',
    );
  });

  it("takes linphonec's Contact URI without a user part and a telephone-number user", () => {
    expect(parseSipUri('sip:127.0.0.1:5062;transport=udp')).toMatchObject({
      user: null,
      host: '127.0.0.1',
      port: 5062,
    });
    expect(parseSipUri('SIP:+15551234;phone-context=example.com@gw.example.com;user=phone')).toMatchObject({
      scheme: 'sip',
      user: '+15551234;phone-context=example.com',
      host: 'gw.example.com',
    });
  });

  it('refuses what is not a SIP URI', () => {
    for (const bad of [
      'tel:+1555',
      'sip:',
      'sip:a@',
      'sip:a@b:99999',
      'sip:a@b c',
      'sip:a@-x',
      'sip:a@b;=x',
      'sip:a b@c',
    ]) {
      expect(parseSipUri(bad), bad).toBeNull();
    }
  });
});

describe('name-addr and addr-spec', () => {
  it('reads a quoted display name with escapes, the URI and the tag', () => {
    const a = parseNameAddr('"Health \\"probe\\"" <sip:probe@127.0.0.1>;tag=p1');
    expect(a).toMatchObject({ displayName: '"Health \\"probe\\""', uri: 'sip:probe@127.0.0.1', angle: true });
    expect(tagOf(a!)).toBe('p1');
  });

  it('gives the parameters of a bare addr-spec to the header, not to the URI', () => {
    const a = parseNameAddr('sip:sipp@127.0.1.1:5061;tag=4242SIPpTag001');
    expect(a!.uri).toBe('sip:sipp@127.0.1.1:5061');
    expect(tagOf(a!)).toBe('4242SIPpTag001');
    expect(serializeNameAddr(a!)).toBe('sip:sipp@127.0.1.1:5061;tag=4242SIPpTag001');
  });

  it('keeps a token display name and a tel: URI', () => {
    expect(parseNameAddr('sipp <sip:sipp@127.0.1.1:5061>')).toMatchObject({
      displayName: 'sipp',
      sip: { user: 'sipp' },
    });
    expect(parseNameAddr('<tel:+15551234>')).toMatchObject({ uri: 'tel:+15551234', sip: null });
    // RFC 3261 wants tokens, but PBXs send UTF-8 names unquoted
    expect(parseNameAddr('張 三 <sip:1001@pbx.example.com>')).toMatchObject({ displayName: '張 三' });
  });

  it('refuses an unclosed bracket, a display name without brackets, a broken SIP URI', () => {
    for (const bad of ['<sip:a@b', '"x" sip:a@b', 'sip:a@b?x=y', '<sip:a@b c>', 'Alice, Bob <sip:a@b>', '<sip:@>']) {
      expect(parseNameAddr(bad), bad).toBeNull();
    }
  });
});

describe('Via', () => {
  it('reads protocol, transport, sent-by and the branch, received and rport parameters', () => {
    const v = parseVia('SIP / 2.0 / udp 127.0.0.1:35060;branch=z9hG4bK3c1a;rport;received=10.0.0.1');
    expect(v).toMatchObject({ transport: 'UDP', host: '127.0.0.1', port: 35060 });
    expect(branchOf(v!)).toBe('z9hG4bK3c1a');
    expect(hasMagicCookie(branchOf(v!))).toBe(true);
    expect(getParameter(v!.params, 'rport')).toBeNull();
    expect(serializeVia(v!)).toBe('SIP/2.0/UDP 127.0.0.1:35060;branch=z9hG4bK3c1a;rport;received=10.0.0.1');
    expect(parseVia('SIP/2.0/TCP [::1]:5060;rport=5060')).toMatchObject({ host: '[::1]', port: 5060 });
  });

  it('refuses a malformed Via', () => {
    for (const bad of [
      'SIP/2.0 127.0.0.1',
      'SIP/2.0/UDP',
      'SIP/3.0/UDP host',
      'SIP/2.0/UDP host:port',
      'SIP/2.0/UDP host;branch=',
      'SIP/2.0/UDP host;rport=x',
      'SIP/2.0/UDP bad_host;branch=z9hG4bK1',
    ]) {
      expect(parseVia(bad), bad).toBeNull();
    }
  });
});

describe('CSeq', () => {
  it('reads the number and method, below 2^31', () => {
    expect(parseCSeq('29871 INVITE')).toEqual({ seq: 29871, method: 'INVITE' });
    expect(parseCSeq('2147483648 INVITE')).toBeNull();
    expect(parseCSeq('1INVITE')).toBeNull();
    expect(parseCSeq('-1 BYE')).toBeNull();
  });
});
