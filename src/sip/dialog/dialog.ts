/**
 * A dialog as the UAS that accepted an INVITE holds it (RFC 3261 §12.1.1): its id (Call-ID,
 * our To tag, the caller's From tag), the caller's URI and ours, the remote target (the
 * INVITE's Contact, replaced by a target refresh), the route set (Record-Route as received)
 * and both CSeq counters. It builds the requests we send inside it (§12.2.1.1: BYE, REFER)
 * and checks the order of those it receives (§12.2.2: a lower CSeq is answered 500).
 */
import { randomInt } from 'node:crypto';
import { parseNameAddr, type NameAddr } from '../message/name-addr.js';
import { SipHeaders } from '../message/sip-headers.js';
import type { SipRequest } from '../message/sip-message.js';
import { parseSipUri, type SipUri } from '../message/sip-uri.js';
import type { RequestEssentials } from '../message/validate-request.js';
import { newBranch } from '../transaction/transaction-layer.js';
import type { TransportKind } from '../transport/flow.js';

export interface NextHop {
  readonly host: string;
  readonly port: number;
}

export class Dialog {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string | null;
  /** Our side: the INVITE's To (without a tag); the caller's: its From. */
  readonly localAddress: NameAddr;
  readonly remoteAddress: NameAddr;
  readonly routeSet: readonly string[];
  readonly transport: TransportKind;
  #remoteTarget: string;
  #localSeq: number;
  #remoteSeq: number;

  constructor(essentials: RequestEssentials, request: SipRequest, localTag: string, transport: TransportKind) {
    this.callId = essentials.callId;
    this.localTag = localTag;
    this.remoteTag = essentials.from.params.find((p) => p.name.toLowerCase() === 'tag')?.value ?? null;
    this.localAddress = essentials.to;
    this.remoteAddress = essentials.from;
    this.transport = transport;
    this.routeSet = request.headers.values('record-route');
    const contact = essentials.contacts === '*' ? undefined : essentials.contacts[0];
    this.#remoteTarget = contact?.uri ?? essentials.from.uri;
    this.#remoteSeq = essentials.cseq.seq;
    // §8.1.1.5: any start below 2^31; a small one leaves room to count up
    this.#localSeq = randomInt(1, 2 ** 20);
  }

  get remoteTarget(): string {
    return this.#remoteTarget;
  }

  /** True for a request of this dialog: same Call-ID, our tag in To, the caller's in From. */
  matches(callId: string, toTag: string | null, fromTag: string | null): boolean {
    return callId === this.callId && toTag === this.localTag && fromTag === this.remoteTag;
  }

  /** §12.2.2: a request older than the last one is refused (500); a newer one moves the counter. */
  acceptSequence(seq: number): boolean {
    if (seq <= this.#remoteSeq) return false;
    this.#remoteSeq = seq;
    return true;
  }

  /** A target refresh (re-INVITE) with a Contact replaces the remote target. */
  refreshTarget(essentials: RequestEssentials): void {
    const contact = essentials.contacts === '*' ? undefined : essentials.contacts[0];
    if (contact !== undefined) this.#remoteTarget = contact.uri;
  }

  /** Where a request of ours goes first: the first route when there is a route set, else the remote target. */
  nextHop(): NextHop | null {
    const first = this.routeSet[0];
    const uriText = first === undefined ? this.#remoteTarget : (parseNameAddr(first)?.uri ?? this.#remoteTarget);
    const uri: SipUri | null = parseSipUri(uriText);
    if (uri === null) return null;
    const host = uri.host.startsWith('[') ? uri.host.slice(1, -1) : uri.host;
    return { host, port: uri.port ?? (uri.scheme === 'sips' || this.transport === 'tls' ? 5061 : 5060) };
  }

  /** A request inside the dialog (§12.2.1.1), with a fresh branch in its Via. */
  createRequest(
    method: string,
    local: { address: string; port: number; contact: string },
    extra: { headers?: readonly (readonly [string, string])[]; body?: Buffer; contentType?: string } = {},
  ): SipRequest {
    this.#localSeq++;
    const host = local.address.includes(':') ? `[${local.address}]` : local.address;
    const headers = new SipHeaders();
    headers.append('Via', `SIP/2.0/${this.transport.toUpperCase()} ${host}:${local.port};branch=${newBranch()};rport`);
    headers.append('Max-Forwards', '70');
    headers.append('From', withTag(this.localAddress, this.localTag));
    headers.append(
      'To',
      this.remoteTag === null ? stripTag(this.remoteAddress) : withTag(this.remoteAddress, this.remoteTag),
    );
    headers.append('Call-ID', this.callId);
    headers.append('CSeq', `${this.#localSeq} ${method}`);
    for (const route of this.routeSet) headers.append('Route', route);
    headers.append('Contact', local.contact);
    for (const [name, value] of extra.headers ?? []) headers.append(name, value);
    const body = extra.body ?? Buffer.alloc(0);
    if (body.length > 0 && extra.contentType !== undefined) headers.append('Content-Type', extra.contentType);
    return { kind: 'request', method, uri: this.#remoteTarget, headers, body };
  }
}

function render(a: NameAddr, tag: string | null): string {
  const name = a.displayName === null ? '' : `${a.displayName} `;
  const params = a.params
    .filter((p) => p.name.toLowerCase() !== 'tag')
    .map((p) => (p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`))
    .join('');
  return `${name}<${a.uri}>${params}${tag === null ? '' : `;tag=${tag}`}`;
}

function withTag(a: NameAddr, tag: string): string {
  return render(a, tag);
}

function stripTag(a: NameAddr): string {
  return render(a, null);
}
