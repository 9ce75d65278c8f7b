/** The DTMF keypad (ITU-T Q.23): each key is one low-group (row) and one high-group (column) frequency, in Hz. */
export const DTMF_ROWS = [697, 770, 852, 941] as const;
export const DTMF_COLUMNS = [1209, 1336, 1477, 1633] as const;

/** Keys by row, then column. */
export const DTMF_KEYS = ['123A', '456B', '789C', '*0#D'] as const;

export const DTMF_DIGITS = '0123456789*#ABCD';

/** The two frequencies of a key ('0'-'9', '*', '#', 'A'-'D'). */
export function dtmfFrequencies(digit: string): { row: number; column: number } {
  for (let r = 0; r < 4; r++) {
    const c = DTMF_KEYS[r]!.indexOf(digit);
    if (c >= 0 && digit.length === 1) return { row: DTMF_ROWS[r]!, column: DTMF_COLUMNS[c]! };
  }
  throw new RangeError(`not a DTMF key: ${JSON.stringify(digit)}`);
}
