/**
 * Symmetric RTP (RFC 4961; what PBX media relays and callers behind NAT expect): we send to
 * the address our peer's packets come from, not the one its SDP names, which behind NAT is
 * a private address. The rules:
 * - Before any packet, send to the SDP's address (a relay needs our first packets to open
 *   its pinhole too).
 * - The first valid packet (authenticated, on SRTP) latches its source address and port.
 * - Once latched, packets from the latched IP address are taken (any port: a gateway may
 *   send events from a second socket); a packet from another address is taken only with an
 *   SSRC not seen before in this call — a new stream, as after a relay or NAT rebinding — and
 *   the latch moves there. A packet from elsewhere reusing a known SSRC is dropped: it is
 *   an injection or a stale path, not the stream it claims to continue.
 * - A re-INVITE that changes the SDP's address or port forgets the latch.
 */
export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

const MAX_KNOWN_SSRCS = 16;

export class PeerLatch {
  #latched: Endpoint | null = null;
  #ssrcs: number[] = [];

  get latched(): Endpoint | null {
    return this.#latched;
  }

  /** Whether a valid packet from `from` with this SSRC is taken; latches or moves the latch. */
  admit(from: Endpoint, ssrc: number): boolean {
    const known = this.#ssrcs.includes(ssrc);
    if (this.#latched === null || (this.#latched.address !== from.address && !known)) {
      this.#latched = { address: from.address, port: from.port };
    } else if (this.#latched.address !== from.address) {
      return false;
    }
    if (!known) {
      this.#ssrcs.push(ssrc);
      if (this.#ssrcs.length > MAX_KNOWN_SSRCS) this.#ssrcs.shift();
    }
    return true;
  }

  forget(): void {
    this.#latched = null;
  }
}
