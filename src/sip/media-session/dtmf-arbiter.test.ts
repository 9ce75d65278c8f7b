import { describe, expect, it } from 'vitest';
import { DtmfArbiter } from './dtmf-arbiter.js';

describe('one digit per key press, whichever way it came', () => {
  it('delivers in-band digits until the first telephone-event, then only events', () => {
    const a = new DtmfArbiter();
    expect(a.admit('inband', '1', 100)).toBe(true);
    expect(a.admit('inband', '2', 900)).toBe(true);
    expect(a.admit('rfc4733', '3', 2000)).toBe(true);
    expect(a.inbandActive).toBe(false);
    expect(a.admit('inband', '3', 2000)).toBe(false);
    expect(a.admit('inband', '4', 3000)).toBe(false);
    expect(a.admit('rfc4733', '4', 3000)).toBe(true);
  });

  it('takes the first event for the press in-band already reported when they overlap', () => {
    const a = new DtmfArbiter();
    expect(a.admit('inband', '5', 1000)).toBe(true);
    expect(a.admit('rfc4733', '5', 1040)).toBe(false);
    expect(a.admit('rfc4733', '5', 1800)).toBe(true);
  });

  it('keeps an event of another key, or one long after the in-band digit', () => {
    const a = new DtmfArbiter();
    a.admit('inband', '5', 1000);
    expect(a.admit('rfc4733', '6', 1040)).toBe(true);
    const b = new DtmfArbiter();
    b.admit('inband', '5', 1000);
    expect(b.admit('rfc4733', '5', 5000)).toBe(true);
  });

  it('turns in-band back on when a re-INVITE drops telephone-events', () => {
    const a = new DtmfArbiter();
    a.admit('rfc4733', '1', 0);
    a.eventsWithdrawn();
    expect(a.admit('inband', '2', 500)).toBe(true);
  });
});
