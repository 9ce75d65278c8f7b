/**
 * PINDelivery Link: the four PIN mails, in both languages, carry a one-time link and when it
 * expires instead of the PIN, in every part of the message.
 */
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { PIN_KINDS } from './messages/catalogue.js';
import { MAIL_LANGUAGES, renderMessage, type RenderInput } from './render-message.js';

const PIN = '480917';
const LINK = 'https://voicemail.contoso.com/me/pin/q3K9x_Zb-0aVwYp1LmN2oR4sT6uV8wX0yZ1aB2cD3eF';

function input(kind: RenderInput['kind'], language: string): RenderInput {
  return {
    id: '6f1c2f1e-8a8b-4b61-9d53-0b7d2f7c1a11',
    kind,
    to: 'ada@contoso.com',
    language,
    from: 'Contoso Voice Mail <voicemail@contoso.com>',
    organizationName: 'Contoso',
    messageIdDomain: 'contoso.com',
    createdAt: Date.UTC(2025, 2, 10, 9, 0),
    timeZone: 'Asia/Taipei',
    payload: {
      // a payload that had both would still show the link only
      pin: PIN,
      pinLink: LINK,
      pinLinkExpiresAt: Date.UTC(2025, 2, 11, 9, 0),
      displayName: 'Ada Lovelace',
      primarySmtpAddress: 'ada@contoso.com',
      extensions: ['24680'],
      dialPlanName: 'HQ',
      voiceAccessNumbers: ['+1 425 555 0100'],
      policyText: null,
      pinExpired: true,
      failedAttempts: 5,
    },
  };
}

describe('PIN mails with PINDelivery Link', () => {
  for (const language of ['en-US', 'zh-TW']) {
    it.each(PIN_KINDS)(`%s in ${language}: the link and its end, never the PIN`, async (kind) => {
      const r = await renderMessage(input(kind, language));
      const m = await simpleParser(r.raw);
      const text = m.text ?? '';
      const html = String(m.html);
      for (const part of [text, html, m.subject ?? '']) expect(part).not.toContain(PIN);
      expect(r.raw.toString('latin1')).not.toContain(PIN);
      expect(text).toContain(LINK);
      expect(html).toContain(`href="${LINK}"`);
      // 2025-03-11 09:00 UTC is 17:00 in Taipei, written the language's way
      if (language === 'en-US') {
        expect(text).toContain('shows the PIN once, until Tuesday, March 11, 2025 at 5:00');
        expect(html).toContain('Show my PIN');
      } else {
        expect(text).toMatch(/只能顯示密碼一次，有效期限至 ?2025年3月11日/);
        expect(html).toContain('顯示我的密碼');
      }
    });
  }

  it('a link that is not an http(s) address is refused, not sent', async () => {
    const bad = input('pin-reset', 'en-US');
    bad.payload.pinLink = 'javascript:alert(1)';
    await expect(renderMessage(bad)).rejects.toThrow(/bad link/);
  });

  it('MAIL_LANGUAGES are the two the tests above cover', () => {
    expect([...MAIL_LANGUAGES]).toEqual(['en', 'zh-TW']);
  });
});
