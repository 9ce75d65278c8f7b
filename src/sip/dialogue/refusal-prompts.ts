/**
 * A refused new PIN, answered with the rules that refused it, spoken: one phrase per issue
 * the PIN rules (domain/pin-rules.ts) and the history check can raise, limits as digits.
 */
import type { Issue } from '../../domain/errors.js';
import type { PromptPart } from '../prompts/prompt-library.js';

/** The codes changePin answers a refused new PIN with, each of which has its spoken phrase. */
export const SPOKEN_REFUSALS = [
  'UMPIN_PIN_TOO_SHORT',
  'UMPIN_PIN_TOO_LONG',
  'UMPIN_PIN_COMMON_PATTERN',
  'UMPIN_PIN_CONTAINS_EXTENSION',
  'UMPIN_PIN_IN_HISTORY',
  'UMPIN_PIN_NOT_DIGITS',
  'UMPIN_PIN_KEYPAD_LINE',
  'UMPIN_PIN_REPEATED_GROUP',
  'UMPIN_PIN_FEW_DIGITS',
  'UMPIN_PIN_DIGIT_RUN',
  'UMPIN_PIN_EXTENSION_REVERSED',
  'UMPIN_PIN_DATE',
  'UMPIN_PIN_COMMON',
  'UMPIN_PIN_NEAR_PREVIOUS',
] as const;

export function isSpokenRefusal(code: string): boolean {
  return (SPOKEN_REFUSALS as readonly string[]).includes(code);
}

function number(value: unknown): PromptPart[] {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? [{ digits: String(value) }] : [];
}

function phrase(issue: Issue): PromptPart[] {
  const p = (issue.params ?? {}) as Record<string, unknown>;
  switch (issue.code) {
    case 'UMPIN_PIN_TOO_SHORT':
      return ['rule-too-short', ...number(p.min), 'rule-digits'];
    case 'UMPIN_PIN_TOO_LONG':
      return ['rule-too-long', ...number(p.max), 'rule-digits'];
    case 'UMPIN_PIN_COMMON_PATTERN':
      return [p.pattern === 'repeated' ? 'rule-repeated' : 'rule-consecutive'];
    case 'UMPIN_PIN_CONTAINS_EXTENSION':
      return [p.part === 'suffix' ? 'rule-extension-suffix' : 'rule-extension'];
    case 'UMPIN_PIN_IN_HISTORY':
      return ['rule-history', ...number(p.count), 'rule-history-then'];
    // PINComplexity Strict: one phrase for every rule (the catalog says why)
    case 'UMPIN_PIN_KEYPAD_LINE':
    case 'UMPIN_PIN_REPEATED_GROUP':
    case 'UMPIN_PIN_FEW_DIGITS':
    case 'UMPIN_PIN_DIGIT_RUN':
    case 'UMPIN_PIN_EXTENSION_REVERSED':
    case 'UMPIN_PIN_DATE':
    case 'UMPIN_PIN_COMMON':
    case 'UMPIN_PIN_NEAR_PREVIOUS':
      return ['rule-guessable'];
    default:
      // not digits: a telephone keys only digits into a PIN; A-D from a test set is the one way here
      return ['pin-wrong'];
  }
}

/** Every rule the PIN broke, in the rules' order, each said once. */
export function refusalPrompt(issues: readonly Issue[]): PromptPart[] {
  const seen = new Set<string>();
  const parts: PromptPart[] = [];
  for (const issue of issues) {
    // by the words said: Strict's rules share one phrase, said once however many are broken
    const said = phrase(issue);
    const key = JSON.stringify(said);
    if (seen.has(key)) continue;
    seen.add(key);
    parts.push(...said);
  }
  return parts;
}
