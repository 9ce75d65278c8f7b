/**
 * What a SipEndpoint is built from: where it listens (each transport may be off), who may call,
 * the longest call, and — for tests — the transaction timers and transport limits.
 */
import type { TimerValues } from '../transaction/timers.js';
import type { SipLogger } from '../transport/flow.js';
import type { TransportLimits } from '../transport/transport-limits.js';

export interface SipEndpointOptions {
  /** Listen address for every transport (0.0.0.0 = all IPv4 interfaces). */
  readonly host: string;
  /** null = transport off. */
  readonly udpPort: number | null;
  readonly tcpPort: number | null;
  readonly tlsPort: number | null;
  /**
   * PEM certificate and key, needed when tlsPort is set; `ca`, the certificates that vouch for
   * the gateways when we open a TLS connection to one (unset: the system's CAs).
   */
  readonly tls?: { readonly cert: string; readonly key: string; readonly ca?: string };
  /** Addresses and CIDR ranges of the gateways allowed to call. */
  readonly trusted: readonly string[];
  /** We hang up a call after this long. */
  readonly maxCallMs: number;
  /** Concurrent calls beyond this are answered 503. */
  readonly maxCalls?: number;
  readonly timers?: TimerValues;
  readonly limits?: TransportLimits;
  readonly log?: SipLogger;
}
