import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { OUTBOX_KINDS, type OutboxKind } from '../domain/outbox-message.js';
import MailComposer from 'nodemailer/lib/mail-composer';
import { isPinKind, PIN_KINDS } from './messages/catalogue.js';
import {
  encodedPart,
  MAIL_LANGUAGES,
  messageIdFor,
  pickLanguage,
  renderMessage,
  serialiseMultipart,
  type RenderInput,
} from './render-message.js';

// every kind the outbox knows: a kind added to the store is rendered in every language below
const KINDS: readonly OutboxKind[] = OUTBOX_KINDS;
const NO_PIN_KINDS: readonly OutboxKind[] = OUTBOX_KINDS.filter((k) => !isPinKind(k));
const CODE = 'BCDF-GHJK';

const PIN = '480917';
const EXT = '24680';
const ACCESS = '+1 425 555 0100';
const CREATED = Date.UTC(2025, 2, 10, 9, 0);
const CJK = /[\u4e00-\u9fff]/;

function input(over: Partial<RenderInput> = {}, payload: Partial<RenderInput['payload']> = {}): RenderInput {
  return {
    id: '6f1c2f1e-8a8b-4b61-9d53-0b7d2f7c1a11',
    kind: 'welcome',
    to: 'ada@contoso.com',
    language: 'en-US',
    from: 'Contoso Voice Mail <voicemail@contoso.com>',
    organizationName: 'Contoso',
    messageIdDomain: 'contoso.com',
    createdAt: CREATED,
    timeZone: 'Asia/Taipei',
    ...over,
    payload: {
      pin: PIN,
      displayName: 'Ada Lovelace',
      primarySmtpAddress: 'ada@contoso.com',
      extensions: [EXT],
      dialPlanName: 'HQ',
      voiceAccessNumbers: [ACCESS],
      policyText: 'Questions? Call the help desk at extension 4357.',
      pinExpired: true,
      failedAttempts: 5,
      lockedUntil: null,
      expiresAt: Date.UTC(2025, 2, 14, 3, 0),
      code: CODE,
      validMinutes: 15,
      ...payload,
    },
  };
}

async function parsed(i: RenderInput): Promise<ParsedMail> {
  const r = await renderMessage(i);
  return simpleParser(r.raw);
}

function html(m: ParsedMail): string {
  expect(typeof m.html).toBe('string');
  return m.html as string;
}

function header(m: ParsedMail, name: string): string {
  const v = m.headers.get(name);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

describe('renderMessage: what the user sees', () => {
  it.each(PIN_KINDS)('%s: subject, text and HTML carry the PIN, extension and access number', async (kind) => {
    const m = await parsed(input({ kind }));
    expect(m.subject).toBeTruthy();
    // the PIN never goes in the subject: subjects show on lock screens and in notifications
    expect(m.subject).not.toContain(PIN);
    for (const part of [m.text ?? '', html(m)]) {
      expect(part).toContain(PIN);
      expect(part).toContain(EXT);
      expect(part).toContain(ACCESS);
    }
  });

  it('welcome: greets by name, says the PIN must be changed at first call, ends with UMEnabledText', async () => {
    const m = await parsed(input({ kind: 'welcome' }, { policyText: 'Welcome aboard. Help: x4357' }));
    expect(m.subject).toBe('Welcome to Contoso voice mail');
    const text = m.text ?? '';
    expect(text).toMatch(/^Hello Ada Lovelace,/);
    expect(text).toContain('first time you call');
    expect(text.indexOf('Welcome aboard. Help: x4357')).toBeGreaterThan(text.indexOf(PIN));
    const noChange = await parsed(input({ kind: 'welcome' }, { pinExpired: false }));
    expect(noChange.text).not.toContain('first time you call');
  });

  it('auto-reset: says how many wrong PINs and what to do if it was not the user', async () => {
    const m = await parsed(input({ kind: 'auto-reset' }, { failedAttempts: 10 }));
    expect(m.text).toContain('10 wrong PINs');
    expect(m.text).toContain('help desk');
    const zh = await parsed(input({ kind: 'auto-reset', language: 'zh-TW' }, { failedAttempts: 10 }));
    expect(zh.text).toContain('連續 10 次');
  });

  it('lockout: until an administrator unlocks, or until a time in the user language and zone', async () => {
    const forever = await parsed(input({ kind: 'lockout' }, { failedAttempts: 15, lockedUntil: null }));
    expect(forever.text).toContain('15 wrong PINs');
    expect(forever.text).toContain('until an administrator unlocks it');
    const until = Date.UTC(2025, 2, 10, 10, 0); // 18:00 in Taipei
    const timed = await parsed(input({ kind: 'lockout' }, { lockedUntil: until }));
    expect(timed.text).toContain('Monday, March 10, 2025 at 6:00 PM');
    const zh = await parsed(input({ kind: 'lockout', language: 'zh-TW' }, { lockedUntil: until }));
    expect(zh.text).toContain('2025年3月10日');
    expect(zh.text).toContain('下午6:00');
  });

  it('expiry-reminder: days left and the date, counted in calendar days of the zone', async () => {
    const m = await parsed(input({ kind: 'expiry-reminder' }));
    expect(m.subject).toBe('Your voice mail PIN expires in 4 days');
    expect(m.text).toContain('Friday, March 14, 2025');
    const given = await parsed(input({ kind: 'expiry-reminder', language: 'zh-TW' }, { daysLeft: 1 }));
    expect(given.subject).toBe('您的語音信箱密碼明天到期');
  });

  it.each(NO_PIN_KINDS)('%s never shows a PIN, even when the payload carries one', async (kind) => {
    for (const language of MAIL_LANGUAGES) {
      const r = await renderMessage(input({ kind, language }, { pin: '97531' }));
      const m = await simpleParser(r.raw);
      for (const s of [r.subject, r.text, r.html, r.raw.toString('latin1'), m.text ?? '', html(m)])
        expect(s).not.toContain('97531');
    }
  });

  it('sign-in-code: the code (never in the subject), what it is for, how long it lasts, and what to do if it was not asked for', async () => {
    const expiresAt = Date.UTC(2025, 2, 10, 10, 15); // 18:15 in Taipei
    const m = await parsed(input({ kind: 'sign-in-code' }, { expiresAt }));
    expect(m.subject).toBe('Your voice mail sign-in code');
    expect(m.subject).not.toContain('BCDF');
    const text = m.text ?? '';
    for (const part of [text, html(m)]) {
      expect(part).toContain(CODE);
      expect(part).not.toContain(PIN);
    }
    expect(text).toContain('self-service page');
    expect(text).toContain('works once, for 15 minutes: until Monday, March 10, 2025 at 6:15 PM Taiwan Standard Time');
    expect(text).toContain('If you did not ask for this code, you can ignore this message');
    expect(text).toContain('ada@contoso.com');
    // the policy's reset text belongs to PIN mails
    expect(text).not.toContain('Questions? Call the help desk');

    const zh = await parsed(input({ kind: 'sign-in-code', language: 'zh-TW' }, { expiresAt }));
    expect(zh.subject).toBe('您的語音信箱登入驗證碼');
    expect(zh.text).toContain(CODE);
    expect(zh.text).toContain('只能使用一次，有效時間為 15 分鐘，將於 2025年3月10日');
    expect(zh.text).toContain('如果您並未申請登入，請忽略這封郵件');

    const unknown = await parsed(input({ kind: 'sign-in-code' }, { expiresAt: undefined, validMinutes: undefined }));
    expect(unknown.text).toContain('The code works once, for a short time.');
    await expect(renderMessage(input({ kind: 'sign-in-code' }, { code: undefined }))).rejects.toThrow(/without a code/);
  });

  it('a PIN kind queued without a PIN is refused, not sent empty', async () => {
    await expect(renderMessage(input({ kind: 'pin-reset' }, { pin: undefined }))).rejects.toThrow(/without a PIN/);
  });
});

describe('renderMessage: every kind in every language', () => {
  for (const language of MAIL_LANGUAGES) {
    it.each(KINDS)(`%s in ${language}`, async (kind) => {
      const r = await renderMessage(input({ kind, language }));
      expect(r.language).toBe(language);
      const m = await simpleParser(r.raw);
      const parts = [m.subject ?? '', m.text ?? '', html(m)];
      for (const s of parts) {
        expect(s.trim()).not.toBe('');
        if (language === 'zh-TW') expect(s).toMatch(CJK);
        else expect(s).not.toMatch(CJK);
      }
      expect(m.subject).toBe(r.subject);
      expect(header(m, 'content-language')).toBe(language);
      expect(html(m)).toContain(`lang="${language}"`);
    });
  }
});

describe('renderMessage: headers', () => {
  it('Auto-Submitted, X-Auto-Response-Suppress, Content-Language, Date, From, To', async () => {
    const m = await parsed(input({ kind: 'pin-reset', language: 'zh-Hant-TW' }));
    expect(header(m, 'auto-submitted')).toBe('auto-generated');
    expect(header(m, 'x-auto-response-suppress')).toBe('All');
    expect(header(m, 'content-language')).toBe('zh-TW');
    expect(m.date?.getTime()).toBe(CREATED);
    expect(m.from?.value[0]?.address).toBe('voicemail@contoso.com');
    expect(m.from?.value[0]?.name).toBe('Contoso Voice Mail');
    const to = Array.isArray(m.to) ? m.to[0] : m.to;
    expect(to?.value[0]?.address).toBe('ada@contoso.com');
  });

  it('a Chinese subject survives the round trip through the MIME encoding', async () => {
    const r = await renderMessage(input({ kind: 'welcome', language: 'zh-TW' }));
    expect(r.subject).toBe('歡迎使用 Contoso 語音信箱');
    expect(r.raw.toString('latin1')).toMatch(/^Subject: =\?UTF-8\?/m); // encoded, not raw 8-bit
    const m = await simpleParser(r.raw);
    expect(m.subject).toBe('歡迎使用 Contoso 語音信箱');
    expect(m.text).toContain('語音信箱');
  });

  it('the Message-ID is stable for a row and differs between rows; the whole message is reproducible', async () => {
    const a1 = await renderMessage(input());
    const a2 = await renderMessage(input());
    const b = await renderMessage(input({ id: '0b2f4c1e-2222-4b61-9d53-0b7d2f7c1a11' }));
    expect(a1.messageId).toBe('<6f1c2f1e-8a8b-4b61-9d53-0b7d2f7c1a11@contoso.com>');
    expect(a2.messageId).toBe(a1.messageId);
    expect(b.messageId).not.toBe(a1.messageId);
    expect(a2.raw.equals(a1.raw)).toBe(true);
    expect((await simpleParser(a1.raw)).messageId).toBe(a1.messageId);
    expect((await simpleParser(b.raw)).messageId).toBe(b.messageId);
  });

  it('messageIdFor refuses values that would break the header', () => {
    expect(messageIdFor('abc-1', 'Contoso.COM')).toBe('<abc-1@contoso.com>');
    expect(() => messageIdFor('a b', 'contoso.com')).toThrow();
    expect(() => messageIdFor('abc', 'contoso.com>\r\nBcc: x@y')).toThrow();
  });

  it('uses CRLF line ends only', async () => {
    for (const kind of KINDS) {
      for (const language of MAIL_LANGUAGES) {
        const r = await renderMessage(input({ kind, language }, { policyText: 'line one\nline two\r\nline three' }));
        expect(/(^|[^\r])\n/.test(r.raw.toString('latin1'))).toBe(false);
      }
    }
  });

  it('serialises the composed message exactly as MailComposer builds it', async () => {
    const options = (parts: readonly string[], language: string) => ({
      from: 'Contoso Voice Mail <voicemail@contoso.com>',
      to: 'Ada <ada@contoso.com>',
      subject: language === 'en' ? 'Your new PIN' : '您的新 PIN',
      date: new Date(CREATED),
      messageId: '<m@contoso.com>',
      text: { raw: parts[0] },
      html: { raw: parts[1] },
      headers: { 'Content-Language': language, 'Auto-Submitted': 'auto-generated' },
      textEncoding: 'B' as const,
      baseBoundary: '0123abcd',
    });
    for (const kind of KINDS) {
      for (const language of MAIL_LANGUAGES) {
        const r = await renderMessage(input({ kind, language }));
        const parts = [encodedPart('text/plain', r.text), encodedPart('text/html', r.html)];
        const built = await new MailComposer(options(parts, language)).compile().build();
        const serialised = serialiseMultipart(new MailComposer(options(parts, language)).compile(), parts);
        expect(serialised.toString('latin1')).toBe(built.toString('latin1'));
      }
    }
    expect(() => serialiseMultipart(new MailComposer({ text: 'only text' }).compile(), ['x', 'y'])).toThrow();
  });

  it('hands MailComposer the parts encoded exactly as its own encoder would', async () => {
    const compose = (text: object, html: object) =>
      new MailComposer({
        from: 'a@contoso.com',
        subject: 's',
        date: new Date(CREATED),
        messageId: '<m@contoso.com>',
        text,
        html,
        textEncoding: 'B',
        baseBoundary: 'b',
      })
        .compile()
        .build();
    const contents: Array<[string, string]> = [
      ['x'.repeat(57), 'y'.repeat(58)],
      ['é'.repeat(100), '<p>\n</p>'.repeat(40)],
    ];
    for (const kind of KINDS) {
      for (const language of MAIL_LANGUAGES) {
        const r = await renderMessage(input({ kind, language }));
        contents.push([r.text, r.html]);
        // nodemailer, left to choose, chose base64 for the real messages too
        const chosen = await compose(
          { content: r.text, contentType: 'text/plain; charset=utf-8' },
          { content: r.html, contentType: 'text/html; charset=utf-8' },
        );
        const ready = await compose(
          { raw: encodedPart('text/plain', r.text) },
          { raw: encodedPart('text/html', r.html) },
        );
        expect(ready.toString('latin1')).toBe(chosen.toString('latin1'));
      }
    }
    for (const [text, html] of contents) {
      const base64 = { 'Content-Transfer-Encoding': 'base64' };
      const own = await compose(
        { content: text, contentType: 'text/plain; charset=utf-8', headers: base64 },
        { content: html, contentType: 'text/html; charset=utf-8', headers: base64 },
      );
      const ready = await compose({ raw: encodedPart('text/plain', text) }, { raw: encodedPart('text/html', html) });
      expect(ready.toString('latin1')).toBe(own.toString('latin1'));
    }
  });
});

describe('renderMessage: escaping', () => {
  const evil = '<script>alert(1)</script> & "quotes"';

  it.each(['welcome', 'pin-reset'] as const)(
    '%s: policy text and display name are escaped in HTML, kept readable in text',
    async (kind) => {
      for (const language of MAIL_LANGUAGES) {
        const m = await parsed(
          input({ kind, language }, { policyText: evil, displayName: evil, primarySmtpAddress: 'a&b@contoso.com' }),
        );
        const h = html(m);
        expect(h).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
        expect(h).not.toContain('<script');
        expect(h).toContain('a&amp;b@contoso.com');
        expect(m.text).toContain(evil);
      }
    },
  );

  it('no external resources or scripts in the HTML', async () => {
    for (const kind of KINDS) {
      const h = (await renderMessage(input({ kind }))).html;
      expect(h).not.toMatch(/<script|<img|<link|src=|href=|url\(/i);
    }
  });

  it('line breaks in the policy text survive; CR/LF in the name cannot inject lines', async () => {
    const r = await renderMessage(
      input({ kind: 'pin-reset' }, { policyText: 'line one\r\nline two', displayName: 'Eve\r\nBcc: x@y' }),
    );
    expect(r.html).toContain('line one<br>');
    expect(r.text).toContain('line one\nline two');
    expect(r.text).toContain('Hello Eve Bcc: x@y,');
  });
});

describe('pickLanguage', () => {
  it.each([
    ['zh-TW', 'zh-TW'],
    ['zh-tw', 'zh-TW'],
    ['zh_TW', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['zh-Hant-TW', 'zh-TW'],
    ['zh-Hant-HK', 'zh-TW'],
    ['zh-HK', 'zh-TW'],
    ['zh-MO', 'zh-TW'],
    ['zh-CN', 'en'],
    ['zh-Hans', 'en'],
    ['zh-Hans-TW', 'en'],
    ['zh', 'en'],
    ['en-US', 'en'],
    ['en-GB', 'en'],
    ['fr-FR', 'en'],
    ['', 'en'],
    ['not a tag', 'en'],
  ] as const)('%s → %s', (tag, want) => {
    expect(pickLanguage(tag)).toBe(want);
  });

  it('MAIL_LANGUAGES lists both catalogues', () => {
    expect(MAIL_LANGUAGES).toEqual(['en', 'zh-TW']);
  });
});
