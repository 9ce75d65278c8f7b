import { describe, expect, it } from 'vitest';
import { nearEnd, scrollToShow, visibleRange } from './virtual-window.js';

const base = { scrollTop: 0, viewport: 320, rowHeight: 32, count: 1_000_000, overscan: 5 };

describe('the windowed list', () => {
  it('renders the rows in view and a few beyond, however many are loaded', () => {
    expect(visibleRange(base)).toEqual({ first: 0, end: 16 });
    const deep = visibleRange({ ...base, scrollTop: 32 * 500_000 + 10 });
    expect(deep).toEqual({ first: 499_995, end: 500_016 });
    expect(deep.end - deep.first).toBeLessThan(30);
  });

  it('stays inside the rows there are', () => {
    expect(visibleRange({ ...base, count: 3 })).toEqual({ first: 0, end: 3 });
    expect(visibleRange({ ...base, count: 0 })).toEqual({ first: 0, end: 0 });
    // scrolled past the end (the list shrank): the last rows
    expect(visibleRange({ ...base, count: 10, scrollTop: 10_000 })).toEqual({ first: 4, end: 10 });
  });

  it('scrolls as little as it can to show a row', () => {
    const at = { ...base, scrollTop: 320 };
    expect(scrollToShow(12, at)).toBe(320); // in view
    expect(scrollToShow(5, at)).toBe(160); // above: to its top
    expect(scrollToShow(25, at)).toBe(26 * 32 - 320); // below: its bottom at the bottom
  });

  it('asks for the next page near the end of what is loaded', () => {
    expect(nearEnd(60, 100, 50)).toBe(true);
    expect(nearEnd(40, 100, 50)).toBe(false);
  });
});
