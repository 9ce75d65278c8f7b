import { describe, expect, it } from 'vitest';
import { renderError, UmpinError } from './errors.js';
import { checkDialPlan } from './dial-plan.js';
import { checkVoiceMailUri, VOICE_MAIL_URI_MAX_LENGTH, voiceMailTarget } from './voice-mail-uri.js';

const ruleOf = (value: unknown): string | null => {
  const [issue] = checkVoiceMailUri(value);
  return issue ? (issue.params as { rule: string }).rule : null;
};

describe('VoiceMailUri', () => {
  it('takes SIP and SIPS URIs of a PBX’s voice mail with {extension} in the user part', () => {
    for (const ok of [
      'sip:{extension}@pbx.contoso.com',
      'sip:*97{extension}@10.0.0.5:5060',
      'SIPS:{extension}@voicemail.contoso.com:5061;transport=tls',
      'sip:vm-{extension}@[2001:db8::5]',
      'sip:{extension}@pbx.contoso.com;user=phone;transport=udp',
    ])
      expect(checkVoiceMailUri(ok), ok).toEqual([]);
    expect(checkVoiceMailUri(null)).toEqual([]);
  });

  it('names the rule a bad value breaks, on the VoiceMailUri field', () => {
    expect(ruleOf('tel:+1425{extension}')).toBe('scheme');
    expect(ruleOf('http://pbx/{extension}')).toBe('scheme');
    expect(ruleOf('sip:voicemail@pbx.contoso.com')).toBe('placeholder');
    expect(ruleOf('sip:{extension}{extension}@pbx')).toBe('placeholder');
    expect(ruleOf('sip:vm@pbx.contoso.com;mailbox={extension}')).toBe('placeholder');
    expect(ruleOf('sip:{extension}@pbx;pin={pin}')).toBe('placeholder');
    expect(ruleOf('sip:{Extension}@pbx')).toBe('placeholder');
    expect(ruleOf('sip:{extension}')).toBe('placeholder');
    expect(ruleOf('sip:{extension}@pbx.contoso.com?Subject=x')).toBe('syntax');
    expect(ruleOf('sip:{extension}@pbx contoso.com')).toBe('syntax');
    expect(ruleOf('sip:{extension}:secret@pbx.contoso.com')).toBe('syntax');
    expect(ruleOf('sip:{extension}@pbx.contoso.com:99999')).toBe('syntax');
    expect(ruleOf('sip:{extension}@<pbx>')).toBe('syntax');
    expect(ruleOf('sip:{extension}@pbx.contoso.com\r\nX-Evil: 1')).toBe('syntax');
    expect(ruleOf(' sip:{extension}@pbx.contoso.com')).toBe('scheme');
    expect(ruleOf(42)).toBe('syntax');
    expect(ruleOf(`sip:{extension}@${'a'.repeat(VOICE_MAIL_URI_MAX_LENGTH)}.com`)).toBe('length');
    const [issue] = checkVoiceMailUri('sip:voicemail@pbx');
    expect(issue).toMatchObject({ code: 'UMPIN_VOICE_MAIL_URI_INVALID', field: 'VoiceMailUri' });
  });

  it('is said in English and Mandarin with the field and the rule', () => {
    const err = new UmpinError(checkVoiceMailUri('sip:voicemail@pbx')[0]!);
    expect(renderError(err, 'en')).toContain('VoiceMailUri is not valid: it must contain {extension} exactly once');
    expect(renderError(err, 'zh-TW')).toContain('VoiceMailUri 無效：必須在 @ 之前剛好包含一次 {extension}');
  });

  it('is checked with the dial plan’s other settings', () => {
    const plan = {
      name: 'Contoso',
      numberOfDigitsInExtension: 5,
      countryOrRegionCode: '1',
      logonFailuresBeforeDisconnect: 3,
      defaultLanguage: 'en-US',
      voiceAccessNumbers: [],
    };
    expect(checkDialPlan({ ...plan, voiceMailUri: 'sip:{extension}@pbx' })).toEqual([]);
    expect(checkDialPlan({ ...plan, voiceMailUri: 'sip:pbx' }).map((i) => i.field)).toEqual(['VoiceMailUri']);
  });

  it('fills in the extension, and nothing but digits', () => {
    expect(voiceMailTarget('sip:*97{extension}@10.0.0.5:5060', '10231')).toBe('sip:*9710231@10.0.0.5:5060');
    expect(() => voiceMailTarget('sip:{extension}@pbx', '1@evil')).toThrow();
    expect(() => voiceMailTarget('sip:{extension}@pbx', '')).toThrow();
  });
});
