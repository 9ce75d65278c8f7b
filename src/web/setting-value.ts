/**
 * A numeric setting as typed in a form: its text and, where the domain allows it, "Unlimited"
 * (null). Judged against the domain's own limit (POLICY_LIMITS, DIAL_PLAN_LIMITS), so the form
 * and the service apply the same range from one definition.
 */
import type { NumberLimit } from '../domain/policy.js';

export interface NumberDraft {
  text: string;
  unlimited: boolean;
}

export function draftOf(value: number | null): NumberDraft {
  return value === null ? { text: '', unlimited: true } : { text: String(value), unlimited: false };
}

export type DraftIssue = 'required' | 'range';

/** The value the draft stands for, or what is wrong with it. */
export function readDraft(
  draft: NumberDraft,
  limit: NumberLimit,
): { value: number | null; issue?: undefined } | { issue: DraftIssue } {
  if (draft.unlimited && limit.unlimited) return { value: null };
  const text = draft.text.trim();
  if (text === '') return { issue: 'required' };
  if (!/^-?[0-9]+$/.test(text)) return { issue: 'range' };
  const n = Number(text);
  return n >= limit.min && n <= limit.max ? { value: n } : { issue: 'range' };
}
