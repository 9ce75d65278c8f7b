import { describe, expect, it } from 'vitest';
import { ReorderBuffer, type Reordered } from './reorder-buffer.js';

const items = (released: readonly Reordered<string>[]) => released.map((r) => (r.lost ? 'lost' : r.item));

describe('the reorder buffer', () => {
  it('passes packets in order straight through', () => {
    const b = new ReorderBuffer<string>(3);
    const out = [10, 11, 12].flatMap((i) => {
      const r = b.push(i, `p${i}`);
      return r.accepted ? items(r.released) : [];
    });
    expect(out).toEqual(['p10', 'p11', 'p12']);
  });

  it('holds a packet that came early until the one before it arrives', () => {
    const b = new ReorderBuffer<string>(3);
    b.push(1, 'a');
    const early = b.push(3, 'c');
    expect(early.accepted && items(early.released)).toEqual([]);
    const late = b.push(2, 'b');
    expect(late.accepted && items(late.released)).toEqual(['b', 'c']);
  });

  it('declares a packet lost when more than `depth` wait for it, and drops it when it comes after all', () => {
    const b = new ReorderBuffer<string>(3);
    b.push(1, 'a');
    b.push(3, 'c');
    b.push(4, 'd');
    b.push(5, 'e');
    const r = b.push(6, 'f');
    expect(r.accepted && items(r.released)).toEqual(['lost', 'c', 'd', 'e', 'f']);
    expect(b.push(2, 'b')).toEqual({ accepted: false, reason: 'late' });
  });

  it('drops a duplicate that is still held', () => {
    const b = new ReorderBuffer<string>(3);
    b.push(1, 'a');
    b.push(3, 'c');
    expect(b.push(3, 'c')).toEqual({ accepted: false, reason: 'duplicate' });
  });

  it('fills at most a few frames when the numbering jumps far', () => {
    const b = new ReorderBuffer<string>(0);
    b.push(1, 'a');
    const r = b.push(30000, 'z');
    expect(r.accepted && items(r.released)).toEqual(['lost', 'lost', 'lost', 'z']);
  });

  it('lets everything held go, in order, when the stream goes quiet', () => {
    const b = new ReorderBuffer<string>(3);
    b.push(1, 'a');
    b.push(3, 'c');
    b.push(5, 'e');
    expect(b.holding).toBe(true);
    expect(items(b.flush())).toEqual(['lost', 'c', 'lost', 'e']);
    expect(b.holding).toBe(false);
    const next = b.push(6, 'f');
    expect(next.accepted && items(next.released)).toEqual(['f']);
  });
});
