import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DeliveryError, type MailTransport, type OutgoingMail } from './mail-transport.js';

/** A file name from the Message-ID: the same message always lands in the same file. */
export function maildropFileName(messageId: string): string {
  return `${messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9@._-]/g, '_')}.eml`;
}

/**
 * One .eml file per message in <dataDir>/maildrop, written to a temporary file, synced,
 * then linked into place: a reader never sees half a message, and since link() refuses to
 * replace an existing file, a message delivered twice (a crash after the write, before the
 * outbox row was marked) still leaves exactly one file. A process killed mid-write leaves its
 * temporary file — a whole PIN mail — behind: opening the folder removes those of processes
 * that no longer run (another umpin on this host may be writing its own).
 */
export class MaildropTransport implements MailTransport {
  readonly kind = 'maildrop' as const;
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    removeOrphans(dir);
  }

  async send(mail: OutgoingMail): Promise<void> {
    const final = join(this.dir, maildropFileName(mail.messageId));
    const tmp = join(this.dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        writeSync(fd, mail.raw);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      try {
        linkSync(tmp, final);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    } catch (err) {
      throw new DeliveryError(
        `maildrop: ${(err as Error).message}`,
        false,
        (err as NodeJS.ErrnoException).code ?? null,
      );
    } finally {
      try {
        unlinkSync(tmp);
      } catch {
        /* already gone */
      }
    }
  }

  async close(): Promise<void> {}
}

/** The temporary files of writers that are gone. */
function removeOrphans(dir: string): void {
  for (const name of readdirSync(dir)) {
    const m = /^\.tmp-([0-9]+)-[0-9a-f]+$/.exec(name);
    if (m === null || isRunning(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, name));
    } catch {
      /* another process removed it first */
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
