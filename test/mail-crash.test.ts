/**
 * kill -9 of `umpin mail drain` while it is sending, a dozen times, then a restart: every
 * message is delivered; a message may arrive twice only if the server had accepted it when
 * the process died, and then always with the same Message-ID. Each kill is aimed, not timed:
 * it lands once the SMTP server has accepted the k-th message of that run (k varies, and so
 * does whether the sender has heard the server's answer), and each trial records where it
 * landed. Two processes draining at once each deliver part of the outbox, every message once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetUMMailboxPINs } from '../src/services/set-um-mailbox-pin.js';
import { ADMIN, contoso } from './fixtures.js';
import { childEnv, ENGINES, testContext, type TestContext } from './harness.js';
import { SmtpSink } from './smtp-sink.js';

const CLI = join(process.cwd(), 'dist', 'cli', 'main.js');
// each trial starts a real process and waits until it is sending: a dozen keep the test to half a minute
const TRIALS = 12;
/** the most messages one drain has in hand at once (its parallel sends), hence the most one kill can leave accepted but unmarked */
const IN_HAND = 8;

function start(env: NodeJS.ProcessEnv): {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: string | null }>;
} {
  const child = spawn(process.execPath, [CLI, 'mail', 'drain'], { env, stdio: 'ignore' });
  const exit = new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, exit };
}

/** Where one kill landed. */
interface Trial {
  /** unsent messages when the process started, and after which acceptance it was to die */
  pending: number;
  killAfter: number;
  /** whether the kill came before the server's answer to that message reached the sender */
  beforeAnswer: boolean;
  /** messages the server had accepted from this process when the kill was sent */
  acceptedAtKill: number | null;
  /** as the process ended: its signal (SIGKILL when the kill landed) and exit code */
  signal: string | null;
  code: number | null;
  /** messages still unsent once it was dead */
  unsentAfter: number;
  /** Message-IDs the server accepted during this trial */
  ids: string[];
}

for (const engine of ENGINES) {
  describe(`mail survives kill -9 (${engine})`, () => {
    let t: TestContext;
    let sink: SmtpSink;
    beforeEach(async () => {
      t = await testContext(engine);
      // the child processes keep real time: queue the mails in the past of their clock
      t.clock.t = Date.now() - 3_600_000;
      await contoso(
        t.deps,
        Array.from({ length: 6 }, (_, i) => ({ alias: `user${i}`, extension: String(10300 + i) })),
      );
      sink = new SmtpSink();
      sink.delayMs = 40;
      await sink.listen();
    });
    afterEach(async () => {
      await sink.close();
      await t.close();
    });

    const unsent = async () => (await t.deps.store.listOutbox({ limit: 10_000 })).filter((r) => r.status !== 'sent');

    it(`delivers every message after ${TRIALS} kills mid-send`, { timeout: 180_000 }, async () => {
      const env = childEnv(t.db, { UMPIN_SMTP_URL: sink.url, UMPIN_MAIL_LEASE_SECONDS: '0.3' });
      const users = Array.from({ length: 6 }, (_, i) => `user${i}`);
      const trials: Trial[] = [];
      for (let trial = 0; trial < TRIALS; trial++) {
        await resetUMMailboxPINs(t.deps, ADMIN, { identities: users.slice(0, 3 + (trial % 4)) });
        const pending = (await unsent()).length;
        // after 1, 2, ... acceptances, always short of the last: the process dies with work left
        const killAfter = 1 + (trial % Math.max(1, Math.min(pending - 1, 5)));
        const beforeAnswer = trial % 2 === 0;
        const startedAt = sink.received.length;
        const { child, exit } = start(env);
        let acceptedAtKill: number | null = null;
        const kill = () => {
          if (acceptedAtKill !== null) return;
          acceptedAtKill = sink.received.length - startedAt;
          child.kill('SIGKILL');
        };
        sink.onAccepted = () => {
          if (sink.received.length - startedAt < killAfter) return;
          // inside the acceptance: the sender dies before it hears the answer; else a moment after it
          if (beforeAnswer) kill();
          else setTimeout(kill, 2 + (trial % 5) * 4);
        };
        // a drain that never gets that far is ended anyway, and shows as a kill that landed late
        const backstop = setTimeout(kill, 20_000);
        const ended = await exit;
        clearTimeout(backstop);
        sink.onAccepted = () => {};
        // leases of the killed process run out before the next one starts
        await new Promise((r) => setTimeout(r, 350));
        trials.push({
          pending,
          killAfter,
          beforeAnswer,
          acceptedAtKill,
          ...ended,
          unsentAfter: (await unsent()).length,
          ids: sink.received.slice(startedAt).map((m) => m.messageId),
        });
      }
      const lastStart = sink.received.length;
      const last = await start(env).exit;
      expect(last).toEqual({ code: 0, signal: null });

      // the kills landed mid-delivery: dead by SIGKILL once the server had accepted some of the
      // messages due, and not all of them
      const midDelivery = trials.filter(
        (x) => x.signal === 'SIGKILL' && x.acceptedAtKill! >= 1 && x.acceptedAtKill! < x.pending,
      );
      const record = trials
        .map(
          (x, i) =>
            `#${i} ${x.signal ?? `exit ${x.code}`} after ${x.acceptedAtKill}/${x.pending} (${x.unsentAfter} left)`,
        )
        .join('; ');
      expect(midDelivery.length, record).toBeGreaterThanOrEqual(TRIALS - 2);

      // nothing lost: every row sent, its payload gone, each message at the server
      const rows = await t.deps.store.listOutbox({ limit: 10_000 });
      expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
      expect(rows.every((r) => r.sealedPayload === null)).toBe(true);
      const ids = sink.received.map((m) => m.messageId);
      const unique = new Set(ids);
      expect(unique.size).toBe(rows.length);

      // resent only what the server had accepted from a process that then died: a copy comes
      // again only after a trial that ended in a kill, never twice from one process, and a
      // kill leaves at most the messages in hand to be sent again
      const runs = [...trials.map((x) => x.ids), sink.received.slice(lastStart).map((m) => m.messageId)];
      const firstSeen = new Map<string, number>();
      runs.forEach((batch, i) => {
        expect(new Set(batch).size, `run ${i} sent a message twice`).toBe(batch.length);
        for (const id of batch) if (!firstSeen.has(id)) firstSeen.set(id, i);
      });
      const resentOf = new Map<number, number>();
      runs.forEach((batch, i) => {
        for (const id of batch) {
          const first = firstSeen.get(id)!;
          if (first === i) continue;
          expect(first, `message resent in run ${i}`).toBeLessThan(i);
          expect(trials[first]!.signal, `message resent after run ${first}, which was not killed`).toBe('SIGKILL');
          resentOf.set(first, (resentOf.get(first) ?? 0) + 1);
        }
      });
      for (const [trial, n] of resentOf) expect(n, `resends of trial ${trial}`).toBeLessThanOrEqual(IN_HAND);
      const duplicates = ids.length - unique.size;
      console.log(
        `[${engine}] ${rows.length} messages, ${TRIALS} kills (${midDelivery.length} mid-delivery): ${duplicates} delivered twice (same Message-ID), none lost`,
      );
    });

    it('two processes draining one outbox at once both deliver, and send every message exactly once', async () => {
      for (let i = 0; i < 8; i++)
        await resetUMMailboxPINs(t.deps, ADMIN, { identities: Array.from({ length: 6 }, (_, k) => `user${k}`) });
      sink.delayMs = 5;
      // the server takes no message before both processes have signed in, so neither can drain it
      // all alone (a process that never signs in releases the hold after 10 s, and fails below)
      let bothIn: () => void = () => {};
      sink.hold = new Promise<void>((resolve) => (bothIn = resolve));
      const poll = setInterval(() => {
        if (new Set(sink.users).size >= 2) bothIn();
      }, 5);
      const giveUp = setTimeout(() => bothIn(), 10_000);
      const url = (user: string) => sink.url.replace('smtp://', `smtp://${user}:x@`);
      const [a, b] = await Promise.all(
        ['drain-a', 'drain-b'].map((user) => start(childEnv(t.db, { UMPIN_SMTP_URL: url(user) })).exit),
      );
      clearInterval(poll);
      clearTimeout(giveUp);
      expect([a, b]).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
      const rows = await t.deps.store.listOutbox({ limit: 10_000 });
      expect(rows).toHaveLength(54);
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      const ids = sink.received.map((m) => m.messageId);
      expect(ids).toHaveLength(54);
      expect(new Set(ids).size).toBe(54);
      const by = (user: string) => sink.received.filter((m) => m.user === user).length;
      expect(by('drain-a'), `drain-a ${by('drain-a')}, drain-b ${by('drain-b')}`).toBeGreaterThan(0);
      expect(by('drain-b'), `drain-a ${by('drain-a')}, drain-b ${by('drain-b')}`).toBeGreaterThan(0);
      expect(by('drain-a') + by('drain-b')).toBe(54);
    });
  });
}
