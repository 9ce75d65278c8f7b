/**
 * What one peer may cost the transports: a message-size limit (the parsers refuse beyond it),
 * and for streams a cap on connections (in all and per source address), an idle timeout that
 * only a complete message resets — so a peer trickling a byte at a time cannot hold a
 * connection — and a TLS handshake timeout. A connection that carries a dialog is held open
 * past the idle timeout (see Flow.hold).
 */
import { DEFAULT_SIP_LIMITS, type SipLimits } from '../message/limits.js';

export interface TransportLimits extends SipLimits {
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  readonly idleTimeoutMs: number;
  readonly handshakeTimeoutMs: number;
}

export const DEFAULT_TRANSPORT_LIMITS: TransportLimits = {
  ...DEFAULT_SIP_LIMITS,
  maxConnections: 1024,
  maxConnectionsPerAddress: 64,
  idleTimeoutMs: 60_000,
  handshakeTimeoutMs: 10_000,
};
