/**
 * The transaction state machines of RFC 3261 §17 with a short T1 (10 ms) on a fake clock, over a flow that
 * records what would go on the wire: retransmissions by Timer G and E, giving up by H, L and
 * F, absorbing by I and J, and no retransmissions on reliable transports.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildResponse } from '../message/response-builder.js';
import { parseMessage } from '../message/parse-message.js';
import type { SipMessage, SipRequest } from '../message/sip-message.js';
import type { Flow, Inbound } from '../transport/flow.js';
import { SILENT_LOGGER } from '../transport/flow.js';
import type { InviteServerTransaction } from './invite-server-transaction.js';
import type { ServerTransaction } from './server-transaction.js';
import type { TimerValues } from './timers.js';
import { TransactionLayer } from './transaction-layer.js';

const T: TimerValues = { t1: 10, t2: 40, t4: 50 };
// the timers run on a fake clock: a busy machine cannot make a retransmission late
const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function recordingFlow(reliable: boolean): Flow & { sent: SipMessage[] } {
  const sent: SipMessage[] = [];
  return {
    sent,
    transport: reliable ? 'tcp' : 'udp',
    reliable,
    remoteAddress: '127.0.0.1',
    remotePort: 5062,
    listenPort: 5060,
    localAddress: async () => '127.0.0.1',
    send: (m) => void sent.push(m),
    isOpen: () => true,
    hold: () => () => undefined,
  };
}

function request(method: string, branch: string, extra = ''): SipRequest {
  const text =
    `${method} sip:8000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5062;branch=${branch}\r\n` +
    `From: <sip:a@127.0.0.1>;tag=f1\r\nTo: <sip:8000@127.0.0.1>${extra}\r\nCall-ID: c1\r\n` +
    `CSeq: 1 ${method}\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`;
  const r = parseMessage(Buffer.from(text));
  if (!r.ok || r.message.kind !== 'request') throw new Error('bad test message');
  return r.message;
}

function statuses(flow: { sent: SipMessage[] }): (number | string)[] {
  return flow.sent.map((m) => (m.kind === 'response' ? m.status : m.method));
}

function layer(seen: { invites: InviteServerTransaction[]; others: ServerTransaction[]; acks: number; noAck: number }) {
  return new TransactionLayer(T, SILENT_LOGGER, {
    onInvite: (tx) => void seen.invites.push(tx),
    onCancel: (tx) => void seen.others.push(tx),
    onAck: () => void seen.acks++,
    onRequest: (tx) => void seen.others.push(tx),
    onNoAck: () => void seen.noAck++,
  });
}

const fresh = () => ({
  invites: [] as InviteServerTransaction[],
  others: [] as ServerTransaction[],
  acks: 0,
  noAck: 0,
});

describe('the INVITE server transaction', () => {
  it('sends 100 Trying at once and answers a retransmitted INVITE without a new transaction', () => {
    const seen = fresh();
    const txs = layer(seen);
    const flow = recordingFlow(false);
    const invite = request('INVITE', 'z9hG4bKa');
    txs.receive({ message: invite, flow } satisfies Inbound);
    txs.receive({ message: invite, flow });
    expect(seen.invites).toHaveLength(1);
    expect(statuses(flow)).toEqual([100, 100]);
    txs.dispose();
  });

  it('retransmits a 486 on UDP by Timer G until the ACK, which it absorbs', async () => {
    const seen = fresh();
    const txs = layer(seen);
    const flow = recordingFlow(false);
    const invite = request('INVITE', 'z9hG4bKb');
    txs.receive({ message: invite, flow });
    seen.invites[0]!.respond(buildResponse(invite, 486, { toTag: 't' }));
    await sleep(75); // sends at 0, 10, 30, 70 ms
    const before = statuses(flow).filter((s) => s === 486).length;
    expect(before).toBeGreaterThanOrEqual(3);
    txs.receive({ message: request('ACK', 'z9hG4bKb', ';tag=t'), flow });
    expect(seen.invites[0]!.state).toBe('confirmed');
    await sleep(60);
    expect(statuses(flow).filter((s) => s === 486).length).toBeLessThanOrEqual(before + 1);
    expect(seen.acks).toBe(0);
    expect(seen.invites[0]!.state).toBe('terminated');
  });

  it('gives up on a lost ACK by Timer H (64·T1)', async () => {
    const seen = fresh();
    const txs = layer(seen);
    const flow = recordingFlow(false);
    const invite = request('INVITE', 'z9hG4bKc');
    txs.receive({ message: invite, flow });
    seen.invites[0]!.respond(buildResponse(invite, 480, { toTag: 't' }));
    await sleep(64 * T.t1 + 60);
    expect(seen.invites[0]!.state).toBe('terminated');
    const count = flow.sent.length;
    await sleep(60);
    expect(flow.sent.length).toBe(count);
  });

  it('retransmits nothing on a reliable transport', async () => {
    const seen = fresh();
    const txs = layer(seen);
    const flow = recordingFlow(true);
    const invite = request('INVITE', 'z9hG4bKd');
    txs.receive({ message: invite, flow });
    seen.invites[0]!.respond(buildResponse(invite, 486, { toTag: 't' }));
    await sleep(60);
    expect(statuses(flow)).toEqual([100, 486]);
    txs.receive({ message: request('ACK', 'z9hG4bKd', ';tag=t'), flow });
    await sleep(5);
    expect(seen.invites[0]!.state).toBe('terminated');
  });

  it('retransmits a 2xx on UDP until the user agent reports its ACK', async () => {
    const seen = fresh();
    const txs = layer(seen);
    const flow = recordingFlow(false);
    const invite = request('INVITE', 'z9hG4bKe');
    txs.receive({ message: invite, flow });
    const tx = seen.invites[0]!;
    tx.respond(buildResponse(invite, 200, { toTag: 't' }));
    await sleep(35);
    expect(statuses(flow).filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
    // the ACK of a 2xx has a branch of its own: it goes to the user agent
    txs.receive({ message: request('ACK', 'z9hG4bKother', ';tag=t'), flow });
    expect(seen.acks).toBe(1);
    tx.acknowledged();
    const count = flow.sent.length;
    await sleep(60);
    expect(flow.sent.length).toBe(count);
    // a late copy of the INVITE is still absorbed, not a new call
    txs.receive({ message: invite, flow });
    expect(seen.invites).toHaveLength(1);
    await sleep(64 * T.t1);
    expect(seen.noAck).toBe(0);
    expect(tx.state).toBe('terminated');
  });

  it('reports a 2xx never acknowledged by Timer L (64·T1)', async () => {
    const seen = fresh();
    const txs = layer(seen);
    const flow = recordingFlow(false);
    const invite = request('INVITE', 'z9hG4bKf');
    txs.receive({ message: invite, flow });
    seen.invites[0]!.respond(buildResponse(invite, 200, { toTag: 't' }));
    await sleep(64 * T.t1 + 60);
    expect(seen.noAck).toBe(1);
    expect(seen.invites[0]!.state).toBe('terminated');
  });

  it('hands a CANCEL up with the INVITE it names', () => {
    const seen = fresh();
    let cancelled: InviteServerTransaction | undefined;
    const txs = new TransactionLayer(T, SILENT_LOGGER, {
      onInvite: (tx) => void seen.invites.push(tx),
      onCancel: (_tx, invite) => {
        cancelled = invite;
      },
      onAck: () => undefined,
      onRequest: () => undefined,
      onNoAck: () => undefined,
    });
    const flow = recordingFlow(false);
    txs.receive({ message: request('INVITE', 'z9hG4bKg'), flow });
    txs.receive({ message: request('CANCEL', 'z9hG4bKg'), flow });
    expect(cancelled).toBe(seen.invites[0]);
    txs.dispose();
  });
});

describe('the non-INVITE server transaction', () => {
  it('answers a retransmission with its final response until Timer J, then forgets it', async () => {
    const seen = fresh();
    const txs = layer(seen);
    const flow = recordingFlow(false);
    const bye = request('BYE', 'z9hG4bKh');
    txs.receive({ message: bye, flow });
    seen.others[0]!.respond(buildResponse(bye, 200));
    txs.receive({ message: bye, flow });
    expect(statuses(flow)).toEqual([200, 200]);
    expect(seen.others).toHaveLength(1);
    await sleep(64 * T.t1 + 60);
    txs.receive({ message: bye, flow });
    // after Timer J the same branch is a new transaction
    expect(seen.others).toHaveLength(2);
    txs.dispose();
  });

  it('absorbs a retransmission silently while the user agent has not answered', () => {
    const seen = fresh();
    const txs = layer(seen);
    const flow = recordingFlow(false);
    const options = request('OPTIONS', 'z9hG4bKi');
    txs.receive({ message: options, flow });
    txs.receive({ message: options, flow });
    expect(flow.sent).toHaveLength(0);
    expect(seen.others).toHaveLength(1);
    txs.dispose();
  });
});

describe('the non-INVITE client transaction', () => {
  it('retransmits on UDP by Timer E and resolves with the final response', async () => {
    const txs = layer(fresh());
    const flow = recordingFlow(false);
    const bye = request('BYE', 'z9hG4bKj');
    const outcome = txs.request(bye, flow);
    await sleep(35);
    expect(flow.sent.length).toBeGreaterThanOrEqual(3);
    txs.receive({ message: buildResponse(bye, 200, { toTag: 'x' }), flow });
    const r = await outcome;
    expect(r.kind === 'response' && r.response.status).toBe(200);
  });

  it('gives up by Timer F (64·T1) when nothing answers', async () => {
    const txs = layer(fresh());
    const flow = recordingFlow(false);
    const outcome = txs.request(request('BYE', 'z9hG4bKk'), flow);
    await sleep(64 * T.t1 + 10);
    const r = await outcome;
    expect(r.kind).toBe('timeout');
    // T1 doubling to T2: 0, 10, 30, 70, then every 40 ms up to 640 ms
    expect(flow.sent.length).toBeGreaterThanOrEqual(10);
    expect(flow.sent.length).toBeLessThanOrEqual(20);
  });

  it('sends once on a reliable transport', async () => {
    const txs = layer(fresh());
    const flow = recordingFlow(true);
    const bye = request('BYE', 'z9hG4bKl');
    const outcome = txs.request(bye, flow);
    await sleep(60);
    expect(flow.sent).toHaveLength(1);
    txs.receive({ message: buildResponse(bye, 481, { toTag: 'x' }), flow });
    const r = await outcome;
    expect(r.kind === 'response' && r.response.status).toBe(481);
  });
});

describe('the transaction table', () => {
  it('answers 503 without a transaction once it is full', () => {
    const seen = fresh();
    const txs = new TransactionLayer(
      T,
      SILENT_LOGGER,
      {
        onInvite: (tx) => void seen.invites.push(tx),
        onCancel: () => undefined,
        onAck: () => undefined,
        onRequest: (tx) => void seen.others.push(tx),
        onNoAck: () => undefined,
      },
      2,
    );
    const flow = recordingFlow(false);
    for (const b of ['z9hG4bKm1', 'z9hG4bKm2', 'z9hG4bKm3']) txs.receive({ message: request('OPTIONS', b), flow });
    expect(seen.others).toHaveLength(2);
    expect(statuses(flow)).toEqual([503]);
    txs.dispose();
  });
});
