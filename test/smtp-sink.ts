/**
 * A real SMTP server on loopback (smtp-server), for delivery tests: it records every
 * accepted message and can be told to answer 4xx or 5xx, or to be slow.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  messageId: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
  /** the user the sender signed in as (any user and password are accepted), or null */
  user: string | null;
}

export class SmtpSink {
  readonly received: Received[] = [];
  /** answer the next N DATA commands with this code instead of accepting */
  failNext: Array<{ code: number; message: string }> = [];
  /** wait this long before accepting each message (to kill a sender mid-transaction) */
  delayMs = 0;
  /** accept no message before this settles (e.g. until every sender has signed in) */
  hold: Promise<void> = Promise.resolve();
  /** called as each message is accepted, before the sender hears so */
  onAccepted: (message: Received) => void = () => {};
  /** the users that signed in, in order */
  readonly users: string[] = [];
  /** the user (or null) of each message whose data has arrived, before any hold or delay: who is sending now */
  readonly arrived: Array<string | null> = [];
  #server: SMTPServer;
  port = 0;

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      // a sender may sign in, as anyone: the user names which sender a message came from
      allowInsecureAuth: true,
      onAuth: (auth, _session, callback) => {
        this.users.push(auth.username ?? '');
        callback(null, { user: auth.username });
      },
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const fail = this.failNext.shift();
          if (fail) {
            const err = new Error(fail.message) as Error & { responseCode: number };
            err.responseCode = fail.code;
            return callback(err);
          }
          const raw = Buffer.concat(chunks);
          this.arrived.push(typeof session.user === 'string' ? session.user : null);
          const accept = async () => {
            await this.hold;
            const parsed = await simpleParser(raw);
            const message: Received = {
              messageId: parsed.messageId ?? '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
              user: typeof session.user === 'string' ? session.user : null,
            };
            this.received.push(message);
            this.onAccepted(message);
            callback();
          };
          if (this.delayMs > 0) setTimeout(() => void accept(), this.delayMs);
          else void accept();
        });
      },
    });
    this.#server.on('error', () => {});
  }

  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.#server.server.address() as { port: number }).port;
    return this.port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
