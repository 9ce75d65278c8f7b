/** One-time PIN link rows (PINDelivery Link). */
import type { Selectable } from 'kysely';
import type { PinLink, PinLinkReads, PinLinkRepository, PinLinkState } from '../../services/ports/pin-links.js';
import { flag, Rows } from './rows.js';
import type { PinLinkTable } from './schema.js';

function toPinLink(r: Selectable<PinLinkTable>): PinLink {
  return {
    tokenDigest: r.token_digest,
    recipientId: r.recipient_id,
    state: r.state as PinLinkState,
    sealedPayload: r.sealed_payload,
    requiresSignIn: Number(r.requires_sign_in) === 1,
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  };
}

export class PinLinkReadRows extends Rows implements PinLinkReads {
  async getPinLink(tokenDigest: string): Promise<PinLink | null> {
    const r = await this.db
      .selectFrom('pin_link')
      .selectAll()
      .where('token_digest', '=', tokenDigest)
      .executeTakeFirst();
    return r ? toPinLink(r) : null;
  }
}

export class PinLinkRows extends PinLinkReadRows implements PinLinkRepository {
  async insertPinLink(link: Omit<PinLink, 'state' | 'endedAt'>): Promise<void> {
    await this.db
      .updateTable('pin_link')
      .set({ state: 'replaced', sealed_payload: null, ended_at: link.createdAt })
      .where('recipient_id', '=', link.recipientId)
      .where('state', '=', 'active')
      .execute();
    await this.db
      .insertInto('pin_link')
      .values({
        token_digest: link.tokenDigest,
        recipient_id: link.recipientId,
        state: 'active',
        sealed_payload: link.sealedPayload,
        requires_sign_in: flag(link.requiresSignIn),
        created_at: link.createdAt,
        expires_at: link.expiresAt,
        ended_at: null,
      })
      .execute();
  }

  async consumePinLink(tokenDigest: string, now: number): Promise<string | null> {
    const r = await this.db
      .selectFrom('pin_link')
      .select('sealed_payload')
      .where('token_digest', '=', tokenDigest)
      .where('state', '=', 'active')
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (!r || r.sealed_payload === null) return null;
    // conditional on the state: of two requests racing for one link, only one ends it
    const done = await this.db
      .updateTable('pin_link')
      .set({ state: 'shown', sealed_payload: null, ended_at: now })
      .where('token_digest', '=', tokenDigest)
      .where('state', '=', 'active')
      .executeTakeFirst();
    return Number(done.numUpdatedRows) === 1 ? r.sealed_payload : null;
  }

  async expirePinLinks(now: number, limit: number): Promise<Array<{ tokenDigest: string; recipientId: string }>> {
    const due = await this.db
      .selectFrom('pin_link')
      .select(['token_digest', 'recipient_id'])
      .where('state', '=', 'active')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(limit)
      .execute();
    if (due.length === 0) return [];
    // only the rows this statement ended: a server sweeping at the same time, or a link shown
    // meanwhile, leaves them out, so each expiry is audited once
    const ended = await this.db
      .updateTable('pin_link')
      .set({ state: 'expired', sealed_payload: null, ended_at: now })
      .where(
        'token_digest',
        'in',
        due.map((d) => d.token_digest),
      )
      .where('state', '=', 'active')
      .returning(['token_digest', 'recipient_id'])
      .execute();
    return ended.map((d) => ({ tokenDigest: d.token_digest, recipientId: d.recipient_id }));
  }
}
