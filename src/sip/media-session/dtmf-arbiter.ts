/**
 * One key press heard once when a caller sends it both ways (gateways that pass the tones
 * through in the audio and also send RFC 4733 events). The rule:
 * - Until the call has carried a telephone-event, in-band detections are digits, delivered
 *   at once (barge-in wants them early).
 * - The first telephone-event turns in-band detection off for the rest of the call: a
 *   sender that sends events sends every key that way (it is the negotiated method, per
 *   call), and the detector then cannot be fooled by prompts echoed back or by speech.
 * - That first event is the one press both methods can report: if an in-band digit of the
 *   same key began within `OVERLAP_MS` of it, it is the same press and is not delivered again.
 * - A re-INVITE that no longer negotiates telephone-events turns in-band back on.
 */
export const OVERLAP_MS = 1000;

export type DigitMethod = 'rfc4733' | 'inband';

export class DtmfArbiter {
  #eventsSeen = false;
  #inband: { key: string; atMs: number }[] = [];

  get inbandActive(): boolean {
    return !this.#eventsSeen;
  }

  /** True when the digit should be delivered. */
  admit(method: DigitMethod, key: string, atMs: number): boolean {
    if (method === 'inband') {
      if (this.#eventsSeen) return false;
      this.#inband.push({ key, atMs });
      if (this.#inband.length > 8) this.#inband.shift();
      return true;
    }
    if (this.#eventsSeen) return true;
    this.#eventsSeen = true;
    const twin = this.#inband.some((d) => d.key === key && Math.abs(d.atMs - atMs) <= OVERLAP_MS);
    this.#inband = [];
    return !twin;
  }

  /** The negotiation has no telephone-event any more: only in-band can carry keys. */
  eventsWithdrawn(): void {
    this.#eventsSeen = false;
    this.#inband = [];
  }
}
