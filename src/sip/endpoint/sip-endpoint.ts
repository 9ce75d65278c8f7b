/**
 * The user agent server of umpin's voice access (RFC 3261 §8.2, §13.3, §15): it listens on the
 * configured transports, runs requests through the transaction layer, and answers INVITEs
 * from trusted gateways by negotiating G.711 audio (SRTP required over TLS), opening media
 * and handing the established call to the voice dialogue. Layers as SIP.js has them:
 * transports (transport/) → transactions (transaction/) → dialogs (dialog/) → this core.
 *
 * Refusals, in the order checked: untrusted source 403 (stateless, before any transaction; a
 * warn line names the address, at most once a minute per address), Max-Forwards 0 on an INVITE 483, an unknown Require 420,
 * a body that is not SDP 415, too many calls 503, an offer we cannot take 488 with a Warning.
 * An INVITE without a body (a delayed offer) gets our offer in the 200; an ACK whose answer
 * we cannot take ends the call with BYE.
 * Requests in a dialog we do not have: 481. Methods we know but do not take: 405 with Allow;
 * methods we do not know: 501. Nothing here logs a message body.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Call, MediaSessions } from '../call-media.js';
import { Dialog } from '../dialog/dialog.js';
import { parseCSeq } from '../message/cseq.js';
import { tagOf } from '../message/name-addr.js';
import { buildResponse } from '../message/response-builder.js';
import type { SipRequest } from '../message/sip-message.js';
import { type RequestEssentials, validateRequest } from '../message/validate-request.js';
import type { AcceptableAudio } from '../sdp/audio-offer.js';
import { readAnswer, writeOffer } from '../sdp/delayed-offer.js';
import { negotiateAnswer } from '../sdp/negotiate-answer.js';
import type { InviteServerTransaction } from '../transaction/invite-server-transaction.js';
import type { ClientOutcome } from '../transaction/non-invite-client-transaction.js';
import type { ServerTransaction } from '../transaction/server-transaction.js';
import { DEFAULT_TIMERS, type TimerValues } from '../transaction/timers.js';
import { TransactionLayer } from '../transaction/transaction-layer.js';
import { type Flow, type Inbound, SILENT_LOGGER, type SipLogger } from '../transport/flow.js';
import { StreamTransport } from '../transport/stream-transport.js';
import { DEFAULT_TRANSPORT_LIMITS } from '../transport/transport-limits.js';
import { UdpTransport } from '../transport/udp-transport.js';
import { callerIdOf, dialledOf } from './caller-identity.js';
import type { SipEndpointOptions } from './endpoint-options.js';
import { ServerCall } from './server-call.js';
import { ALLOW_HEADER, isAllowedMethod, isKnownMethod } from './sip-methods.js';
import { TrustedSources } from './trusted-sources.js';

export type CallHandler = (call: Call) => Promise<void>;

type Extra = readonly (readonly [string, string])[];

const SERVER = 'umpin';

export class SipEndpoint {
  readonly #options: SipEndpointOptions;
  readonly #media: MediaSessions;
  readonly #handler: CallHandler;
  readonly #log: SipLogger;
  readonly #timers: TimerValues;
  readonly #trusted: TrustedSources;
  readonly #transactions: TransactionLayer;
  readonly #calls = new Map<string, ServerCall>();
  readonly #warnedAt = new Map<string, number>();
  #udp: UdpTransport | null = null;
  #tcp: StreamTransport | null = null;
  #tls: StreamTransport | null = null;

  constructor(options: SipEndpointOptions, media: MediaSessions, handler: CallHandler) {
    this.#options = options;
    this.#media = media;
    this.#handler = handler;
    this.#log = options.log ?? SILENT_LOGGER;
    this.#timers = options.timers ?? DEFAULT_TIMERS;
    this.#trusted = new TrustedSources(options.trusted);
    this.#transactions = new TransactionLayer(this.#timers, this.#log, {
      onInvite: (tx) => this.#guard(tx.request, tx, () => this.#onInvite(tx)),
      onCancel: (tx, invite) => this.#guard(tx.request, tx, () => this.#onCancel(tx, invite)),
      onAck: (request) => this.#guard(request, null, () => this.#onAck(request)),
      onRequest: (tx) => this.#guard(tx.request, tx, () => this.#onRequest(tx)),
      onNoAck: (tx) => this.#onNoAck(tx),
    });
  }

  /** Calls in progress (answered or established). */
  get activeCalls(): number {
    return this.#calls.size;
  }

  /** The ports actually bound (useful when 0 asked the system for one). */
  get ports(): { udp: number | null; tcp: number | null; tls: number | null } {
    return { udp: this.#udp?.port ?? null, tcp: this.#tcp?.port ?? null, tls: this.#tls?.port ?? null };
  }

  async start(): Promise<void> {
    const o = this.#options;
    const limits = o.limits ?? DEFAULT_TRANSPORT_LIMITS;
    const deliver = (inbound: Inbound) => this.#receive(inbound);
    try {
      if (o.udpPort !== null) {
        this.#udp = new UdpTransport({ host: o.host, port: o.udpPort, limits, log: this.#log, deliver });
        await this.#udp.listen();
      }
      if (o.tcpPort !== null) {
        this.#tcp = new StreamTransport({
          kind: 'tcp',
          host: o.host,
          port: o.tcpPort,
          limits,
          log: this.#log,
          deliver,
        });
        await this.#tcp.listen();
      }
      if (o.tlsPort !== null) {
        if (o.tls === undefined) throw new Error('SIP over TLS needs a certificate and key');
        this.#tls = new StreamTransport({
          kind: 'tls',
          host: o.host,
          port: o.tlsPort,
          limits,
          log: this.#log,
          deliver,
          tls: { cert: o.tls.cert, key: o.tls.key },
          ...(o.tls.ca === undefined ? {} : { peerCa: o.tls.ca }),
        });
        await this.#tls.listen();
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.#log.info({ host: o.host, ...this.ports, trusted: this.#trusted.entries }, 'SIP endpoint listening');
  }

  /** Hangs up every call (BYE, briefly awaited), ends the transactions and closes the transports. */
  async stop(): Promise<void> {
    const calls = [...this.#calls.values()];
    await Promise.race([
      Promise.all(calls.map((c) => (c.state === 'established' ? c.hangUp() : c.end('local-hangup')))),
      new Promise((r) => setTimeout(r, 1000).unref()),
    ]);
    this.#transactions.dispose();
    await Promise.all([this.#udp?.close(), this.#tcp?.close(), this.#tls?.close()]);
    this.#udp = this.#tcp = this.#tls = null;
  }

  #receive(inbound: Inbound): void {
    try {
      const m = inbound.message;
      // strangers are answered statelessly: they cost no transaction, so a flood of them holds no memory
      if (m.kind === 'request' && !this.#trustedSource(m, inbound.flow)) {
        if (m.method !== 'ACK')
          inbound.flow.send(buildResponse(m, 403, { toTag: randomTag(), headers: [['Server', SERVER]] }));
        return;
      }
      this.#transactions.receive(inbound);
    } catch (err) {
      this.#log.error({ transport: inbound.flow.transport, err: (err as Error).message }, 'SIP message failed');
    }
  }

  /** Runs a handler so that nothing it throws, sync or async, escapes; a request left unanswered gets 500. */
  #guard(request: SipRequest, tx: ServerTransaction | null, run: () => void | Promise<void>): void {
    const fail = (err: unknown) => {
      this.#log.error(
        { method: request.method.slice(0, 20), remote: tx?.flow.remoteAddress, err: (err as Error)?.message },
        'SIP request failed',
      );
      if (tx !== null && !tx.answered) this.#respond(tx, 500);
    };
    // a transaction left without a final answer would live for ever: answer it 500
    const settle = () => {
      if (tx !== null && !tx.answered) {
        this.#log.error({ method: request.method.slice(0, 20) }, 'SIP request left unanswered');
        this.#respond(tx, 500);
      }
    };
    try {
      const r = run();
      if (r instanceof Promise) r.then(settle, fail);
      else settle();
    } catch (err) {
      fail(err);
    }
  }

  #essentials(request: SipRequest): RequestEssentials | null {
    const v = validateRequest(request);
    return v.ok ? v.essentials : null;
  }

  #trustedSource(request: SipRequest, flow: Flow): boolean {
    if (this.#trusted.has(flow.remoteAddress)) return true;
    const now = Date.now();
    const last = this.#warnedAt.get(flow.remoteAddress) ?? 0;
    if (now - last > 60_000) {
      if (this.#warnedAt.size > 10_000) this.#warnedAt.clear();
      this.#warnedAt.set(flow.remoteAddress, now);
      this.#log.warn(
        { remote: flow.remoteAddress, transport: flow.transport, method: request.method.slice(0, 20) },
        `SIP request from untrusted address ${flow.remoteAddress} refused (403); add it to UMPIN_SIP_TRUSTED if it is a gateway`,
      );
    }
    return false;
  }

  #respond(
    tx: ServerTransaction,
    status: number,
    extra: { headers?: Extra; reason?: string; toTag?: string } = {},
  ): void {
    tx.respond(
      buildResponse(tx.request, status, {
        reason: extra.reason,
        toTag: extra.toTag ?? (status > 100 ? randomTag() : undefined),
        headers: [['Server', SERVER], ...(extra.headers ?? [])],
      }),
    );
  }

  #callOf(essentials: RequestEssentials): ServerCall | undefined {
    const toTag = tagOf(essentials.to);
    if (toTag === null) return undefined;
    const call = this.#calls.get(`${essentials.callId}|${toTag}`);
    return call?.dialog.matches(essentials.callId, toTag, tagOf(essentials.from)) ? call : undefined;
  }

  async #onInvite(tx: InviteServerTransaction): Promise<void> {
    const request = tx.request;
    const essentials = this.#essentials(request);
    if (essentials === null) return;
    if (tagOf(essentials.to) !== null) return this.#onReinvite(tx, essentials);
    if (essentials.maxForwards === 0) return this.#respond(tx, 483);
    const require = request.headers.values('require');
    if (require.length > 0) return this.#respond(tx, 420, { headers: [['Unsupported', require.join(', ')]] });
    const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (request.body.length > 0 && type !== 'application/sdp') {
      return this.#respond(tx, 415, { headers: [['Accept', 'application/sdp']] });
    }
    if (this.#calls.size >= (this.#options.maxCalls ?? 500)) {
      return this.#respond(tx, 503, { headers: [['Retry-After', '30']] });
    }
    // no body: a delayed offer — our offer goes in the 200, the caller's answer comes in the ACK
    const offer = request.body.length === 0 ? null : request.body.toString('utf8');
    const requireSrtp = tx.flow.transport === 'tls';
    const secure = requireSrtp || (offer !== null && /RTP\/SAVP\b/.test(offer));
    const pending = await this.#media.allocate({ secure });
    if (tx.answered) {
      // cancelled (487 already sent) while the port was being found
      pending.release();
      return;
    }
    let released = false;
    try {
      const address = await tx.flow.localAddress();
      const contact = await this.#contact(tx.flow);
      // from here to the 200 nothing awaits, so a CANCEL cannot slip in between the check and the answer
      const sessionId = String(randomInt(1, 2 ** 31));
      const local = {
        address,
        port: pending.localPort,
        sessionId,
        sessionVersion: 1,
        ...(pending.localKey === null ? {} : { srtpKey: pending.localKey }),
      };
      let audio: AcceptableAudio | null = null;
      let body: string;
      if (offer === null) body = writeOffer(local);
      else {
        const negotiation = negotiateAnswer(offer, { ...local, requireSrtp });
        if (!negotiation.ok) {
          pending.release();
          released = true;
          return this.#refuseOffer(tx, negotiation.reason);
        }
        audio = negotiation.audio;
        body = negotiation.answer;
      }
      if (tx.answered) {
        pending.release();
        released = true;
        return;
      }
      const localTag = randomTag();
      const dialog = new Dialog(essentials, request, localTag, tx.flow.transport);
      const key = `${dialog.callId}|${localTag}`;
      const call: ServerCall = new ServerCall({
        dialog,
        flow: tx.flow,
        callerId: callerIdOf(request, essentials),
        dialled: dialledOf(essentials),
        pending,
        audio,
        answer: body,
        sessionId,
        invite: tx,
        secure,
        wiring: {
          log: this.#log,
          forget: () => {
            if (this.#calls.get(key) === call) this.#calls.delete(key);
          },
          send: (method, extra) => this.#sendInDialog(call, method, extra),
        },
      });
      released = true;
      this.#calls.set(key, call);
      tx.respond(
        buildResponse(request, 200, {
          toTag: localTag,
          headers: [
            ['Contact', contact],
            ['Allow', ALLOW_HEADER],
            ['Server', SERVER],
          ],
          body: Buffer.from(body),
          contentType: 'application/sdp',
        }),
      );
      this.#log.info(
        {
          callId: dialog.callId,
          transport: tx.flow.transport,
          remote: tx.flow.remoteAddress,
          ...(audio === null
            ? { delayedOffer: true, srtp: secure }
            : {
                codec: audio.codec.name,
                srtp: audio.profile === 'RTP/SAVP',
                telephoneEvent: audio.telephoneEvent !== null,
              }),
        },
        'SIP call answered',
      );
    } finally {
      if (!released) pending.release();
    }
  }

  #refuseOffer(tx: InviteServerTransaction, reason: string): void {
    const code = reason === 'no-common-codec' ? 305 : reason === 'unparseable' ? 399 : 304;
    this.#log.info({ remote: tx.flow.remoteAddress, reason }, 'SIP offer refused (488)');
    this.#respond(tx, 488, { headers: [['Warning', `${code} ${SERVER} "${reason}"`]] });
  }

  async #onReinvite(tx: InviteServerTransaction, essentials: RequestEssentials): Promise<void> {
    const call = this.#callOf(essentials);
    if (call === undefined) return this.#respond(tx, 481);
    if (!call.dialog.acceptSequence(essentials.cseq.seq))
      return this.#respond(tx, 500, { headers: [['Retry-After', '1']] });
    if (call.state !== 'established' || call.reinviting || call.awaitingAck !== null) {
      return this.#respond(tx, 491, { toTag: call.dialog.localTag });
    }
    call.reinviting = true;
    try {
      await this.#answerReinvite(tx, essentials, call);
    } finally {
      call.reinviting = false;
    }
  }

  async #answerReinvite(tx: InviteServerTransaction, essentials: RequestEssentials, call: ServerCall): Promise<void> {
    const toTag = call.dialog.localTag;
    const request = tx.request;
    let answer = call.lastAnswer;
    // an offerless re-INVITE (a session refresh) gets our current description as the offer
    if (request.body.length > 0) {
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/sdp')
        return this.#respond(tx, 415, { toTag, headers: [['Accept', 'application/sdp']] });
      const negotiation = negotiateAnswer(request.body.toString('utf8'), {
        address: await tx.flow.localAddress(),
        port: call.media.localPort,
        sessionId: call.sessionId,
        sessionVersion: call.sessionVersion + 1,
        requireSrtp: call.transport === 'tls',
        ...(call.media.localKey === null ? {} : { srtpKey: call.media.localKey }),
      });
      if (!negotiation.ok) {
        this.#log.info({ callId: call.callId, reason: negotiation.reason }, 'SIP re-INVITE refused (488)');
        return this.#respond(tx, 488, { toTag, headers: [['Warning', `304 ${SERVER} "${negotiation.reason}"`]] });
      }
      call.sessionVersion++;
      call.lastAnswer = negotiation.answer;
      answer = negotiation.answer;
      call.updateMedia(negotiation.audio);
      this.#log.info(
        { callId: call.callId, direction: negotiation.audio.direction, codec: negotiation.audio.codec.name },
        'SIP call media changed',
      );
    }
    const contact = await this.#contact(tx.flow);
    // the call ended (a BYE) while this was being answered
    if (call.state !== 'established') return this.#respond(tx, 481, { toTag });
    call.dialog.refreshTarget(essentials);
    call.awaitingAck = tx;
    tx.respond(
      buildResponse(request, 200, {
        toTag,
        headers: [
          ['Contact', contact],
          ['Allow', ALLOW_HEADER],
          ['Server', SERVER],
        ],
        body: Buffer.from(answer),
        contentType: 'application/sdp',
      }),
    );
  }

  #onAck(request: SipRequest): void {
    const essentials = this.#essentials(request);
    if (essentials === null) return;
    const call = this.#callOf(essentials);
    if (call === undefined || call.awaitingAck === null) return;
    // the ACK of our 2xx carries the INVITE's CSeq number
    if (essentials.cseq.seq !== parseCSeq(call.awaitingAck.request.headers.get('cseq') ?? '')?.seq) return;
    const tx = call.awaitingAck;
    call.awaitingAck = null;
    tx.acknowledged();
    if (call.state !== 'answered') return;
    let answer: AcceptableAudio | undefined;
    if (call.awaitingAnswer) {
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const reading =
        request.body.length > 0 && type !== 'application/sdp'
          ? ({ ok: false, reason: 'not-sdp' } as const)
          : readAnswer(request.body.toString('utf8'), call.secure);
      if (!reading.ok) {
        // without an answer we can take the session has no media: end it, as §13.2.2.4 has a UAC do
        this.#log.info({ callId: call.callId, reason: reading.reason }, 'SIP answer in the ACK refused: call ended');
        void this.#sendInDialog(call, 'BYE');
        void call.end('error');
        return;
      }
      answer = reading.audio;
    }
    if (!call.establish(this.#options.maxCallMs, answer)) return;
    this.#log.info({ callId: call.callId }, 'SIP call established');
    void Promise.resolve()
      .then(() => this.#handler(call))
      .then(
        () => call.hangUp(),
        async (err: unknown) => {
          this.#log.error({ callId: call.callId, err: (err as Error)?.message }, 'voice dialogue failed');
          if (call.state === 'established') {
            void this.#sendInDialog(call, 'BYE');
            await call.end('error');
          }
        },
      );
  }

  #onNoAck(tx: InviteServerTransaction): void {
    for (const call of this.#calls.values()) {
      if (call.awaitingAck !== tx) continue;
      call.awaitingAck = null;
      this.#log.info({ callId: call.callId }, 'SIP 2xx never acknowledged: call ended with BYE');
      void this.#sendInDialog(call, 'BYE');
      void call.end('error');
      return;
    }
  }

  #onCancel(tx: ServerTransaction, invite: InviteServerTransaction | undefined) {
    if (invite === undefined) return this.#respond(tx, 481);
    // §9.2: the CANCEL is answered 200 whatever state the INVITE is in; only a pending one is ended
    const answered = invite.answered;
    const toTag = randomTag();
    this.#respond(tx, 200, { toTag });
    if (answered) return;
    this.#respond(invite, 487, { toTag });
    this.#log.info({ remote: tx.flow.remoteAddress }, 'SIP call cancelled before the answer');
  }

  #onRequest(tx: ServerTransaction) {
    const request = tx.request;
    const essentials = this.#essentials(request);
    if (essentials === null) return;
    const method = request.method;
    const inDialog = tagOf(essentials.to) !== null;
    if (!isKnownMethod(method)) return this.#respond(tx, 501, { headers: [['Allow', ALLOW_HEADER]] });
    if (!isAllowedMethod(method)) return this.#respond(tx, 405, { headers: [['Allow', ALLOW_HEADER]] });
    if (method === 'OPTIONS' && !inDialog) return this.#respondOptions(tx);
    if (!inDialog) {
      // BYE, INFO, NOTIFY need a dialog
      return this.#respond(tx, 481);
    }
    const call = this.#callOf(essentials);
    if (call === undefined) return this.#respond(tx, 481);
    const toTag = call.dialog.localTag;
    if (!call.dialog.acceptSequence(essentials.cseq.seq))
      return this.#respond(tx, 500, { toTag, headers: [['Retry-After', '1']] });
    switch (method) {
      case 'BYE':
        this.#respond(tx, 200, { toTag });
        void call.end('caller-hangup');
        return;
      case 'OPTIONS':
        return this.#respondOptions(tx, toTag);
      case 'NOTIFY':
        // the progress of a transfer we asked for: acknowledged, and its final status ends the transfer's wait
        this.#respond(tx, 200, { toTag });
        call.referNotified(request.headers.get('Event'), request.body);
        return;
      default:
        // INFO (no DTMF over INFO) is taken and acknowledged
        return this.#respond(tx, 200, { toTag });
    }
  }

  #respondOptions(tx: ServerTransaction, toTag?: string): void {
    this.#respond(tx, 200, {
      ...(toTag === undefined ? {} : { toTag }),
      headers: [
        ['Allow', ALLOW_HEADER],
        ['Accept', 'application/sdp'],
        ['Accept-Language', 'en, zh-TW'],
      ],
    });
  }

  async #contact(flow: Flow): Promise<string> {
    const address = await flow.localAddress();
    const host = address.includes(':') ? `[${address}]` : address;
    return `<sip:umpin@${host}:${flow.listenPort};transport=${flow.transport}>`;
  }

  async #sendInDialog(call: ServerCall, method: string, extra: { headers?: Extra } = {}): Promise<ClientOutcome> {
    try {
      const flow = this.#flowFor(call);
      if (flow === null) return { kind: 'timeout' };
      const address = await flow.localAddress();
      const request = call.dialog.createRequest(
        method,
        { address, port: flow.listenPort, contact: await this.#contact(flow) },
        extra,
      );
      return await this.#transactions.request(request, flow);
    } catch (err) {
      this.#log.warn({ callId: call.callId, method, err: (err as Error).message }, 'SIP request not sent');
      return { kind: 'timeout' };
    }
  }

  /** The flow for a request of ours in a dialog: the same connection while it lives, else the next hop. */
  #flowFor(call: ServerCall): Flow | null {
    if (call.flow.reliable && call.flow.isOpen()) return call.flow;
    const hop = call.dialog.nextHop();
    if (hop === null) return null;
    if (call.transport === 'udp') return this.#udp?.flowTo(hop.host, hop.port) ?? null;
    const stream = call.transport === 'tls' ? this.#tls : this.#tcp;
    return stream?.connectTo(hop.host, hop.port) ?? null;
  }
}

function randomTag(): string {
  return randomBytes(8).toString('hex');
}
