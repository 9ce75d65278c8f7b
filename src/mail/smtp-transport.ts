import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryError, type MailTransport, type OutgoingMail } from './mail-transport.js';

/**
 * SMTP through nodemailer: smtp:// (STARTTLS when the server offers it) or smtps://, with
 * user:password in the URL for AUTH. Pooled, so a burst of PIN mails reuses connections.
 */
export class SmtpTransport implements MailTransport {
  readonly kind = 'smtp' as const;
  readonly #t: Transporter;

  constructor(url: string, opts: { connectionTimeoutMs?: number; connections?: number } = {}) {
    const timeout = opts.connectionTimeoutMs ?? 15_000;
    // The URL is parsed here: nodemailer takes a second argument after a URL as message
    // defaults, not transport options, so pooling would silently be lost.
    const u = new URL(url);
    const secure = u.protocol === 'smtps:';
    this.#t = nodemailer.createTransport({
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port ? Number(u.port) : secure ? 465 : 587,
      secure,
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      pool: true,
      maxConnections: opts.connections ?? 2,
      maxMessages: Infinity,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout * 4,
    } as never);
  }

  async send(mail: OutgoingMail): Promise<void> {
    try {
      await this.#t.sendMail({ envelope: { from: mail.from, to: [mail.to] }, raw: mail.raw });
    } catch (err) {
      const e = err as { responseCode?: number; message?: string; code?: string };
      // 5xx is the server's final word; 4xx and connection failures may pass later
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
      const code = e.responseCode ? String(e.responseCode) : (e.code ?? null);
      throw new DeliveryError(
        `smtp: ${e.responseCode ? `${e.responseCode} ` : ''}${e.code ? `${e.code} ` : ''}${(e.message ?? String(err)).slice(0, 300)}`,
        permanent,
        code,
      );
    }
  }

  async close(): Promise<void> {
    this.#t.close();
  }
}
