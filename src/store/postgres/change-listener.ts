/**
 * PostgreSQL's change signal for the read cache: triggers on the cached tables NOTIFY
 * `umpin_changes` when a transaction that changed them commits (migration
 * 0006-change-notifications), and one connection of each process LISTENs.
 *
 * The version moves on every notification and on every (re)connection; it is null — the
 * cache is bypassed — until LISTEN is in place and whenever the connection is lost, so a
 * change made while nobody listened can never be missed. The connection is opened on first
 * use and re-opened after a loss, with backoff.
 */
import pg from 'pg';
import type { ChangeSignal } from '../kysely/read-cache.js';

export const CHANGES_CHANNEL = 'umpin_changes';
const RETRY_MS = { first: 250, max: 30_000 };

export function postgresChangeSignal(connectionString: string): ChangeSignal {
  let version = 0;
  let listening = false;
  let started = false;
  let closed = false;
  let client: pg.Client | null = null;
  let retryMs = RETRY_MS.first;
  let timer: NodeJS.Timeout | null = null;

  const lost = (c: pg.Client) => {
    if (client !== c) return;
    listening = false;
    client = null;
    c.end().catch(() => undefined);
    if (closed) return;
    timer = setTimeout(connect, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MS.max);
  };

  const connect = () => {
    timer = null;
    if (closed) return;
    // keepalive: a connection cut without a word (no FIN) is noticed in seconds, not hours
    const c = new pg.Client({
      connectionString,
      application_name: 'umpin change listener',
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
    });
    client = c;
    c.on('notification', () => {
      version++;
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    c.connect()
      .then(() => c.query(`listen ${CHANGES_CHANNEL}`))
      .then(() => {
        if (client !== c) return;
        // whatever changed while nobody listened is unknown: a new version drops the cache
        version++;
        listening = true;
        retryMs = RETRY_MS.first;
      })
      .catch(() => lost(c));
  };

  return {
    version() {
      if (!started) {
        started = true;
        connect();
      }
      return listening ? version : null;
    },
    async close() {
      closed = true;
      listening = false;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
