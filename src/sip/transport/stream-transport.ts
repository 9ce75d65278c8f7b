/**
 * SIP over TCP and TLS (RFC 3261 §18.3): each connection has its own framer (Content-Length
 * framing, CRLF keep-alives answered with one CRLF); a fatal framing error closes that
 * connection only. Responses go back on the connection the request came on (§18.2.2); our
 * requests go on the dialog's connection, or a new one to the peer when it has closed.
 * Limits (transport-limits.ts) bound what one peer can hold: connections in all and per
 * address, an idle timeout reset only by complete messages, the TLS handshake time.
 */
import { createServer as createTcpServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect, type SecureContextOptions } from 'node:tls';
import { serializeMessage } from '../message/serialize-message.js';
import type { SipMessage } from '../message/sip-message.js';
import { SipStreamFramer } from '../message/stream-framer.js';
import type { Flow, Inbound, SipLogger } from './flow.js';
import { admitRequest } from './inbound-request.js';
import type { TransportLimits } from './transport-limits.js';

const CRLF = Buffer.from('\r\n');

interface Connection {
  readonly socket: Socket;
  readonly flow: Flow;
  holds: number;
  idle: NodeJS.Timeout | null;
  closed: boolean;
}

export class StreamTransport {
  readonly #kind: 'tcp' | 'tls';
  readonly #host: string;
  readonly #requestedPort: number;
  readonly #limits: TransportLimits;
  readonly #log: SipLogger;
  readonly #deliver: (inbound: Inbound) => void;
  readonly #tls: SecureContextOptions | undefined;
  readonly #peerCa: string | undefined;
  readonly #connections = new Set<Connection>();
  readonly #perAddress = new Map<string, number>();
  #server: Server | null = null;
  #port = 0;

  constructor(options: {
    kind: 'tcp' | 'tls';
    host: string;
    port: number;
    limits: TransportLimits;
    log: SipLogger;
    deliver: (inbound: Inbound) => void;
    /** certificate and key, for TLS */
    tls?: SecureContextOptions;
    /**
     * PEM certificates that vouch for the gateways we connect to (a BYE after the caller's
     * connection closed); unset, the system's CAs. A PBX with a self-signed certificate is
     * trusted by giving that certificate here — never by not checking.
     */
    peerCa?: string;
  }) {
    this.#kind = options.kind;
    this.#host = options.host;
    this.#requestedPort = options.port;
    this.#limits = options.limits;
    this.#log = options.log;
    this.#deliver = options.deliver;
    this.#tls = options.tls;
    this.#peerCa = options.peerCa;
  }

  get port(): number {
    return this.#port;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  async listen(): Promise<number> {
    const onSocket = (socket: Socket) => this.#accept(socket);
    const server =
      this.#kind === 'tls'
        ? createTlsServer({ ...this.#tls, handshakeTimeout: this.#limits.handshakeTimeoutMs }, onSocket)
        : createTcpServer(onSocket);
    server.maxConnections = this.#limits.maxConnections;
    // a failed handshake is the peer's problem, not ours
    server.on('tlsClientError', (err: Error) =>
      this.#log.debug({ transport: this.#kind, err: err.message }, 'SIP TLS handshake failed'),
    );
    server.on('error', (err) => this.#log.warn({ transport: this.#kind, err: err.message }, 'SIP listener error'));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#requestedPort, this.#host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.#port = (server.address() as { port: number }).port;
    return this.#port;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const c of this.#connections) c.socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A flow to a peer for a request of ours when the dialog's connection is gone: a new connection. */
  connectTo(address: string, port: number): Flow {
    if (this.#kind === 'tcp') return this.#attach(tcpConnect({ host: address, port }), address, port).flow;
    // our certificate goes along, for gateways that ask their peers for one (mutual TLS)
    const socket = tlsConnect({
      host: address,
      port,
      servername: undefined,
      ...(this.#tls?.cert === undefined ? {} : { cert: this.#tls.cert, key: this.#tls.key }),
      ...(this.#peerCa === undefined ? {} : { ca: this.#peerCa }),
    });
    socket.once('error', (err: Error & { code?: string }) => {
      if (!socket.authorized && /CERT|SELF_SIGNED|HOSTNAME|IP/.test(err.code ?? ''))
        this.#log.warn(
          { transport: 'tls', remote: address, err: err.message },
          'SIP TLS connection to a gateway refused: its certificate is not trusted; give it (or its CA) in UMPIN_SIP_TLS_CA',
        );
    });
    return this.#attach(socket, address, port).flow;
  }

  #accept(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    const count = this.#perAddress.get(address) ?? 0;
    if (count >= this.#limits.maxConnectionsPerAddress) {
      this.#log.warn({ transport: this.#kind, remote: address }, 'SIP connection refused: too many from this address');
      socket.destroy();
      return;
    }
    this.#attach(socket, address, socket.remotePort ?? 0);
  }

  #attach(socket: Socket, address: string, port: number): Connection {
    const framer = new SipStreamFramer(this.#limits);
    this.#perAddress.set(address, (this.#perAddress.get(address) ?? 0) + 1);
    const kind = this.#kind;
    const conn: Connection = {
      socket,
      holds: 0,
      idle: null,
      closed: false,
      flow: {
        transport: kind,
        reliable: true,
        remoteAddress: address,
        remotePort: port,
        listenPort: this.#port,
        localAddress: async () => socket.localAddress ?? this.#host,
        send: (message) => this.#send(conn, message),
        isOpen: () => !conn.closed && !socket.destroyed,
        hold: () => {
          conn.holds++;
          this.#touch(conn);
          let released = false;
          return () => {
            if (released) return;
            released = true;
            conn.holds--;
            this.#touch(conn);
          };
        },
      },
    };
    this.#connections.add(conn);
    this.#touch(conn);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const event of framer.push(chunk)) {
          if (event.type === 'keepalive') socket.write(CRLF);
          else if (event.type === 'fatal') {
            this.#log.info(
              { transport: kind, remote: address, reason: event.failure.reason },
              'SIP stream unframeable: connection closed',
            );
            socket.destroy();
            return;
          } else if (event.type === 'invalid') {
            this.#log.debug({ transport: kind, remote: address, reason: event.failure.reason }, 'SIP message dropped');
          } else {
            this.#touch(conn);
            let message: SipMessage = event.message;
            if (message.kind === 'request') {
              const admitted = admitRequest(message, conn.flow, this.#log);
              if (admitted === null) continue;
              message = admitted;
            }
            this.#deliver({ message, flow: conn.flow });
          }
        }
      } catch (err) {
        this.#log.error({ transport: kind, remote: address, err: (err as Error).message }, 'SIP stream failed');
        socket.destroy();
      }
    });
    socket.on('error', (err) =>
      this.#log.debug({ transport: kind, remote: address, err: err.message }, 'SIP connection error'),
    );
    socket.on('close', () => {
      conn.closed = true;
      if (conn.idle) clearTimeout(conn.idle);
      this.#connections.delete(conn);
      const n = (this.#perAddress.get(address) ?? 1) - 1;
      if (n <= 0) this.#perAddress.delete(address);
      else this.#perAddress.set(address, n);
    });
    return conn;
  }

  #touch(conn: Connection): void {
    if (conn.idle) clearTimeout(conn.idle);
    conn.idle = null;
    if (conn.holds > 0 || conn.closed) return;
    conn.idle = setTimeout(() => {
      this.#log.debug({ transport: this.#kind, remote: conn.flow.remoteAddress }, 'SIP connection idle: closed');
      conn.socket.destroy();
    }, this.#limits.idleTimeoutMs);
    conn.idle.unref();
  }

  #send(conn: Connection, message: SipMessage): void {
    if (conn.closed || conn.socket.destroyed) {
      this.#log.info(
        { transport: this.#kind, remote: conn.flow.remoteAddress },
        'SIP connection closed before a message could be sent',
      );
      return;
    }
    try {
      conn.socket.write(serializeMessage(message));
    } catch (err) {
      this.#log.warn(
        { transport: this.#kind, remote: conn.flow.remoteAddress, err: (err as Error).message },
        'SIP send failed',
      );
    }
  }
}
