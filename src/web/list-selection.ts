/**
 * Which mailboxes of the list are selected, as the Exchange admin center selects: a click
 * selects one, Ctrl/Cmd+click toggles one, Shift+click extends a range from the anchor (the
 * last row clicked alone or toggled); the keyboard does the same with arrows, Space and Shift.
 * The selection keeps the rows themselves, so a bulk action knows each mailbox's address
 * even after the list has been scrolled or searched away from it.
 */
import type { ListRow } from './mailbox-view.js';

export interface Selection {
  rows: ReadonlyMap<string, ListRow>;
  /** where a Shift range starts: an index in the loaded rows */
  anchor: number | null;
}

export const NOTHING_SELECTED: Selection = { rows: new Map(), anchor: null };

export interface Modifiers {
  /** Ctrl or Cmd: toggle, or with extend add the range to what is selected */
  toggle?: boolean;
  /** Shift: a range from the anchor */
  extend?: boolean;
}

/** The selection after the row at `index` of `rows` is clicked (or reached by the keyboard) with these modifiers. */
export function selectAt(sel: Selection, rows: readonly ListRow[], index: number, mods: Modifiers = {}): Selection {
  const row = rows[index];
  if (!row) return sel;
  if (mods.extend && sel.anchor !== null && rows[sel.anchor]) {
    const [from, to] = sel.anchor <= index ? [sel.anchor, index] : [index, sel.anchor];
    const picked = new Map(mods.toggle ? sel.rows : []);
    for (let i = from; i <= to; i++) picked.set(rows[i]!.id, rows[i]!);
    return { rows: picked, anchor: sel.anchor };
  }
  if (mods.toggle) {
    const picked = new Map(sel.rows);
    if (picked.has(row.id)) picked.delete(row.id);
    else picked.set(row.id, row);
    return { rows: picked, anchor: index };
  }
  return { rows: new Map([[row.id, row]]), anchor: index };
}

/** Every row given selected: "select all matching the filter". */
export function selectAll(rows: readonly ListRow[]): Selection {
  return { rows: new Map(rows.map((r) => [r.id, r])), anchor: null };
}
