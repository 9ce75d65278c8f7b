/** The narrow read behind Get-UMMailboxPIN -Identity: what the PIN-status view shows, nothing more. */
import type { PinState } from '../../domain/logon.js';

/** One recipient an identity names, with what its PIN status needs. */
export interface PinStatusMatch {
  recipientId: string;
  primarySmtpAddress: string;
  /** null when the recipient is not UM-enabled */
  mailbox: {
    dialPlanId: string;
    /** PINLifetime of the mailbox's policy (null = Unlimited); the policy's only field the view uses */
    pinLifetimeDays: number | null;
    pinChangeAllowed: boolean;
  } | null;
  /** the PIN state row, without the hash (null: none, which a UM mailbox should not be) */
  pin: PinState | null;
}

export interface PinStatusReads {
  /**
   * The recipients an identity names (as findMailboxes matches them; enough rows to tell an
   * ambiguity), each with its UM mailbox's dial plan, its policy's PINLifetime and its PIN
   * state: one statement, compiled once, an index search.
   */
  pinStatusByIdentity(identity: string): Promise<PinStatusMatch[]>;
  /** A recipient's PIN state now, by its key (null: none). */
  pinStateOfRecipient(recipientId: string): Promise<PinState | null>;
}
