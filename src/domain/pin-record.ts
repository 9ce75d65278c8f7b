/** A UM mailbox's PIN as kept: only its hash, its logon state (logon.ts) and the hashes it replaced. */
import type { PinState } from './logon.js';

export interface PinRecord extends PinState {
  recipientId: string;
  pinHash: string;
  /** Increments on every PIN change: success paths apply only to the PIN they verified. */
  version: number;
}

/** A PIN that was replaced, kept so PINHistoryCount can refuse it again. */
export interface PinHistoryEntry {
  recipientId: string;
  version: number;
  pinHash: string;
  retiredAt: number;
}
