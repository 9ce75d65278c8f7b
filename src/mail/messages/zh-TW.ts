import {
  type BaseContext,
  type Block,
  type Catalogue,
  type Field,
  type MailContent,
  type PinContext,
  pinBlocks,
  type SignInCodeContext,
} from './catalogue.js';

// Taiwan usage: 語音信箱, 密碼 (PIN 碼), 分機, 撥打, 語音存取號碼 (Microsoft's zh-TW term for the access number)
const HELP = '資訊服務台';

const CJK = /[\p{Script=Han}\p{Script=Bopomofo}\u3000-\u303f\uff00-\uffef]/u;

/** Taiwanese typesetting puts a space between Han and Latin text, but not between two Han runs. */
function embed(s: string): string {
  if (s === '') return '';
  const head = CJK.test(s.charAt(0)) ? '' : ' ';
  const tail = CJK.test(s.charAt(s.length - 1)) ? '' : ' ';
  return `${head}${s}${tail}`;
}

function greeting(c: BaseContext): string {
  return c.displayName ? `${c.displayName} 您好：` : '您好：';
}

function callFields(c: BaseContext): Field[] {
  const fields: Field[] = [];
  if (c.voiceAccessNumbers.length > 0) fields.push({ label: '語音存取號碼', values: c.voiceAccessNumbers });
  if (c.extensions.length > 0) fields.push({ label: '分機', values: c.extensions });
  // the mail may go to another address (NotifyEmail): say whose voice mail this is
  fields.push({ label: '信箱帳戶', values: [c.primarySmtpAddress] });
  return fields;
}

function howToCall(c: BaseContext): Block[] {
  return [
    { type: 'fields', heading: '撥入方式', fields: callFields(c) },
    {
      type: 'paragraph',
      text:
        c.voiceAccessNumbers.length > 0
          ? '請撥打語音存取號碼。若不是用自己的電話撥打，請依語音提示輸入分機號碼，接著輸入密碼，再按 # 字鍵。'
          : `語音存取號碼請洽${HELP}。撥通後若系統要求，請輸入分機號碼，接著輸入密碼，再按 # 字鍵。`,
    },
  ];
}

function closing(c: BaseContext): Pick<MailContent, 'signature' | 'footer'> {
  return {
    signature: `${embed(c.organizationName.trim()).trimStart()}語音信箱服務`,
    footer: '此郵件由系統自動發送，請勿直接回覆。',
  };
}

/** `linkIntro` replaces `intro` when the mail carries a link instead of the PIN (PINDelivery Link). */
function pinMail(
  c: PinContext,
  subject: string,
  label: string,
  intro: string,
  linkIntro: string,
  changeNote: string,
  notice?: string,
): MailContent {
  const blocks = pinBlocks(c, label, {
    intro,
    linkIntro: `${linkIntro}基於安全考量，這封郵件不含密碼，請開啟下方連結查看。`,
    showLink: '顯示我的密碼',
    showsOnce: (expiresAt) =>
      `此連結只能顯示密碼一次${expiresAt === null ? '' : `，有效期限至${embed(expiresAt)}`}。如果連結已過期或已使用，請在自助服務網頁重新申請，或洽${HELP}。`,
  });
  if (c.pinExpired) blocks.push({ type: 'paragraph', text: changeNote });
  if (notice) blocks.push({ type: 'notice', text: notice });
  blocks.push(...howToCall(c));
  return { subject, greeting: greeting(c), blocks, policyText: c.policyText, ...closing(c) };
}

function signInCode(c: SignInCodeContext): MailContent {
  const minutes = c.validMinutes === null ? null : `有效時間為 ${c.validMinutes} 分鐘`;
  const until = c.expiresAt === null ? null : `將於${embed(c.expiresAt)}失效`;
  const lasts = [minutes, until].filter((s) => s !== null).join('，') || '且僅在短時間內有效';
  return {
    subject: '您的語音信箱登入驗證碼',
    greeting: greeting(c),
    blocks: [
      { type: 'paragraph', text: '您已申請登入語音信箱自助服務網頁。請在網頁上輸入以下驗證碼，完成登入：' },
      { type: 'secret', label: '登入驗證碼', value: c.code },
      { type: 'paragraph', text: `此驗證碼只能使用一次，${lasts}。輸入時不分大小寫，中間的連字號可省略。` },
      {
        type: 'notice',
        text: `如果您並未申請登入，請忽略這封郵件；沒有這組驗證碼，任何人都無法登入。請勿將驗證碼告訴任何人，${HELP}也不會向您索取。如果您一再收到這類郵件，請通知${HELP}。`,
      },
      { type: 'fields', heading: null, fields: [{ label: '信箱帳戶', values: [c.primarySmtpAddress] }] },
    ],
    // the policy's texts belong to the mails about PINs
    policyText: null,
    ...closing(c),
  };
}

/** "連續 5 次輸入錯誤的密碼"; the count may be unknown */
function wrongPins(n: number | null): string {
  return n === null ? '多次輸入錯誤的密碼' : n === 1 ? '輸入了錯誤的密碼' : `連續 ${n} 次輸入錯誤的密碼`;
}

const CHANGE_NEXT_CALL = '下次撥入時，系統會請您變更這組密碼。';

export const zhTW: Catalogue = {
  language: 'zh-TW',
  dateLocale: 'zh-TW',
  fontFamily: "'Microsoft JhengHei','PingFang TC','Noto Sans TC',Arial,sans-serif",
  withZone: (dateTime, zone) => `${dateTime}（${zone}）`,
  messages: {
    welcome: (c) =>
      pinMail(
        c,
        `歡迎使用${embed(c.organizationName)}語音信箱`,
        '您的密碼（PIN 碼）',
        '您的語音信箱已經開通。以下是透過電話登入時需要的資料。',
        '您的語音信箱已經開通。',
        '第一次撥入時，系統會請您設定一組新密碼。',
      ),

    'pin-reset': (c) =>
      pinMail(
        c,
        '您的語音信箱密碼已重設',
        '新密碼（PIN 碼）',
        '系統管理員已為您重設語音信箱密碼，新密碼如下。',
        '系統管理員已為您重設語音信箱密碼。',
        CHANGE_NEXT_CALL,
      ),

    'auto-reset': (c) =>
      pinMail(
        c,
        '基於安全考量，您的語音信箱密碼已重設',
        '新密碼（PIN 碼）',
        `有人在登入您的語音信箱時${wrongPins(c.failedAttempts)}，因此系統已自動重設您的密碼。新密碼如下。`,
        `有人在登入您的語音信箱時${wrongPins(c.failedAttempts)}，因此系統已自動重設您的密碼。`,
        CHANGE_NEXT_CALL,
        `如果這不是您本人所為，可能有人正在嘗試猜測您的密碼，請立即通知${HELP}。`,
      ),

    'self-reset': (c) =>
      pinMail(
        c,
        '您的新語音信箱密碼',
        '新密碼（PIN 碼）',
        '您已在自助服務網頁上申請新的語音信箱密碼，新密碼如下。',
        '您已在自助服務網頁上申請新的語音信箱密碼。',
        CHANGE_NEXT_CALL,
        `如果您並未提出這項申請，表示可能有其他人能以您的身分登入，請立即通知${HELP}。`,
      ),

    lockout: (c) => ({
      subject: '您的語音信箱已被鎖定',
      greeting: greeting(c),
      blocks: [
        { type: 'paragraph', text: `由於${wrongPins(c.failedAttempts)}，您的語音信箱已被鎖定。` },
        {
          type: 'paragraph',
          text:
            c.lockedUntil === null
              ? '在系統管理員解除鎖定之前，您將無法透過電話登入語音信箱。'
              : `在${embed(c.lockedUntil)}之前，您將無法透過電話登入語音信箱；系統管理員也可以提早為您解除鎖定。`,
        },
        { type: 'paragraph', text: `基於安全考量，本郵件不含密碼。如需新密碼，請與${HELP}聯絡。` },
        { type: 'notice', text: `如果這些錯誤嘗試不是您本人所為，可能有人正在猜測您的密碼，請立即通知${HELP}。` },
        { type: 'fields', heading: null, fields: callFields(c) },
      ],
      // ResetPINText belongs to the mails that carry a PIN, as in Exchange
      policyText: null,
      ...closing(c),
    }),

    'expiry-reminder': (c) => {
      const date = c.expiresOn === null ? '' : `（${c.expiresOn}）`;
      const [subjectWhen, textWhen] =
        c.daysLeft === null
          ? c.expiresOn === null
            ? ['即將', '即將']
            : ['即將', `將於 ${c.expiresOn} `]
          : c.daysLeft <= 0
            ? ['今天', `今天${date}`]
            : c.daysLeft === 1
              ? ['明天', `明天${date}`]
              : [`將在 ${c.daysLeft} 天後`, `將在 ${c.daysLeft} 天後${date}`];
      const call =
        c.voiceAccessNumbers.length > 0
          ? '若要變更密碼，請撥打語音存取號碼'
          : `若要變更密碼，請撥打語音存取號碼（號碼請洽${HELP}）`;
      return {
        subject: `您的語音信箱密碼${subjectWhen}到期`,
        greeting: greeting(c),
        blocks: [
          { type: 'paragraph', text: `您的語音信箱密碼${textWhen}到期。` },
          { type: 'paragraph', text: `${call}，以分機號碼和目前的密碼登入後，進入「個人選項」變更密碼。` },
          { type: 'paragraph', text: '若未在到期前變更，下次撥入時系統會要求您設定新密碼。' },
          { type: 'fields', heading: null, fields: callFields(c) },
        ],
        policyText: null,
        ...closing(c),
      };
    },

    'sign-in-code': signInCode,
  },
};
