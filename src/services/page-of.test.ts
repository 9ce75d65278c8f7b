import { describe, expect, it } from 'vitest';
import { pageOf } from './page-of.js';

const names = ['beta', 'Alpha', 'gamma', 'alpine', 'Delta'].map((name) => ({ name }));
const key = (x: { name: string }) => x.name;

describe('pageOf', () => {
  it('pages by name, case-insensitively, with cursors that continue where the page ended', () => {
    const first = pageOf(names, key, { limit: 2 });
    expect(first.items.map(key)).toEqual(['Alpha', 'alpine']);
    const second = pageOf(names, key, { limit: 2, cursor: first.next! });
    expect(second.items.map(key)).toEqual(['beta', 'Delta']);
    const third = pageOf(names, key, { limit: 2, cursor: second.next! });
    expect(third).toEqual({ items: [{ name: 'gamma' }], next: null });
  });

  it('searches by a prefix, and a full last page has no next', () => {
    expect(pageOf(names, key, { limit: 10, search: 'AL' }).items.map(key)).toEqual(['Alpha', 'alpine']);
    expect(pageOf(names, key, { limit: 5 }).next).toBeNull();
  });

  it('is not thrown off by rows added between pages', () => {
    const first = pageOf(names, key, { limit: 2 });
    const more = [...names, { name: 'aardvark' }, { name: 'bee' }];
    expect(pageOf(more, key, { limit: 3, cursor: first.next! }).items.map(key)).toEqual(['bee', 'beta', 'Delta']);
  });

  it('refuses a cursor it did not make', () => {
    expect(() => pageOf(names, key, { limit: 2, cursor: 'nonsense' })).toThrow(
      expect.objectContaining({ code: 'UMPIN_VALUE_INVALID', field: 'Cursor' }),
    );
  });

  it('gives at most 1000 items a page, and at least one', () => {
    const many = Array.from({ length: 1200 }, (_, i) => ({ name: `n${String(i).padStart(4, '0')}` }));
    expect(pageOf(many, key, { limit: 5000 }).items).toHaveLength(1000);
    expect(pageOf(many, key, { limit: 0 }).items).toHaveLength(1);
  });
});
