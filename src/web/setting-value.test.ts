import { describe, expect, it } from 'vitest';
import { POLICY_LIMITS } from '../domain/policy.js';
import { draftOf, readDraft } from './setting-value.js';

describe('a numeric setting as typed', () => {
  const min = POLICY_LIMITS.minPinLength;
  const lifetime = POLICY_LIMITS.pinLifetimeDays;

  it('takes a whole number within the limit, at both ends', () => {
    expect(readDraft({ text: String(min.min), unlimited: false }, min)).toEqual({ value: min.min });
    expect(readDraft({ text: ` ${min.max} `, unlimited: false }, min)).toEqual({ value: min.max });
  });

  it('refuses a number outside the limit, a fraction or words', () => {
    for (const text of [String(min.min - 1), String(min.max + 1), '6.5', '1e1', 'six', '-6'])
      expect(readDraft({ text, unlimited: false }, min), text).toEqual({ issue: 'range' });
    expect(readDraft({ text: ' ', unlimited: false }, min)).toEqual({ issue: 'required' });
  });

  it('reads Unlimited as null only where the limit allows it', () => {
    expect(readDraft({ text: '', unlimited: true }, lifetime)).toEqual({ value: null });
    expect(readDraft({ text: '', unlimited: true }, min)).toEqual({ issue: 'required' });
    expect(draftOf(null)).toEqual({ text: '', unlimited: true });
    expect(draftOf(60)).toEqual({ text: '60', unlimited: false });
  });
});
