/**
 * SIP over UDP (RFC 3261 §18): one datagram is one message, parsed whole. Requests are
 * admitted (stamped and checked) before they go up; responses go up as they are and the
 * transaction layer drops what it cannot match. Answers go where §18.2.2 says (Via received
 * and rport); requests of ours go to the flow's peer. Nothing a peer sends reaches past the
 * catch around the handler.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { parseMessage } from '../message/parse-message.js';
import { serializeMessage } from '../message/serialize-message.js';
import type { SipMessage } from '../message/sip-message.js';
import type { Flow, Inbound, SipLogger } from './flow.js';
import { admitRequest } from './inbound-request.js';
import { localAddressToward } from './local-address.js';
import { responseDestination } from './response-destination.js';
import type { TransportLimits } from './transport-limits.js';

export class UdpTransport {
  readonly #host: string;
  readonly #requestedPort: number;
  readonly #limits: TransportLimits;
  readonly #log: SipLogger;
  readonly #deliver: (inbound: Inbound) => void;
  #socket: Socket | null = null;
  #port = 0;

  constructor(options: {
    host: string;
    port: number;
    limits: TransportLimits;
    log: SipLogger;
    deliver: (inbound: Inbound) => void;
  }) {
    this.#host = options.host;
    this.#requestedPort = options.port;
    this.#limits = options.limits;
    this.#log = options.log;
    this.#deliver = options.deliver;
  }

  get port(): number {
    return this.#port;
  }

  async listen(): Promise<number> {
    const socket = createSocket({ type: isIP(this.#host) === 6 ? 'udp6' : 'udp4', reuseAddr: false });
    this.#socket = socket;
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.#requestedPort, this.#host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (err) => this.#log.warn({ transport: 'udp', err: err.message }, 'SIP UDP socket error'));
    socket.on('message', (data, rinfo) => this.#receive(data, rinfo.address, rinfo.port));
    this.#port = socket.address().port;
    return this.#port;
  }

  /** A flow toward a peer (the remote target of a dialog, or where a request came from). */
  flowTo(address: string, port: number): Flow {
    return {
      transport: 'udp',
      reliable: false,
      remoteAddress: address,
      remotePort: port,
      listenPort: this.#port,
      localAddress: () => localAddressToward(this.#host, address),
      send: (message) => this.#send(message, address, port),
      isOpen: () => this.#socket !== null,
      hold: () => () => {},
    };
  }

  async close(): Promise<void> {
    const s = this.#socket;
    this.#socket = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  #receive(data: Buffer, address: string, port: number): void {
    try {
      // keep-alive CRLFs (RFC 5626 §4.4.2 is STUN; some PBXs still send bare CRLF) are not messages
      if (data.length <= 4 && /^[\r\n]*$/.test(data.toString('latin1'))) return;
      const parsed = parseMessage(data, this.#limits);
      if (!parsed.ok) {
        this.#log.debug({ transport: 'udp', remote: address, reason: parsed.reason }, 'SIP datagram dropped');
        return;
      }
      const flow = this.flowTo(address, port);
      let message: SipMessage = parsed.message;
      if (message.kind === 'request') {
        const admitted = admitRequest(message, flow, this.#log);
        if (admitted === null) return;
        message = admitted;
      }
      this.#deliver({ message, flow });
    } catch (err) {
      this.#log.error({ transport: 'udp', remote: address, err: (err as Error).message }, 'SIP datagram failed');
    }
  }

  #send(message: SipMessage, address: string, port: number): void {
    const socket = this.#socket;
    if (socket === null) return;
    const to = message.kind === 'response' ? responseDestination(message) : { address, port };
    if (to === null) return;
    try {
      socket.send(serializeMessage(message), to.port, to.address, (err) => {
        if (err) this.#log.warn({ transport: 'udp', remote: to.address, err: err.message }, 'SIP send failed');
      });
    } catch (err) {
      this.#log.warn({ transport: 'udp', remote: to.address, err: (err as Error).message }, 'SIP send failed');
    }
  }
}
