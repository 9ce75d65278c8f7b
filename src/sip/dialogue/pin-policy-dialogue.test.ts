/** The telephone dialogue under issue 14's settings: PINComplexity Strict and PinChangeAllowed $false. */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN, contoso } from '../../../test/fixtures.js';
import { testContext, type TestContext } from '../../../test/harness.js';
import { capturingLogger, ScriptedCall, ScriptedMedia, type Step, dialScripted } from '../../../test/scripted-call.js';
import { getUMMailboxPIN } from '../../services/get-um-mailbox-pin.js';
import { setMailboxPolicy } from '../../services/mailbox-policies.js';
import { setUMMailbox } from '../../services/um-mailboxes.js';
import { PromptLibrary } from '../prompts/prompt-library.js';
import type { DialogueOutcome } from './logon-dialogue.js';

const FIRST = '1985848';
const NEW = '8305726';
const PINS = [FIRST, NEW, '258085', '1985849'];
const lines: string[] = [];
const log = capturingLogger(lines);

let library: PromptLibrary;
beforeAll(() => {
  library = PromptLibrary.load();
});

describe('the logon dialogue with PIN policy beyond Exchange (SQLite store)', () => {
  let t: TestContext;
  beforeEach(async () => {
    t = await testContext('sqlite', { tollFraud: { failures: 1000 } });
    await contoso(t.deps, [
      { alias: 'tonysmith', extension: '10231', pin: FIRST },
      { alias: 'weichen', extension: '10246', pin: FIRST, language: 'zh-TW' },
    ]);
  });
  afterEach(() => t.close());

  async function dial(callerId: string, steps: Step[]): Promise<{ outcome: DialogueOutcome; call: ScriptedCall }> {
    const call = new ScriptedCall(new ScriptedMedia(library, steps), callerId);
    return dialScripted(call, { deps: t.deps, prompts: library, log });
  }

  it('Strict: a guessable new PIN is refused with one phrase however many rules it breaks, then a good one is set', async () => {
    await setMailboxPolicy(t.deps, ADMIN, 'Contoso Default Policy', { pinComplexity: 'Strict' });
    const { outcome, call } = await dial('+14255510231', [
      { at: 'offer-mailbox', keys: `${FIRST}#` },
      { at: 'enter-new-pin', keys: '258085#' },
      { at: 'enter-new-pin-again', keys: '258085#' },
      { at: 'enter-new-pin', keys: '1985849#' },
      { at: 'enter-new-pin-again', keys: '1985849#' },
      { at: 'enter-new-pin', keys: `${NEW}#` },
      { at: 'enter-new-pin-again', keys: `${NEW}#` },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
    const asked = call.media.heard.filter((h) => h.ids.includes('enter-new-pin')).map((h) => h.ids);
    expect(asked).toEqual([
      ['first-time', 'enter-new-pin'],
      // 258085: keys of one keypad column, walked down and back
      ['rule-guessable', 'enter-new-pin'],
      // 1985849: the PIN keyed at the logon plus one
      ['rule-guessable', 'enter-new-pin'],
    ]);
    expect(call.media.ids.slice(-3)).toEqual(['pin-changed', 'signed-in-menu', 'goodbye']);
    for (const pin of PINS) expect(lines.join('\n')).not.toContain(pin);
  });

  it('PinChangeAllowed $false: a first-time user is not made to change, and 1 says the PIN cannot be changed', async () => {
    await setUMMailbox(t.deps, ADMIN, 'weichen', { pinChangeAllowed: false });
    const { outcome, call } = await dial('+14255510246', [
      { at: 'offer-mailbox', keys: `${FIRST}#` },
      { at: 'signed-in-menu', keys: '1' },
      { at: 'signed-in-menu', keys: '*' },
    ]);
    expect(outcome).toBe('signed-in');
    expect(call.media.ids).not.toContain('enter-new-pin');
    expect(call.media.heard.at(-2)).toMatchObject({
      language: 'zh-TW',
      ids: ['pin-change-not-allowed', 'signed-in-menu'],
    });
    expect(await getUMMailboxPIN(t.deps, ADMIN, 'weichen')).toMatchObject({ firstTimeUser: true, failedAttempts: 0 });
  });
});
