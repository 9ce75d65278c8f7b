/**
 * Mail as a user gets it: the real outbox drained by the real delivery worker into a real
 * SMTP server on loopback, and the codes and PINs read back out of the parsed messages.
 */
import { DeliveryWorker } from '../src/mail/delivery-worker.js';
import { SmtpTransport } from '../src/mail/smtp-transport.js';
import type { Deps } from '../src/services/ports/deps.js';
import { SmtpSink, type Received } from './smtp-sink.js';

/** A sign-in code as a mail shows it, and a PIN on its own indented line. */
export const CODE = /\b([BCDFGHJKMNPQRSTVWXZ]{4}-[BCDFGHJKMNPQRSTVWXZ]{4})\b/;
export const PIN = /^ {4}[^\n:：]+[:：] ?(\d{4,24})\r?$/m;

export class DeliveredMail {
  readonly sink = new SmtpSink();
  #transport: SmtpTransport | null = null;
  #worker: DeliveryWorker | null = null;

  static async start(deps: Deps): Promise<DeliveredMail> {
    const mail = new DeliveredMail();
    await mail.sink.listen();
    mail.#transport = new SmtpTransport(mail.sink.url, { connectionTimeoutMs: 2000 });
    mail.#worker = new DeliveryWorker(deps, mail.#transport, {
      from: 'Contoso Voice Mail <voicemail@contoso.com>',
      renderThreads: 0,
    });
    return mail;
  }

  /** Sends every mail due now. */
  async deliver(): Promise<void> {
    await this.#worker!.drain();
  }

  /** Every mail delivered to this address so far, after delivering what is due. */
  async to(address: string): Promise<Received[]> {
    await this.deliver();
    return this.sink.received.filter((m) => m.to.includes(address));
  }

  /** The code in the newest sign-in code mail to this address, as the mail shows it (BCDF-GHJK). */
  async latestCode(address: string): Promise<string> {
    const codes = (await this.to(address))
      .map((m) => CODE.exec(m.parsed.text ?? '')?.[1])
      .filter((c): c is string => c !== undefined);
    if (codes.length === 0) throw new Error(`no sign-in code was mailed to ${address}`);
    return codes[codes.length - 1]!;
  }

  /** How many sign-in code mails this address has had. */
  async codeCount(address: string): Promise<number> {
    return (await this.to(address)).filter((m) => CODE.test(m.parsed.text ?? '')).length;
  }

  /** The PIN in the newest mail to this address that carries one. */
  async latestPin(address: string): Promise<string> {
    const pins = (await this.to(address))
      .map((m) => PIN.exec(m.parsed.text ?? '')?.[1])
      .filter((p): p is string => p !== undefined);
    if (pins.length === 0) throw new Error(`no PIN was mailed to ${address}`);
    return pins[pins.length - 1]!;
  }

  async close(): Promise<void> {
    await this.#worker?.stop();
    await this.#transport?.close();
    await this.sink.close();
  }
}
