/** Where finished messages go: an SMTP server, or the maildrop folder of the embedded default. */
export interface OutgoingMail {
  messageId: string;
  from: string;
  to: string;
  raw: Buffer;
}

export interface MailTransport {
  readonly kind: 'smtp' | 'maildrop';
  /** Resolves once the message is accepted; rejects with a DeliveryError-like error otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): Promise<void>;
}

/** A failure that names whether trying again can help (4xx, connection errors) or not (5xx), and its short code (the SMTP reply code, the socket's error code). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
