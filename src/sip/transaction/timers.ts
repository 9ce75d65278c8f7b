/**
 * The transaction timers of RFC 3261 §17 (Table 4), from three durations: T1 (round-trip
 * estimate, 500 ms), T2 (the cap on retransmission intervals of non-INVITE requests and
 * INVITE responses, 4 s) and T4 (how long the network may hold a message, 5 s). Injectable so
 * that tests run the whole state machine in milliseconds. On reliable transports the
 * "absorb stragglers" timers (I, J, K) are zero and nothing is retransmitted.
 */
export interface TimerValues {
  readonly t1: number;
  readonly t2: number;
  readonly t4: number;
}

export const DEFAULT_TIMERS: TimerValues = { t1: 500, t2: 4000, t4: 5000 };

/** Timer H (wait for ACK), F (non-INVITE client gives up) and B: 64·T1. */
export function transactionTimeout(t: TimerValues): number {
  return 64 * t.t1;
}

/** Timer J (non-INVITE server, completed → terminated): 64·T1 on UDP, 0 on streams. */
export function timerJ(t: TimerValues, reliable: boolean): number {
  return reliable ? 0 : 64 * t.t1;
}

/** Timer I (INVITE server, confirmed → terminated) and K (non-INVITE client): T4 on UDP, 0 on streams. */
export function timerI(t: TimerValues, reliable: boolean): number {
  return reliable ? 0 : t.t4;
}

/** The next retransmission interval: doubling from T1, capped at T2 (Timers G and E). */
export function nextInterval(t: TimerValues, current: number): number {
  return Math.min(current * 2, t.t2);
}
