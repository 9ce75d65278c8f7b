import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { UmpinError } from './domain/errors.js';
import { DEFAULT_KDF, parseKdfParams, type KdfParams } from './crypto/kdf-params.js';
import { parseTollFraudOptions, type TollFraudOptions } from './services/toll-fraud-guard.js';

/** Configuration comes from the environment only (documented in docs/configuration.md). */
export interface Config {
  dataDir: string;
  /** "postgres://…" for PostgreSQL; otherwise the SQLite file path */
  databaseUrl: string;
  engine: 'sqlite' | 'postgres';
  httpPort: number;
  httpHost: string;
  kdf: KdfParams;
  secretKey: string | undefined;
  /** smtp:// or smtps:// URL; unset = .eml files in <dataDir>/maildrop */
  smtpUrl: string | undefined;
  mailFrom: string;
  mailTimeZone: string;
  /** a message still failing this long after it was queued becomes a dead letter */
  mailDeadAfterMs: number;
  /** how long a worker's claim on a mail lasts; a worker that dies releases its mails after this */
  mailLeaseMs: number;
  /** days before PINLifetime ends to remind users by mail; empty = no reminders */
  reminderDays: number[];
  /** bearer token a Prometheus scraper presents at /metrics; unset = /metrics answers loopback only */
  metricsToken: string | undefined;
  /** who may read /api/docs and /api/openapi.json (UMPIN_API_DOCS): signed-in callers unless public */
  apiDocs: 'public' | 'signed-in';
  /** PEM files for HTTPS served by umpin itself (UMPIN_HTTP_TLS_CERT/KEY); unset = plain HTTP (a proxy's job) */
  httpTls: { certPath: string; keyPath: string } | undefined;
  /** the voice endpoints' toll-fraud guard thresholds (UMPIN_TOLL_FRAUD) */
  tollFraud: TollFraudOptions;
  /** administrators' web sessions: idle (UMPIN_SESSION_IDLE_MINUTES, 30) and absolute (UMPIN_SESSION_HOURS, 12) limits */
  sessionTimeouts: { idleMs: number; absoluteMs: number };
  /** which proxies' X-Forwarded-For/-Proto to believe: false (none), true (any), a hop count, or addresses/CIDRs */
  trustProxy: false | string[];
  /** pino level of the server's JSON log */
  logLevel: LogLevel;
  /** the UDP ports calls' RTP may use (UMPIN_RTP_PORTS, 10000-20000) */
  rtpPorts: { min: number; max: number };
  /** the SIP endpoint of telephone voice access (docs/voice.md) */
  sip: SipConfig;
  /** the address users open umpin at, for the links in PIN mails (UMPIN_PUBLIC_URL); no trailing slash */
  publicUrl: string;
}

export interface SipConfig {
  /** listen address of every SIP transport (UMPIN_SIP_HOST) */
  host: string;
  /** UDP and TCP port (UMPIN_SIP_PORT, 5060); null = off */
  port: number | null;
  /** TLS port (UMPIN_SIP_TLS_PORT, 5061); null = off */
  tlsPort: number | null;
  /** whether the administrator chose the ports: a default port in use only costs a warning */
  portsExplicit: boolean;
  /** PEM files; unset = a self-signed certificate generated into the data directory */
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /** PEM file of the certificates that vouch for gateways we connect to (UMPIN_SIP_TLS_CA); unset = the system's */
  tlsCa: string | undefined;
  /** addresses and CIDR ranges of the gateways that may call (UMPIN_SIP_TRUSTED) */
  trusted: string[];
  /** we hang up a call after this long (UMPIN_SIP_MAX_CALL_SECONDS) */
  maxCallMs: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * UMPIN_PUBLIC_URL: an http(s) address with no query or fragment (a path prefix is kept, for a
 * proxy that serves umpin under one). Unset: the listen address, with localhost for a wildcard
 * one — right for a demo on one machine, not for users elsewhere.
 */
function publicUrl(v: string | undefined, host: string, port: number, tls: boolean): string {
  if (!v) {
    const name =
      host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : isIP(host) === 6 ? `[${host}]` : host;
    return `${tls ? 'https' : 'http'}://${name}:${port}`;
  }
  let url: URL | null = null;
  try {
    url = new URL(v);
  } catch {
    // refused below
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search !== '' || url.hash !== '' || url.username !== '')
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'UMPIN_PUBLIC_URL',
      params: {
        field: 'UMPIN_PUBLIC_URL',
        rule: 'an http:// or https:// address without query or fragment, such as https://voicemail.contoso.com',
      },
    });
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

function apiDocs(v: string | undefined): Config['apiDocs'] {
  const s = (v ?? '').trim().toLowerCase();
  if (s === '' || s === 'signed-in') return 'signed-in';
  if (s === 'public') return 'public';
  throw new UmpinError({
    code: 'UMPIN_VALUE_INVALID',
    field: 'UMPIN_API_DOCS',
    params: { field: 'UMPIN_API_DOCS', rule: 'signed-in (the default) or public' },
  });
}

function httpTls(env: NodeJS.ProcessEnv): Config['httpTls'] {
  const certPath = env.UMPIN_HTTP_TLS_CERT || undefined;
  const keyPath = env.UMPIN_HTTP_TLS_KEY || undefined;
  if (certPath === undefined && keyPath === undefined) return undefined;
  if (certPath === undefined || keyPath === undefined) {
    const field = certPath === undefined ? 'UMPIN_HTTP_TLS_CERT' : 'UMPIN_HTTP_TLS_KEY';
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field,
      params: { field, rule: 'UMPIN_HTTP_TLS_CERT and UMPIN_HTTP_TLS_KEY are given together (PEM file paths)' },
    });
  }
  return { certPath, keyPath };
}

/** An IPv4 or IPv6 address, optionally with a /prefix. */
function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
}

/**
 * The proxies whose X-Forwarded-For/-Proto we believe, by address or CIDR range. "true" (any
 * sender) and a hop count are refused: either lets a client that reaches the server directly
 * choose the address that audit entries and rate limits see.
 */
function trustProxy(v: string | undefined): Config['trustProxy'] {
  const s = (v ?? '').trim();
  if (s === '' || s.toLowerCase() === 'false') return false;
  const list = s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (!list.every(isAddressOrCidr)) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'UMPIN_TRUST_PROXY',
      params: {
        field: 'UMPIN_TRUST_PROXY',
        rule: "false, or a comma-separated list of your proxies' addresses or CIDR ranges such as 10.0.0.0/8 (not true or a hop count: they let any client choose its address)",
      },
    });
  }
  return list;
}

function logLevel(v: string | undefined): LogLevel {
  const s = (v || 'info').trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(s)) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'UMPIN_LOG_LEVEL',
      params: { field: 'UMPIN_LOG_LEVEL', rule: `one of ${LOG_LEVELS.join(', ')}` },
    });
  }
  return s as LogLevel;
}

function positive(v: string | undefined, fallback: number, field: string): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UmpinError({ code: 'UMPIN_VALUE_INVALID', field, params: { field, rule: 'a positive number' } });
  }
  return n;
}

function reminderDays(v: string | undefined): number[] {
  if (v === undefined) return [7, 1];
  const days = v
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (!days.every((d) => /^[0-9]{1,3}$/.test(d) && Number(d) > 0)) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'UMPIN_PIN_EXPIRY_REMINDER_DAYS',
      params: { field: 'UMPIN_PIN_EXPIRY_REMINDER_DAYS', rule: 'a comma-separated list of whole days, such as 7,1' },
    });
  }
  return days.map(Number);
}

/** `low-high`, 1024 ≤ low < high ≤ 65535: each call takes an even port of it (RTP's convention). */
function rtpPorts(v: string | undefined): Config['rtpPorts'] {
  if (v === undefined || v.trim() === '') return { min: 10000, max: 20000 };
  const m = /^\s*([0-9]{1,5})\s*-\s*([0-9]{1,5})\s*$/.exec(v);
  const min = Number(m?.[1]);
  const max = Number(m?.[2]);
  if (m === null || min < 1024 || max > 65535 || min >= max) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'UMPIN_RTP_PORTS',
      params: { field: 'UMPIN_RTP_PORTS', rule: 'a UDP port range low-high within 1024-65535, such as 10000-20000' },
    });
  }
  return { min, max };
}

function smtpUrl(v: string | undefined): string | undefined {
  if (!v) return undefined;
  let ok = false;
  try {
    const u = new URL(v);
    ok = (u.protocol === 'smtp:' || u.protocol === 'smtps:') && u.hostname !== '';
  } catch {
    ok = false;
  }
  // the value may hold a password: the message names the rule, never the value
  if (!ok)
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'UMPIN_SMTP_URL',
      params: {
        field: 'UMPIN_SMTP_URL',
        rule: 'an smtp:// or smtps:// URL such as smtp://user:password@mail.contoso.com:587',
      },
    });
  return v;
}

function sipPort(v: string | undefined, fallback: number, field: string): number | null {
  const s = (v ?? '').trim();
  if (s === '') return fallback;
  if (!/^[0-9]{1,5}$/.test(s) || Number(s) > 65535) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field,
      params: { field, rule: 'a port number 1-65535, or 0 to turn this transport off' },
    });
  }
  return Number(s) === 0 ? null : Number(s);
}

function sipTrusted(v: string | undefined): string[] {
  const list = (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (list.length === 0) return ['127.0.0.0/8', '::1'];
  if (!list.every(isAddressOrCidr)) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'UMPIN_SIP_TRUSTED',
      params: {
        field: 'UMPIN_SIP_TRUSTED',
        rule: 'a comma-separated list of gateway addresses or CIDR ranges, such as 192.0.2.10,10.1.0.0/16',
      },
    });
  }
  return list;
}

function sipConfig(env: NodeJS.ProcessEnv): SipConfig {
  const cert = env.UMPIN_SIP_TLS_CERT || undefined;
  const key = env.UMPIN_SIP_TLS_KEY || undefined;
  if ((cert === undefined) !== (key === undefined)) {
    const field = cert === undefined ? 'UMPIN_SIP_TLS_CERT' : 'UMPIN_SIP_TLS_KEY';
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field,
      params: { field, rule: 'UMPIN_SIP_TLS_CERT and UMPIN_SIP_TLS_KEY are given together (PEM file paths)' },
    });
  }
  return {
    host: env.UMPIN_SIP_HOST || '0.0.0.0',
    port: sipPort(env.UMPIN_SIP_PORT, 5060, 'UMPIN_SIP_PORT'),
    tlsPort: sipPort(env.UMPIN_SIP_TLS_PORT, 5061, 'UMPIN_SIP_TLS_PORT'),
    portsExplicit: Boolean(env.UMPIN_SIP_PORT || env.UMPIN_SIP_TLS_PORT),
    tlsCert: cert,
    tlsKey: key,
    tlsCa: env.UMPIN_SIP_TLS_CA || undefined,
    trusted: sipTrusted(env.UMPIN_SIP_TRUSTED),
    maxCallMs: positive(env.UMPIN_SIP_MAX_CALL_SECONDS, 600, 'UMPIN_SIP_MAX_CALL_SECONDS') * 1000,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.UMPIN_DATA_DIR || './data');
  const url = env.UMPIN_DATABASE_URL || '';
  const engine = /^postgres(ql)?:\/\//i.test(url) ? 'postgres' : 'sqlite';
  const databaseUrl = engine === 'postgres' ? url : url.replace(/^sqlite:(\/\/)?/i, '') || resolve(dataDir, 'umpin.db');
  const port = Number(env.UMPIN_HTTP_PORT || 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UmpinError({
      code: 'UMPIN_VALUE_INVALID',
      field: 'UMPIN_HTTP_PORT',
      params: { field: 'UMPIN_HTTP_PORT', rule: 'a TCP port number 0-65535' },
    });
  }
  return {
    dataDir,
    databaseUrl,
    engine,
    httpPort: port,
    httpHost: env.UMPIN_HTTP_HOST || '0.0.0.0',
    kdf: env.UMPIN_KDF ? parseKdfParams(env.UMPIN_KDF) : { ...DEFAULT_KDF },
    secretKey: env.UMPIN_SECRET_KEY,
    smtpUrl: smtpUrl(env.UMPIN_SMTP_URL),
    mailFrom: env.UMPIN_MAIL_FROM || 'Voice Mail <voicemail@localhost>',
    mailTimeZone: env.UMPIN_MAIL_TIMEZONE || 'UTC',
    mailDeadAfterMs: positive(env.UMPIN_MAIL_DEAD_AFTER_HOURS, 72, 'UMPIN_MAIL_DEAD_AFTER_HOURS') * 3_600_000,
    reminderDays: reminderDays(env.UMPIN_PIN_EXPIRY_REMINDER_DAYS),
    sessionTimeouts: {
      idleMs: positive(env.UMPIN_SESSION_IDLE_MINUTES, 30, 'UMPIN_SESSION_IDLE_MINUTES') * 60_000,
      absoluteMs: positive(env.UMPIN_SESSION_HOURS, 12, 'UMPIN_SESSION_HOURS') * 3_600_000,
    },
    mailLeaseMs: positive(env.UMPIN_MAIL_LEASE_SECONDS, 120, 'UMPIN_MAIL_LEASE_SECONDS') * 1000,
    metricsToken: env.UMPIN_METRICS_TOKEN || undefined,
    apiDocs: apiDocs(env.UMPIN_API_DOCS),
    httpTls: httpTls(env),
    tollFraud: parseTollFraudOptions(env.UMPIN_TOLL_FRAUD),
    trustProxy: trustProxy(env.UMPIN_TRUST_PROXY),
    logLevel: logLevel(env.UMPIN_LOG_LEVEL),
    rtpPorts: rtpPorts(env.UMPIN_RTP_PORTS),
    sip: sipConfig(env),
    publicUrl: publicUrl(
      env.UMPIN_PUBLIC_URL,
      env.UMPIN_HTTP_HOST || '0.0.0.0',
      port,
      Boolean(env.UMPIN_HTTP_TLS_CERT),
    ),
  };
}
