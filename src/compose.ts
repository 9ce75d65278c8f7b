/** The composition root: the only place that picks and wires adapters. */
import { createHmac, createSecretKey, randomInt } from 'node:crypto';
import type { Config } from './config.js';
import { Argon2PinHasher } from './crypto/argon2-pin-hasher.js';
import { HmacAuditSigner } from './crypto/audit-signer.js';
import { AesGcmPayloadCipher } from './crypto/payload-cipher.js';
import { loadOrCreateSecrets, type ServerSecrets } from './crypto/secrets.js';
import type { KdfParams } from './crypto/kdf-params.js';
import { DEFAULT_SESSION_TIMEOUTS, type Deps, type SessionTimeouts } from './services/ports/deps.js';
import { openPostgresStore } from './store/postgres/postgres-store.js';
import { openSqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './services/ports/store.js';
import { DeliveryWorker } from './mail/delivery-worker.js';
import { MaildropTransport } from './mail/maildrop-transport.js';
import type { MailTransport } from './mail/mail-transport.js';
import { SmtpTransport } from './mail/smtp-transport.js';
import { join } from 'node:path';
import { TollFraudGuard, type TollFraudOptions } from './services/toll-fraud-guard.js';
import type { CallOutcome } from './domain/logon.js';
import type { MediaSessions } from './sip/call-media.js';
import { runLogonDialogue } from './sip/dialogue/logon-dialogue.js';
import { type CallHandler, SipEndpoint } from './sip/endpoint/sip-endpoint.js';
import { RtpMediaSessions } from './sip/media-session/rtp-media-sessions.js';
import { PromptLibrary } from './sip/prompts/prompt-library.js';
import type { SipLogger } from './sip/transport/flow.js';
import { loadTlsCredentials } from './sip/transport/tls-credentials.js';

export function openStore(config: Pick<Config, 'engine' | 'databaseUrl'>): Store {
  return config.engine === 'postgres' ? openPostgresStore(config.databaseUrl) : openSqliteStore(config.databaseUrl);
}

export interface App {
  config: Config;
  deps: Deps;
  /** the outbox's delivery worker (started by `serve`; drained once by in-process commands) */
  mail: DeliveryWorker;
  close(): Promise<void>;
}

export function openTransport(config: Pick<Config, 'smtpUrl' | 'dataDir'>): MailTransport {
  return config.smtpUrl ? new SmtpTransport(config.smtpUrl) : new MaildropTransport(join(config.dataDir, 'maildrop'));
}

/**
 * The services' dependencies around a store and the server secrets; tests and benchmarks pass
 * a clock and a cheap KDF (and, to count past the back-off, looser toll-fraud thresholds).
 */
export function makeDeps(
  store: Store,
  secrets: ServerSecrets,
  kdf: KdfParams,
  clock: Deps['clock'] = { now: () => Date.now() },
  opts: { sessionTimeouts?: SessionTimeouts; tollFraud?: Partial<TollFraudOptions>; publicUrl?: string } = {},
): Deps {
  // imported once: every request with a bearer token computes its digest (1.6 against 1.8 µs in a loop)
  const tokenKey = createSecretKey(secrets.tokenKey);
  return {
    store,
    hasher: new Argon2PinHasher(secrets.pepper, kdf),
    cipher: new AesGcmPayloadCipher(secrets.outboxKey),
    signer: new HmacAuditSigner(secrets.auditKey),
    clock,
    randomInt: (max) => randomInt(max),
    digest: (secret) => createHmac('sha256', tokenKey).update(secret, 'utf8').digest('base64url'),
    sessionTimeouts: opts.sessionTimeouts ?? DEFAULT_SESSION_TIMEOUTS,
    // one per process: every voice door (REST, SIP) shares its memory of failing callers
    tollFraudGuard: new TollFraudGuard(opts.tollFraud ?? {}, clock),
    ...(opts.publicUrl === undefined ? {} : { publicUrl: opts.publicUrl }),
  };
}

export async function compose(config: Config, opts: { migrate?: boolean } = {}): Promise<App> {
  const secrets = loadOrCreateSecrets(config.dataDir, config.secretKey);
  const store = openStore(config);
  if (opts.migrate ?? true) await store.migrate();
  const deps = makeDeps(store, secrets, config.kdf, undefined, {
    sessionTimeouts: config.sessionTimeouts,
    tollFraud: config.tollFraud,
    publicUrl: config.publicUrl,
  });
  const transport = openTransport(config);
  const mail = new DeliveryWorker(deps, transport, {
    from: config.mailFrom,
    timeZone: config.mailTimeZone,
    deadAfterMs: config.mailDeadAfterMs,
    leaseMs: config.mailLeaseMs,
  });
  return {
    config,
    deps,
    mail,
    close: async () => {
      await mail.stop();
      await transport.close();
      await store.close();
    },
  };
}

/**
 * The SIP endpoint of telephone voice access from the configuration: UDP and TCP on one port,
 * TLS on another (the configured certificate, or one generated into the data directory), the
 * trusted gateways and the longest call. The media sessions and the voice dialogue are given
 * by the caller (the serve command), which starts and stops it.
 */
export async function openSipEndpoint(
  config: Pick<Config, 'sip' | 'dataDir'>,
  media: MediaSessions,
  handler: CallHandler,
  log: SipLogger,
): Promise<SipEndpoint> {
  const sip = config.sip;
  const tls =
    sip.tlsPort === null
      ? undefined
      : await loadTlsCredentials({
          certPath: sip.tlsCert,
          keyPath: sip.tlsKey,
          dataDir: config.dataDir,
          host: sip.host,
          caPath: sip.tlsCa,
        });
  return new SipEndpoint(
    {
      host: sip.host,
      udpPort: sip.port,
      tcpPort: sip.port,
      tlsPort: sip.tlsPort,
      ...(tls === undefined ? {} : { tls }),
      trusted: sip.trusted,
      maxCallMs: sip.maxCallMs,
      log,
    },
    media,
    handler,
  );
}

/**
 * Telephone voice access as `umpin serve` runs it: the SIP endpoint, RTP media on the
 * configured ports (bound where the signalling listens, the address the SDP answer gives),
 * and on every established call the logon dialogue, which calls the same guarded logon
 * services as the REST voice API. The prompts are loaded once, so a missing file stops the
 * start, not a call.
 */
export async function openVoiceAccess(app: App, log: SipLogger): Promise<SipEndpoint> {
  const events = app.deps.tollFraudGuard;
  const media = new RtpMediaSessions({
    address: app.config.sip.host,
    ports: app.config.rtpPorts,
    observer: {
      frameSent: (ms) => events.emit({ type: 'rtp-late', ms }),
      sessionClosed: (_callId, c) => {
        const drops = [
          ['srtp-auth', c.srtpAuthFailures],
          ['srtp-replay', c.srtpReplays],
          ['malformed', c.malformed],
          ['foreign-source', c.foreignSource],
        ] as const;
        for (const [reason, count] of drops) if (count > 0) events.emit({ type: 'packets-dropped', reason, count });
      },
    },
  });
  const prompts = PromptLibrary.load();
  const handler: CallHandler = async (call) => {
    events.emit({ type: 'call-started' });
    const stopCounting = call.media.onDigit((d) => events.emit({ type: 'digit', method: d.method }));
    let outcome: CallOutcome = 'error';
    try {
      outcome = await runLogonDialogue(call, { deps: app.deps, prompts, log });
    } finally {
      stopCounting();
      events.emit({ type: 'call-ended', outcome });
    }
  };
  return openSipEndpoint(app.config, media, handler, log);
}
