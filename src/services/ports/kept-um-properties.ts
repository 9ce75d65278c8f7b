/**
 * The UM properties a disabled mailbox keeps (Disable-UMMailbox -KeepProperties $true), one
 * row per recipient, apart from the UM mailbox itself: a UM mailbox means "enabled"
 * everywhere, and kept extensions are not reserved.
 */
import type { KeptUmProperties } from '../../domain/kept-um-properties.js';

export interface KeptUmPropertyReads {
  getKeptUmProperties(recipientId: string): Promise<KeptUmProperties | null>;
}

export interface KeptUmPropertyRepository extends KeptUmPropertyReads {
  /** Writes the recipient's kept properties, replacing any kept before. */
  keepUmProperties(k: KeptUmProperties): Promise<void>;
  deleteKeptUmProperties(recipientId: string): Promise<void>;
}
