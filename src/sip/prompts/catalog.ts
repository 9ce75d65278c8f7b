/**
 * Every prompt a caller can hear, with its words in each language. `npm run prompts`
 * (scripts/prompts.ts) speaks these words into the committed audio files under ./audio/;
 * the dialogue names prompts by id only. Numbers are never in the words: espeak reads
 * "1234" as a number, so an extension, a count or a limit is played as one clip per digit
 * (the digit-* prompts) between the clips that come before and after it.
 */

export const PROMPT_LANGUAGES = ['en-US', 'zh-TW'] as const;
export type PromptLanguage = (typeof PROMPT_LANGUAGES)[number];

interface Words {
  readonly 'en-US': string;
  readonly 'zh-TW': string;
}

const DIGIT_WORDS = {
  'digit-0': { 'en-US': 'zero', 'zh-TW': '零' },
  'digit-1': { 'en-US': 'one', 'zh-TW': '一' },
  'digit-2': { 'en-US': 'two', 'zh-TW': '二' },
  'digit-3': { 'en-US': 'three', 'zh-TW': '三' },
  'digit-4': { 'en-US': 'four', 'zh-TW': '四' },
  'digit-5': { 'en-US': 'five', 'zh-TW': '五' },
  'digit-6': { 'en-US': 'six', 'zh-TW': '六' },
  'digit-7': { 'en-US': 'seven', 'zh-TW': '七' },
  'digit-8': { 'en-US': 'eight', 'zh-TW': '八' },
  'digit-9': { 'en-US': 'nine', 'zh-TW': '九' },
  'digit-star': { 'en-US': 'star', 'zh-TW': '星號' },
  'digit-pound': { 'en-US': 'pound', 'zh-TW': '井字號' },
} as const satisfies Record<string, Words>;

const PHRASES = {
  greeting: { 'en-US': 'umpin voice mail.', 'zh-TW': '語音信箱。' },
  'enter-extension': {
    'en-US': 'Please enter your extension, followed by the pound key.',
    'zh-TW': '請輸入您的分機號碼，然後按井字鍵。',
  },
  /** "To sign in to mailbox" <digits> "enter your PIN…; to enter another mailbox, press star." */
  'offer-mailbox': { 'en-US': 'To sign in to mailbox', 'zh-TW': '若要登入信箱' },
  'offer-mailbox-then': {
    'en-US': 'enter your PIN, followed by the pound key. To enter another mailbox, press star.',
    'zh-TW': '請輸入您的 PIN 碼，然後按井字鍵。若要進入其他信箱，請按星號鍵。',
  },
  'enter-pin': {
    'en-US': 'Please enter your PIN, followed by the pound key.',
    'zh-TW': '請輸入您的 PIN 碼，然後按井字鍵。',
  },
  'pin-wrong': { 'en-US': 'That PIN is not correct. Please try again.', 'zh-TW': 'PIN 碼不正確，請再試一次。' },
  'first-time': {
    'en-US': 'Welcome. Before you continue, you must choose a new PIN.',
    'zh-TW': '歡迎使用。繼續之前，您必須設定新的 PIN 碼。',
  },
  'pin-expired': { 'en-US': 'Your PIN has expired.', 'zh-TW': '您的 PIN 碼已過期。' },
  'pin-below-minimum': {
    'en-US': 'Your PIN is shorter than the rules now require.',
    'zh-TW': '您的 PIN 碼比目前規定的長度短。',
  },
  'enter-new-pin': {
    'en-US': 'Please enter a new PIN, followed by the pound key.',
    'zh-TW': '請輸入新的 PIN 碼，然後按井字鍵。',
  },
  'enter-new-pin-again': {
    'en-US': 'Please enter the new PIN again, followed by the pound key.',
    'zh-TW': '請再輸入一次新的 PIN 碼，然後按井字鍵。',
  },
  'pins-differ': { 'en-US': 'The two PINs do not match.', 'zh-TW': '兩次輸入的 PIN 碼不一致。' },
  /** "That PIN is too short. It must have at least" <digits> "digits." */
  'rule-too-short': {
    'en-US': 'That PIN is too short. It must have at least',
    'zh-TW': '這個 PIN 碼太短，至少需要',
  },
  /** "That PIN is too long. It can have at most" <digits> "digits." */
  'rule-too-long': { 'en-US': 'That PIN is too long. It can have at most', 'zh-TW': '這個 PIN 碼太長，最多只能有' },
  'rule-digits': { 'en-US': 'digits.', 'zh-TW': '位數。' },
  'rule-repeated': {
    'en-US': 'That PIN repeats the same digit. Please choose different digits.',
    'zh-TW': '這個 PIN 碼都是同一個數字，請使用不同的數字。',
  },
  'rule-consecutive': {
    'en-US': 'That PIN is a run of consecutive digits, which is easy to guess.',
    'zh-TW': '這個 PIN 碼是連續的數字，很容易被猜到。',
  },
  'rule-extension': { 'en-US': 'That PIN contains your extension.', 'zh-TW': '這個 PIN 碼包含您的分機號碼。' },
  'rule-extension-suffix': {
    'en-US': 'That PIN contains the last digits of your extension.',
    'zh-TW': '這個 PIN 碼包含您分機號碼的末幾碼。',
  },
  /** "That PIN is one of your last" <digits> "PINs. Please choose one you have not used." */
  'rule-history': { 'en-US': 'That PIN is one of your last', 'zh-TW': '這個 PIN 碼與您最近使用過的' },
  'rule-history-then': {
    'en-US': 'PINs. Please choose one you have not used.',
    'zh-TW': '個 PIN 碼之一相同，請選擇沒有用過的 PIN 碼。',
  },
  // PINComplexity Strict (a umpin addition): one phrase for all its rules, which keeps the set
  // of recordings small; the code of each rule is in the call's log and the audit entry
  'rule-guessable': { 'en-US': 'That PIN is too easy to guess.', 'zh-TW': '這個 PIN 碼太容易被猜到。' },
  // PinChangeAllowed $false (a umpin addition)
  'pin-change-not-allowed': { 'en-US': 'This PIN cannot be changed.', 'zh-TW': '這個 PIN 碼無法變更。' },
  'pin-changed': { 'en-US': 'Your PIN has been changed.', 'zh-TW': '您的 PIN 碼已變更。' },
  'signed-in-menu': {
    'en-US': 'You are signed in. To change your PIN, press 1. To hang up, press star.',
    'zh-TW': '您已登入。若要變更 PIN 碼，請按一。若要結束通話，請按星號鍵。',
  },
  'auto-reset': {
    'en-US': 'Too many failed attempts. A new PIN has been e-mailed to you.',
    'zh-TW': '錯誤次數過多，新的 PIN 碼已寄到您的電子郵件信箱。',
  },
  'locked-out': {
    'en-US': 'Your mailbox is locked. Please contact your administrator. Goodbye.',
    'zh-TW': '您的信箱已被鎖定，請與系統管理員聯絡。再見。',
  },
  'no-voice-access': {
    'en-US': 'Voice access is not enabled for this mailbox. Goodbye.',
    'zh-TW': '這個信箱未啟用語音存取。再見。',
  },
  'logon-failed': { 'en-US': 'You could not be signed in. Goodbye.', 'zh-TW': '無法登入。再見。' },
  'try-later': {
    'en-US': 'Your call cannot be taken now. Please try again later. Goodbye.',
    'zh-TW': '目前無法處理您的來電，請稍後再試。再見。',
  },
  'no-input': { 'en-US': "I didn't hear anything.", 'zh-TW': '沒有聽到您的輸入。' },
  goodbye: { 'en-US': 'Goodbye.', 'zh-TW': '再見。' },
  transferring: { 'en-US': 'Transferring you to voice mail.', 'zh-TW': '正在為您轉接語音信箱。' },
  /** said after the signed-in menu where the dial plan has a VoiceMailUri: # or silence transfers */
  'voice-mail-option': {
    'en-US': 'For your voice mail, press pound, or stay on the line.',
    'zh-TW': '若要進入語音信箱，請按井字鍵，或請稍候。',
  },
  'voice-mail-unavailable': {
    'en-US': 'Your voice mail cannot be reached now.',
    'zh-TW': '目前無法連接您的語音信箱。',
  },
} as const satisfies Record<string, Words>;

export const PROMPT_WORDS = { ...PHRASES, ...DIGIT_WORDS } as const satisfies Record<string, Words>;

export type PromptId = keyof typeof PROMPT_WORDS;
export const PROMPT_IDS = Object.keys(PROMPT_WORDS) as PromptId[];

/** The clip that speaks one keypad key, or undefined for a key that has none (A-D). */
export function digitPrompt(key: string): PromptId | undefined {
  if (/^[0-9]$/.test(key)) return `digit-${key}` as PromptId;
  if (key === '*') return 'digit-star';
  if (key === '#') return 'digit-pound';
  return undefined;
}

/** The prompt language for a language tag: Chinese of any region or script is Mandarin, all else English. */
export function promptLanguage(tag: string | null | undefined): PromptLanguage {
  return tag && /^zh(?:-|$)/i.test(tag) ? 'zh-TW' : 'en-US';
}

/** The file of a prompt, relative to the audio folder: IMA ADPCM (ima-adpcm.ts), 8 kHz mono, no header. */
export const promptFile = (language: PromptLanguage, id: PromptId): string => `${language}/${id}.ima`;
