/**
 * A flow is the path one message came by and its answers go back by (RFC 3261 §18): a
 * datagram peer on our UDP socket, or one TCP/TLS connection. Transactions and dialogs only
 * ever send through a flow, so they need not know which transport is under them; the
 * transport decides where a response goes (§18.2.2) and never throws from send — a peer
 * that vanished costs a log line, not the process.
 */
import type { SipMessage } from '../message/sip-message.js';

export type TransportKind = 'udp' | 'tcp' | 'tls';

export interface Flow {
  readonly transport: TransportKind;
  /** TCP and TLS: no retransmissions (§17.1.1.2, §17.2.1). */
  readonly reliable: boolean;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The port we listen on for this transport (for Via and Contact). */
  readonly listenPort: number;
  /** Our address as this peer reaches it (for Via, Contact and the SDP c= line). */
  localAddress(): Promise<string>;
  /** Sends a message; a response goes where §18.2.2 says, a request to this flow's peer. */
  send(message: SipMessage): void;
  /** False once a stream's connection has closed (a UDP flow is always open). */
  isOpen(): boolean;
  /** Keeps a stream open past its idle timeout while a dialog uses it; returns the release. */
  hold(): () => void;
}

/** What a transport hands up: a message that parsed (requests stamped with received/rport). */
export interface Inbound {
  readonly message: SipMessage;
  readonly flow: Flow;
}

/** A minimal structured logger (pino's call shape), so the SIP layers log without choosing a library. */
export interface SipLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const SILENT_LOGGER: SipLogger = { debug() {}, info() {}, warn() {}, error() {} };
