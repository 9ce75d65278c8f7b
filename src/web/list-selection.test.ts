import { describe, expect, it } from 'vitest';
import { NOTHING_SELECTED, selectAll, selectAt } from './list-selection.js';
import type { ListRow } from './mailbox-view.js';

const rows: ListRow[] = ['a', 'b', 'c', 'd', 'e'].map((id) => ({
  id,
  displayName: id,
  primarySmtpAddress: `${id}@contoso.com`,
  extensions: [],
  umEnabled: true,
  pinStatus: null,
}));
const ids = (s: { rows: ReadonlyMap<string, ListRow> }) => [...s.rows.keys()].sort();

describe('selecting mailboxes in the list', () => {
  it('a click selects one, Ctrl+click toggles, Shift+click extends from the anchor', () => {
    let s = selectAt(NOTHING_SELECTED, rows, 1);
    expect(ids(s)).toEqual(['b']);
    s = selectAt(s, rows, 3, { toggle: true });
    expect(ids(s)).toEqual(['b', 'd']);
    expect(s.anchor).toBe(3);
    s = selectAt(s, rows, 3, { toggle: true });
    expect(ids(s)).toEqual(['b']);
    // Shift: from the anchor (3) up to 0, replacing the rest
    s = selectAt(s, rows, 0, { extend: true });
    expect(ids(s)).toEqual(['a', 'b', 'c', 'd']);
    expect(s.anchor).toBe(3);
    // and back down: the range follows, the anchor stays
    s = selectAt(s, rows, 4, { extend: true });
    expect(ids(s)).toEqual(['d', 'e']);
    // Ctrl+Shift adds the range to what is selected
    s = selectAt(selectAt(s, rows, 0, { toggle: true }), rows, 1, { extend: true, toggle: true });
    expect(ids(s)).toEqual(['a', 'b', 'd', 'e']);
    // a plain click starts again
    expect(ids(selectAt(s, rows, 2))).toEqual(['c']);
  });

  it('Shift without an anchor selects just the row; an index outside the rows changes nothing', () => {
    expect(ids(selectAt(NOTHING_SELECTED, rows, 2, { extend: true }))).toEqual(['c']);
    expect(selectAt(NOTHING_SELECTED, rows, 9)).toBe(NOTHING_SELECTED);
  });

  it('keeps the rows, so a bulk action has their addresses', () => {
    const s = selectAll(rows);
    expect(s.rows.size).toBe(5);
    expect(s.rows.get('e')?.primarySmtpAddress).toBe('e@contoso.com');
  });
});
