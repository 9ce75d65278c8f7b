import { describe, expect, it } from 'vitest';
import { UmpinError } from '../domain/errors.js';
import { languageFromAcceptLanguage } from './accept-language.js';
import { errorReply } from './error-reply.js';

describe('errorReply', () => {
  it("answers with the registry's status for the code, wherever it was raised", () => {
    const status = (e: UmpinError) => errorReply(e).status;
    expect(status(new UmpinError({ code: 'UMPIN_PIN_TOO_SHORT', params: { min: 6 } }))).toBe(422);
    expect(status(new UmpinError({ code: 'UMPIN_VALUE_INVALID', field: 'Cursor', params: { rule: 'x' } }))).toBe(422);
    expect(
      status(new UmpinError({ code: 'UMPIN_REQUEST_INVALID', field: 'limit', params: { field: 'limit', rule: 'x' } })),
    ).toBe(400);
    expect(status(new UmpinError({ code: 'UMPIN_REQUEST_TOO_LARGE', params: { max: 10 } }))).toBe(413);
    expect(status(new UmpinError({ code: 'UMPIN_STORE_UNAVAILABLE' }))).toBe(503);
  });

  it('turns anything else into a 500 that says nothing of it', () => {
    const r = errorReply(new Error('password=hunter2 rejected by db'));
    expect([r.status, r.body, r.internal]).toEqual([
      500,
      { code: 'UMPIN_INTERNAL', message: 'An internal error occurred.', params: {} },
      true,
    ]);
  });

  it("never passes on JSON.parse's message, which quotes the body", () => {
    const err = Object.assign(new SyntaxError('Unexpected token } in JSON: {"pin":"1234"}'), { statusCode: 400 });
    const r = errorReply(err);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r)).not.toContain('1234');
  });

  it('words the body in the language asked for, with the same code, field and params', () => {
    const err = new UmpinError({ code: 'UMPIN_PIN_TOO_SHORT', field: 'Pin', params: { min: 6 } });
    expect(errorReply(err, { language: 'zh-TW' }).body).toEqual({
      code: 'UMPIN_PIN_TOO_SHORT',
      field: 'Pin',
      params: { min: 6 },
      message: 'PIN 碼至少須為 6 位數（UM 信箱原則的 MinPINLength）。',
    });
    expect(errorReply(err).body.message).toBe(
      'The PIN must be at least 6 digits long (MinPINLength of the UM mailbox policy).',
    );
  });
});

describe('languageFromAcceptLanguage', () => {
  it('takes Traditional Chinese for zh-TW, zh-Hant, zh-Hant-TW and zh-HK, by q-value; English otherwise', () => {
    for (const h of [
      'zh-TW',
      'zh-tw',
      'zh-Hant',
      'zh-Hant-TW',
      'zh-HK',
      'fr-FR, zh-TW;q=0.8',
      'en;q=0.5, zh-TW;q=0.9',
      'zh-CN, zh-TW;q=0.1',
    ])
      expect(languageFromAcceptLanguage(h), h).toBe('zh-TW');
    for (const h of [
      undefined,
      '',
      'en-US',
      'fr-FR',
      'zh-CN',
      'zh',
      'zh-TW;q=0',
      'zh-TW;q=0.4, en;q=0.5',
      '*',
      'en, zh-TW',
    ])
      expect(languageFromAcceptLanguage(h), String(h)).toBe('en');
  });
});
