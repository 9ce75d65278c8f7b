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

const HELP = 'the help desk';

function greeting(c: BaseContext): string {
  return c.displayName ? `Hello ${c.displayName},` : 'Hello,';
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function callFields(c: BaseContext): Field[] {
  const fields: Field[] = [];
  if (c.voiceAccessNumbers.length > 0) {
    fields.push({
      label: c.voiceAccessNumbers.length === 1 ? 'Voice access number' : 'Voice access numbers',
      values: c.voiceAccessNumbers,
    });
  }
  if (c.extensions.length > 0)
    fields.push({ label: c.extensions.length === 1 ? 'Extension' : 'Extensions', values: c.extensions });
  // the mail may go to another address (NotifyEmail): say whose voice mail this is
  fields.push({ label: 'Mailbox', values: [c.primarySmtpAddress] });
  return fields;
}

function howToCall(c: BaseContext): Block[] {
  const blocks: Block[] = [{ type: 'fields', heading: 'How to reach your voice mail', fields: callFields(c) }];
  blocks.push({
    type: 'paragraph',
    text:
      c.voiceAccessNumbers.length > 0
        ? 'Call the voice access number. If you are not calling from your own phone, enter your extension when asked. Then enter your PIN and press #.'
        : `Ask ${HELP} for the voice access number. When you call, enter your extension if asked, then your PIN, and press #.`,
  });
  return blocks;
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
    linkIntro: `${linkIntro} For your security, this message does not contain the PIN: open the link below to see it.`,
    showLink: 'Show my PIN',
    showsOnce: (expiresAt) =>
      `The link shows the PIN once${expiresAt === null ? '' : `, until ${expiresAt}`}. If it has expired or was already used, ask for a new PIN on the self-service page or from ${HELP}.`,
  });
  if (c.pinExpired) blocks.push({ type: 'paragraph', text: changeNote });
  if (notice) blocks.push({ type: 'notice', text: notice });
  blocks.push(...howToCall(c));
  return { subject, greeting: greeting(c), blocks, policyText: c.policyText, ...closing(c) };
}

function closing(c: BaseContext): Pick<MailContent, 'signature' | 'footer'> {
  return {
    signature: `${c.organizationName} Voice Mail`,
    footer: 'This message was sent automatically. Please do not reply to it.',
  };
}

function minutes(n: number): string {
  return n === 1 ? '1 minute' : `${n} minutes`;
}

function signInCode(c: SignInCodeContext): MailContent {
  const lasts =
    c.validMinutes === null
      ? c.expiresAt === null
        ? 'for a short time'
        : `until ${c.expiresAt}`
      : c.expiresAt === null
        ? `for ${minutes(c.validMinutes)}`
        : `for ${minutes(c.validMinutes)}: until ${c.expiresAt}`;
  return {
    subject: 'Your voice mail sign-in code',
    greeting: greeting(c),
    blocks: [
      {
        type: 'paragraph',
        text: 'You asked to sign in to the voice mail self-service page. To finish signing in, enter this code on the page:',
      },
      { type: 'secret', label: 'Sign-in code', value: c.code },
      {
        type: 'paragraph',
        text: `The code works once, ${lasts}. You can type it in upper or lower case, with or without the hyphen.`,
      },
      {
        type: 'notice',
        text: `If you did not ask for this code, you can ignore this message: nobody can sign in without the code. Never give the code to anyone, not even ${HELP}; if these messages keep coming, tell ${HELP}.`,
      },
      { type: 'fields', heading: null, fields: [{ label: 'Mailbox', values: [c.primarySmtpAddress] }] },
    ],
    // the policy's texts belong to the mails about PINs
    policyText: null,
    ...closing(c),
  };
}

function wrongPins(n: number | null): string {
  return n === null ? 'too many wrong PINs' : n === 1 ? 'a wrong PIN' : `${n} wrong PINs in a row`;
}

const CHANGE_NEXT_CALL = 'The next time you call, you will be asked to change this PIN.';

export const en: Catalogue = {
  language: 'en',
  dateLocale: 'en-US',
  fontFamily: 'Segoe UI,Helvetica,Arial,sans-serif',
  withZone: (dateTime, zone) => `${dateTime} ${zone}`,
  messages: {
    welcome: (c) =>
      pinMail(
        c,
        `Welcome to ${c.organizationName} voice mail`,
        'Your PIN',
        'Your voice mail is set up. Here is what you need to sign in by phone.',
        'Your voice mail is set up.',
        'The first time you call, you will be asked to choose a new PIN.',
      ),

    'pin-reset': (c) =>
      pinMail(
        c,
        'Your voice mail PIN has been reset',
        'New PIN',
        'An administrator has reset your voice mail PIN. Your new PIN is below.',
        'An administrator has reset your voice mail PIN.',
        CHANGE_NEXT_CALL,
      ),

    'auto-reset': (c) =>
      pinMail(
        c,
        'Your voice mail PIN was reset for your security',
        'New PIN',
        `Someone entered ${wrongPins(c.failedAttempts)} when signing in to your voice mail, so your PIN was reset automatically. Your new PIN is below.`,
        `Someone entered ${wrongPins(c.failedAttempts)} when signing in to your voice mail, so your PIN was reset automatically.`,
        CHANGE_NEXT_CALL,
        `If this was not you, someone may be trying to guess your PIN. Please tell ${HELP} right away.`,
      ),

    'self-reset': (c) =>
      pinMail(
        c,
        'Your new voice mail PIN',
        'New PIN',
        'You asked for a new voice mail PIN on the self-service page. Here it is.',
        'You asked for a new voice mail PIN on the self-service page.',
        CHANGE_NEXT_CALL,
        `If you did not ask for this, someone else may be able to sign in as you. Please tell ${HELP} right away.`,
      ),

    lockout: (c) => {
      const until =
        c.lockedUntil === null
          ? 'You cannot sign in to it by phone until an administrator unlocks it.'
          : `You cannot sign in to it by phone until ${c.lockedUntil}, unless an administrator unlocks it sooner.`;
      return {
        subject: 'Your voice mail is locked',
        greeting: greeting(c),
        blocks: [
          { type: 'paragraph', text: `Your voice mail was locked after ${wrongPins(c.failedAttempts)}.` },
          { type: 'paragraph', text: until },
          {
            type: 'paragraph',
            text: `For your security, this message does not contain a PIN. If you need a new one, contact ${HELP}.`,
          },
          {
            type: 'notice',
            text: `If you did not make these attempts, someone may be trying to guess your PIN. Please tell ${HELP} right away.`,
          },
          { type: 'fields', heading: null, fields: callFields(c) },
        ],
        // ResetPINText belongs to the mails that carry a PIN, as in Exchange
        policyText: null,
        ...closing(c),
      };
    },

    'expiry-reminder': (c) => {
      const when =
        c.daysLeft === null
          ? 'soon'
          : c.daysLeft <= 0
            ? 'today'
            : c.daysLeft === 1
              ? 'tomorrow'
              : `in ${days(c.daysLeft)}`;
      const on =
        c.expiresOn === null
          ? ''
          : c.daysLeft !== null && c.daysLeft <= 0
            ? ` (${c.expiresOn})`
            : `, on ${c.expiresOn}`;
      const call =
        c.voiceAccessNumbers.length > 0
          ? 'To change it, call the voice access number and sign in with your extension and current PIN.'
          : `To change it, call the voice access number (${HELP} can tell you the number) and sign in with your extension and current PIN.`;
      return {
        subject: `Your voice mail PIN expires ${when}`,
        greeting: greeting(c),
        blocks: [
          { type: 'paragraph', text: `Your voice mail PIN expires ${when}${on}.` },
          { type: 'paragraph', text: `${call} Then go to personal options and choose to change your PIN.` },
          {
            type: 'paragraph',
            text: 'If you do not change it in time, you will be asked to choose a new PIN the next time you call.',
          },
          { type: 'fields', heading: null, fields: callFields(c) },
        ],
        policyText: null,
        ...closing(c),
      };
    },

    'sign-in-code': signInCode,
  },
};
