/**
 * One-time PIN links (PINDelivery Link): kept by the keyed digest of their token, the PIN sealed
 * until the link is shown, expires, or a newer link of the same mailbox replaces it; then the
 * sealed PIN is erased and the row stays to say which of the three happened.
 */

export type PinLinkState = 'active' | 'shown' | 'expired' | 'replaced';

export interface PinLink {
  tokenDigest: string;
  recipientId: string;
  state: PinLinkState;
  /** the sealed PIN (bound to tokenDigest) while active; null once ended */
  sealedPayload: string | null;
  /** the policy asked for the self-service sign-in when the link was made */
  requiresSignIn: boolean;
  createdAt: number;
  expiresAt: number;
  /** when it was shown, expired or replaced */
  endedAt: number | null;
}

export interface PinLinkReads {
  getPinLink(tokenDigest: string): Promise<PinLink | null>;
}

export interface PinLinkRepository {
  /** Adds an active link; the mailbox's other active links become 'replaced', their sealed PINs erased. */
  insertPinLink(link: Omit<PinLink, 'state' | 'endedAt'>): Promise<void>;
  /**
   * Ends an active, unexpired link as 'shown' and erases its sealed PIN, returning the sealed PIN
   * it held; null when the link is not active or past its time (nothing changes).
   */
  consumePinLink(tokenDigest: string, now: number): Promise<string | null>;
  /** Ends up to `limit` active links past their time as 'expired', erasing their sealed PINs; returns them. */
  expirePinLinks(now: number, limit: number): Promise<Array<{ tokenDigest: string; recipientId: string }>>;
}
