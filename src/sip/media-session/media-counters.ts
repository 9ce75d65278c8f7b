/**
 * What one call's media did, for the endpoint to turn into metrics (src/sip imports no
 * metrics library). Plain numbers, only ever increased.
 */
export interface MediaCounters {
  /** datagrams received on the port, whatever they held */
  packetsIn: number;
  /** RTP (or SRTP) packets sent */
  packetsOut: number;
  /** datagrams that are not RTP (parse failure, or an SRTP packet too short to hold its tag) */
  malformed: number;
  /** RTCP on the RTP port (not multiplexed by us), ignored */
  rtcp: number;
  /** valid packets from an address the latch refused */
  foreignSource: number;
  /** SRTP packets whose authentication failed */
  srtpAuthFailures: number;
  /** SRTP packets refused by the replay window (duplicates and ones older than the window) */
  srtpReplays: number;
  /** packets of a payload type not negotiated (comfort noise, sipp's no-op) */
  otherPayload: number;
  /** audio packets arriving after the reorder buffer had given up waiting for them, or twice */
  lateOrDuplicate: number;
  /** audio frames declared lost and filled */
  lostFrames: number;
  /** frames sent after their due time by more than one frame (20 ms) */
  lateFrames: number;
  /** frames skipped when the sender fell more than its burst limit behind */
  skippedFrames: number;
  /** digits delivered, per method */
  digitsRfc4733: number;
  digitsInband: number;
}

export function newMediaCounters(): MediaCounters {
  return {
    packetsIn: 0,
    packetsOut: 0,
    malformed: 0,
    rtcp: 0,
    foreignSource: 0,
    srtpAuthFailures: 0,
    srtpReplays: 0,
    otherPayload: 0,
    lateOrDuplicate: 0,
    lostFrames: 0,
    lateFrames: 0,
    skippedFrames: 0,
    digitsRfc4733: 0,
    digitsInband: 0,
  };
}

/** Hooks the endpoint may give MediaSessions for its metrics. */
export interface MediaObserver {
  /** every frame sent: how late it went out (ms after its due time on the send clock) */
  frameSent?(lateMs: number): void;
  /** a session closed, with its final counts */
  sessionClosed?(callId: string, counters: Readonly<MediaCounters>): void;
}
