/**
 * The toll-fraud guard in front of telephone logons (the PBX endpoints of the REST API,
 * and the SIP endpoint). Toll fraud starts with a caller guessing PINs on many mailboxes
 * until one opens and its voice-mail features can place calls. The per-mailbox count in
 * the store (reset at 5 and 10, lock at 15) stops guessing one mailbox; this guard adds
 * what one mailbox cannot see:
 *
 * - **Back-off per calling number.** `failures` failed logons from one calling number
 *   within `failureWindow` start a back-off (`backoff`, doubling with every offence
 *   remembered for `offenceMemory`, at most `maxBackoff`); meanwhile that number gets
 *   UMPIN_RATE_LIMITED with a retry-after. A call without a calling number is keyed by
 *   the extension it tries. Never keyed by the gateway's address: one PBX carries every
 *   caller, and throttling it would lock the whole company out of voice mail. Counted in the
 *   store (limit counters), so every server applies one count: each attempt is counted
 *   before its PIN check and given back if it succeeds, so a burst from one number gets
 *   `failures` checks in all, across every process, and the rest are refused at once. A
 *   back-off learnt from the store is remembered here too, and refused without a query.
 * - **Watch across mailboxes.** One calling number failing on `callerMailboxes` distinct
 *   mailboxes within `callerWindow`, or one source (a gateway: token and address) failing
 *   on `sourceMailboxes` within `sourceWindow`, is recorded once per window as a
 *   `Detect-TollFraud` audit entry (by the system; the caller or source, how many
 *   mailboxes, the window — never a PIN) and a metric. Detection alerts, it does not block.
 * - **Fair share of the KDF.** Each PIN check costs tens of milliseconds of a thread the
 *   whole process shares; a burst of guesses from one number would queue everyone else's
 *   logon behind it. At most `inflight` checks run at once for one calling number and for
 *   one mailbox (default 2/2); one more is refused UMPIN_RATE_LIMITED before it costs
 *   anything. A locked mailbox is answered without a check at all (voice-logon.ts).
 *
 * Defaults (UMPIN_TOLL_FRAUD, e.g. "failures=10/10m,backoff=1m..1h,caller=5/1h,source=25/10m"):
 * Exchange hangs up after 3 wrong PINs in one call (LogonFailuresBeforeDisconnect), so 10
 * failures in 10 minutes is three clumsy calls and more; a real user has one or two
 * mailboxes, so 5 failing mailboxes from one number in an hour is a scan (a shared trunk
 * number may trip it: it only alerts); a gateway sees everyone's typos, so its bar is 25
 * mailboxes in 10 minutes. The back-off is counted in the store, exact across servers; the
 * watches and the fair share are in memory, per process (each server alerts on what it
 * sees; the fair share is about this process's threads). Rotating the calling number
 * escapes the back-off but not the watch per source, nor each mailbox's own lockout.
 *
 * One guard per process, made in the composition root and handed to the services in Deps;
 * the voice logon service (voice-logon.ts) is the only one that consults it.
 */
import { UmpinError } from '../domain/errors.js';
import type { CallOutcome, ChangePinResult, DroppedPacketReason, LogonResult } from '../domain/logon.js';
import type { Actor } from './actor.js';
import { rateLimited, takeLimit, waitOf } from './limits.js';
import type { LimitBackoff, LimitCounters, LimitWindow } from './ports/limit-counters.js';

const MINUTE = 60_000;

export interface TollFraudOptions {
  /** failed logons from one calling number (or at one extension, without a number) within failureWindowMs that start a back-off */
  failures: number;
  failureWindowMs: number;
  /** the first back-off; it doubles with each offence remembered, up to maxBackoffMs */
  backoffMs: number;
  maxBackoffMs: number;
  /** how long an offence counts towards a longer back-off */
  offenceMemoryMs: number;
  /** distinct failing mailboxes from one calling number within callerWindowMs that raise an alert */
  callerMailboxes: number;
  callerWindowMs: number;
  /** distinct failing mailboxes through one source (gateway) within sourceWindowMs that raise an alert */
  sourceMailboxes: number;
  sourceWindowMs: number;
  /** most callers (and sources) remembered at once; the least recently seen go first */
  maxKeys: number;
  /** PIN checks running at once for one caller, and for one mailbox; the next one is refused */
  inflightPerCaller: number;
  inflightPerMailbox: number;
}

export const DEFAULT_TOLL_FRAUD: Readonly<TollFraudOptions> = Object.freeze({
  failures: 10,
  failureWindowMs: 10 * MINUTE,
  backoffMs: MINUTE,
  maxBackoffMs: 60 * MINUTE,
  offenceMemoryMs: 24 * 60 * MINUTE,
  callerMailboxes: 5,
  callerWindowMs: 60 * MINUTE,
  sourceMailboxes: 25,
  sourceWindowMs: 10 * MINUTE,
  maxKeys: 10_000,
  inflightPerCaller: 2,
  inflightPerMailbox: 2,
});

export interface TollFraudDetection {
  kind: 'caller' | 'source';
  /** the calling number (digits) or the source */
  key: string;
  /** distinct mailboxes that failed within the window */
  mailboxes: number;
  windowMs: number;
}

/** What the guard and its wrappers report, for metrics (the plugin subscribes; services never import prom-client). */
export type VoiceEvent =
  | { type: 'logon'; outcome: LogonResult['outcome'] | 'not-recognized' }
  | { type: 'pin-change'; outcome: ChangePinResult['outcome'] | 'not-recognized' }
  | { type: 'auto-reset' }
  | { type: 'lockout' }
  | { type: 'throttled' }
  | { type: 'toll-fraud'; kind: TollFraudDetection['kind'] }
  // telephone calls on umpin's own SIP endpoint: in progress, how they ended, how keys came in
  | { type: 'call-started' }
  | { type: 'call-ended'; outcome: CallOutcome }
  | { type: 'digit'; method: 'rfc4733' | 'inband' }
  | { type: 'packets-dropped'; reason: DroppedPacketReason; count: number }
  /** how late an RTP frame went out after its due time, in ms */
  | { type: 'rtp-late'; ms: number };

interface Watch {
  /** mailbox key → last failure time, oldest first; at most the alert threshold */
  mailboxes: Map<string, number>;
  reportedAt: number | null;
}

interface CallerState extends Watch {
  /** the end of a back-off the store told of (a fast refusal; the store has the count) */
  blockedUntil: number;
  lastSeen: number;
}

/** The store's limit counters hold the back-off under this kind, keyed by callerKey. */
export const TOLL_FRAUD_KIND = 'toll-fraud:caller';

/** A refused attempt while the caller's counted attempts are still running waits this long: they end within it. */
const PENDING_MS = 1000;

/** One PIN check counted against the caller's back-off; settle it once. */
export interface BackoffSlot {
  /** the check failed: it stays counted, and the caller's failures may start a back-off */
  failed(): Promise<void>;
  /** the check succeeded or did not count: the attempt is given back */
  forgive(): Promise<void>;
}

interface SourceState extends Watch {
  lastSeen: number;
}

/** A Map kept in least-recently-seen order, capped, and swept of entries nobody needs any more. */
class RecentMap<V extends { lastSeen: number }> {
  private readonly map = new Map<string, V>();
  constructor(
    private readonly cap: number,
    /** how long after lastSeen an entry still matters */
    private readonly keep: (v: V) => number,
  ) {}

  get size(): number {
    return this.map.size;
  }

  peek(key: string): V | undefined {
    return this.map.get(key);
  }

  touch(key: string, now: number, make: () => V): V {
    this.sweep(now);
    let v = this.map.get(key);
    if (v) this.map.delete(key);
    else v = make();
    v.lastSeen = now;
    this.map.set(key, v);
    while (this.map.size > this.cap) this.map.delete(this.map.keys().next().value!);
    return v;
  }

  /** Drops stale entries from the old end; a few per call keeps every call cheap. */
  private sweep(now: number): void {
    for (let i = 0; i < 8; i++) {
      const first = this.map.entries().next();
      if (first.done) return;
      const [k, v] = first.value;
      if (v.lastSeen + this.keep(v) > now) return;
      this.map.delete(k);
    }
  }
}

export class TollFraudGuard {
  readonly options: Readonly<TollFraudOptions>;
  private readonly callers: RecentMap<CallerState>;
  private readonly sources: RecentMap<SourceState>;
  private readonly listeners = new Set<(e: VoiceEvent) => void>();
  /** checks in progress per caller key and per mailbox key (entries leave at zero) */
  private readonly inflight = new Map<string, number>();
  /** the back-off as the store counts it: attempts per window, and the delays of the offences */
  private readonly window: LimitWindow;
  private readonly backoff: LimitBackoff;

  constructor(
    options: Partial<TollFraudOptions> = {},
    private readonly clock: { now(): number } = { now: () => Date.now() },
  ) {
    this.options = Object.freeze({ ...DEFAULT_TOLL_FRAUD, ...options });
    const o = this.options;
    this.callers = new RecentMap<CallerState>(o.maxKeys, (c) =>
      Math.max(o.callerWindowMs, c.blockedUntil - c.lastSeen),
    );
    this.sources = new RecentMap<SourceState>(o.maxKeys, () => o.sourceWindowMs);
    // the delays of the 1st, 2nd, … offence: doubling up to the longest
    const delaysMs: number[] = [];
    for (let d = o.backoffMs; delaysMs.length < 40; d *= 2) {
      delaysMs.push(Math.min(d, o.maxBackoffMs));
      if (d >= o.maxBackoffMs) break;
    }
    const keepMs = Math.max(o.failureWindowMs, o.maxBackoffMs, o.offenceMemoryMs);
    this.window = { max: o.failures, windowMs: o.failureWindowMs, keepMs };
    this.backoff = { max: o.failures, delaysMs, offenceMemoryMs: o.offenceMemoryMs, resetTo: 0, keepMs };
  }

  /** Callers and sources held in memory (bounded by maxKeys each). */
  get size(): { callers: number; sources: number } {
    return { callers: this.callers.size, sources: this.sources.size };
  }

  /** Milliseconds the caller must still wait as far as this process knows (a back-off the store told of), 0 when none. */
  retryAfter(caller: string): number {
    const c = this.callers.peek(caller);
    return c ? Math.max(0, c.blockedUntil - this.clock.now()) : 0;
  }

  /** The fast path: throws UMPIN_RATE_LIMITED, without a query, while a back-off the store told of lasts. */
  check(caller: string): void {
    const wait = this.retryAfter(caller);
    if (wait > 0) this.refuse(wait);
  }

  /** check(), then the store: throws UMPIN_RATE_LIMITED while the caller is backing off on any server. Counts nothing. */
  async checkShared(counters: LimitCounters, caller: string): Promise<void> {
    this.check(caller);
    const now = this.clock.now();
    const state = await counters.readLimit(TOLL_FRAUD_KIND, caller);
    if (state && state.blockedUntil > now) {
      this.remember(caller, state.blockedUntil, now);
      this.refuse(state.blockedUntil - now);
    }
  }

  /**
   * Counts one PIN check against the caller's back-off in the store, before the check runs:
   * refused (UMPIN_RATE_LIMITED) while the caller backs off, or while `failures` attempts of
   * its window are counted already (on any server, those running included). Settle the
   * returned slot once: failed() or forgive().
   */
  async reserve(counters: LimitCounters, caller: string): Promise<BackoffSlot> {
    const now = this.clock.now();
    const t = await takeLimit(counters, TOLL_FRAUD_KIND, caller, this.window, now);
    if (!t.allowed) {
      if (t.state && t.state.blockedUntil > now) this.remember(caller, t.state.blockedUntil, now);
      this.refuse(waitOf(t.state, this.window, now, PENDING_MS));
    }
    let settled = false;
    return {
      failed: async () => {
        if (settled) return;
        settled = true;
        const at = this.clock.now();
        const until = await counters.strikeLimit(TOLL_FRAUD_KIND, caller, this.backoff, at);
        if (until !== null) this.remember(caller, until, at);
      },
      forgive: async () => {
        if (settled) return;
        settled = true;
        await counters.returnLimit(TOLL_FRAUD_KIND, caller, false);
      },
    };
  }

  private refuse(waitMs: number): never {
    this.emit({ type: 'throttled' });
    throw rateLimited(waitMs);
  }

  private callerState(caller: string, now: number): CallerState {
    return this.callers.touch(caller, now, () => ({
      blockedUntil: 0,
      lastSeen: now,
      mailboxes: new Map(),
      reportedAt: null,
    }));
  }

  private remember(caller: string, blockedUntil: number, now: number): void {
    const c = this.callerState(caller, now);
    c.blockedUntil = Math.max(c.blockedUntil, blockedUntil);
  }

  /**
   * Admits one PIN check for the caller and the mailbox, or throws UMPIN_RATE_LIMITED when
   * either already has its share running. The returned function ends the check (call it once).
   */
  admit(keys: { caller: string; mailbox: string }): () => void {
    const o = this.options;
    const caller = `c|${keys.caller}`;
    const mailbox = `m|${keys.mailbox}`;
    if (
      (this.inflight.get(caller) ?? 0) >= o.inflightPerCaller ||
      (this.inflight.get(mailbox) ?? 0) >= o.inflightPerMailbox
    ) {
      this.emit({ type: 'throttled' });
      throw new UmpinError({ code: 'UMPIN_RATE_LIMITED', params: { retryAfter: 1 } });
    }
    for (const k of [caller, mailbox]) this.inflight.set(k, (this.inflight.get(k) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const k of [caller, mailbox]) {
        const n = (this.inflight.get(k) ?? 1) - 1;
        if (n <= 0) this.inflight.delete(k);
        else this.inflight.set(k, n);
      }
    };
  }

  /**
   * A failed logon, for both watches (the back-off counts it through reserve's slot).
   * Returns the alerts raised by this failure (each caller or source at most once per window).
   */
  recordFailure(f: { caller: string; source: string; mailbox: string }): TollFraudDetection[] {
    const now = this.clock.now();
    const o = this.options;
    const c = this.callerState(f.caller, now);
    const detections: TollFraudDetection[] = [];
    const byCaller = watch(c, f.mailbox, now, o.callerMailboxes, o.callerWindowMs);
    if (byCaller) detections.push({ kind: 'caller', key: f.caller, mailboxes: byCaller, windowMs: o.callerWindowMs });
    const s = this.sources.touch(f.source, now, () => ({ lastSeen: now, mailboxes: new Map(), reportedAt: null }));
    const bySource = watch(s, f.mailbox, now, o.sourceMailboxes, o.sourceWindowMs);
    if (bySource) detections.push({ kind: 'source', key: f.source, mailboxes: bySource, windowMs: o.sourceWindowMs });
    for (const d of detections) this.emit({ type: 'toll-fraud', kind: d.kind });
    return detections;
  }

  /** Subscribes to the guard's events; returns the unsubscribe function. */
  onEvent(listener: (e: VoiceEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: VoiceEvent): void {
    for (const l of this.listeners) l(e);
  }
}

/** Notes a failing mailbox; returns the count when it crosses the threshold and no alert was raised within the window. */
function watch(w: Watch, mailbox: string, now: number, threshold: number, windowMs: number): number | null {
  w.mailboxes.delete(mailbox);
  w.mailboxes.set(mailbox, now);
  for (const [k, at] of w.mailboxes) {
    if (at > now - windowMs && w.mailboxes.size <= threshold) break;
    w.mailboxes.delete(k);
  }
  if (w.mailboxes.size < threshold) return null;
  if (w.reportedAt !== null && now - w.reportedAt < windowMs) return null;
  w.reportedAt = now;
  return w.mailboxes.size;
}

const DURATION = /^([0-9]+)(ms|s|m|h)$/;
const UNIT: Record<string, number> = { ms: 1, s: 1000, m: MINUTE, h: 60 * MINUTE };

function duration(v: string, rule: string): number {
  const m = DURATION.exec(v.trim());
  if (!m || Number(m[1]) <= 0) throw invalidSpec(rule);
  return Number(m[1]) * UNIT[m[2]!]!;
}

function count(v: string, rule: string): number {
  if (!/^[0-9]{1,6}$/.test(v.trim()) || Number(v) <= 0) throw invalidSpec(rule);
  return Number(v);
}

function invalidSpec(rule: string): UmpinError {
  return new UmpinError({
    code: 'UMPIN_VALUE_INVALID',
    field: 'UMPIN_TOLL_FRAUD',
    params: { field: 'UMPIN_TOLL_FRAUD', rule },
  });
}

/**
 * Reads UMPIN_TOLL_FRAUD: comma-separated settings, any of
 * failures=N/DURATION, backoff=DURATION..DURATION, caller=N/DURATION, source=N/DURATION,
 * keys=N, inflight=N/N (per caller / per mailbox) (durations as 30s, 10m, 1h). Unset settings keep their defaults.
 */
export function parseTollFraudOptions(spec: string | undefined): TollFraudOptions {
  const o: TollFraudOptions = { ...DEFAULT_TOLL_FRAUD };
  if (!spec?.trim()) return o;
  const example = 'settings such as failures=10/10m,backoff=1m..1h,caller=5/1h,source=25/10m,inflight=2/2';
  for (const part of spec.split(',')) {
    const [name, value, ...rest] = part.split('=').map((x) => x.trim());
    if (!name || value === undefined || rest.length > 0) throw invalidSpec(example);
    const [a = '', b = ''] = value.split(name === 'backoff' ? '..' : '/');
    switch (name) {
      case 'failures':
        [o.failures, o.failureWindowMs] = [count(a, example), duration(b, example)];
        break;
      case 'backoff':
        [o.backoffMs, o.maxBackoffMs] = [duration(a, example), duration(b, example)];
        if (o.maxBackoffMs < o.backoffMs) throw invalidSpec('the longest back-off must not be shorter than the first');
        break;
      case 'caller':
        [o.callerMailboxes, o.callerWindowMs] = [count(a, example), duration(b, example)];
        break;
      case 'source':
        [o.sourceMailboxes, o.sourceWindowMs] = [count(a, example), duration(b, example)];
        break;
      case 'keys':
        o.maxKeys = count(a, example);
        break;
      case 'inflight':
        [o.inflightPerCaller, o.inflightPerMailbox] = [count(a, example), count(b, example)];
        break;
      default:
        throw invalidSpec(example);
    }
  }
  return o;
}

/** How a caller named the mailbox, as far as the guard's keys go. */
export interface CallerLocator {
  extension?: string;
  callerId?: string;
  dialPlan?: string;
}

const digits = (s: string): string => s.replace(/[^0-9]/g, '');

/** Who is calling, for the back-off: the calling number, or else the extension tried (never the gateway). */
export function callerKey(loc: CallerLocator): string {
  if (loc.callerId !== undefined && digits(loc.callerId) !== '') return `caller:${digits(loc.callerId)}`;
  return `extension:${loc.dialPlan ? `${loc.dialPlan}/` : ''}${digits(loc.extension ?? '')}`;
}

/**
 * The gateway a call came through: the API token and the PBX's address, or — on umpin's own
 * SIP endpoint, whose actor is the gateway (`sip-gateway:<address>`) and whose source is the
 * calling number (`sip:<caller>`) — the actor alone, so one gateway's failures on many
 * mailboxes add up whoever calls.
 */
export function gatewayKey(actor: Actor): string {
  if (!actor.source || actor.source.startsWith('sip:')) return actor.name;
  return `${actor.name}@${actor.source}`;
}

/** The keys a failed attempt counts under: the caller; the mailbox tried, as the caller named it (an unknown extension counts too: that is how a scan looks); the gateway it came through (its actor and address). */
export function failureKeys(loc: CallerLocator, actor: Actor): { caller: string; source: string; mailbox: string } {
  return {
    caller: callerKey(loc),
    source: gatewayKey(actor),
    mailbox:
      loc.extension !== undefined
        ? `${loc.dialPlan ?? ''}/${digits(loc.extension)}`
        : `caller:${digits(loc.callerId ?? '')}`,
  };
}
