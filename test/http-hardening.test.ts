/**
 * The HTTP server as a service on the internet meets it: security headers on every answer,
 * proxies trusted by address only, unreadable requests (a bad URL, oversized headers, bytes
 * that are not HTTP) answered in the API's error shape and logged, API docs for signed-in
 * callers unless opened, and HTTPS served by umpin itself with HSTS and a certificate
 * reloaded on SIGHUP without a restart.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { apiContext, type ApiContext, tokenFor } from './api-client.js';
import { CLI, freePort } from './cli-runner.js';
import { childEnv, freshDatabase } from './harness.js';

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** What the server answers to raw bytes on a plain TCP connection. */
async function raw(port: number, bytes: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1', () => socket.end(bytes));
    let out = '';
    socket.on('data', (d) => (out += d.toString('utf8')));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
  });
}

describe('the HTTP server against what the internet sends', () => {
  let ctx: ApiContext;
  let port: number;

  beforeAll(async () => {
    ctx = await apiContext('sqlite');
    port = await freePort();
    await ctx.app.listen({ port, host: '127.0.0.1' });
  });
  afterAll(() => ctx?.close());

  it('puts a policy that forbids framing and loading, no referrer and nosniff on every kind of answer', async () => {
    for (const url of ['/healthz', '/api/v1/um-mailboxes', '/api/v1/no-such-thing', '/api/openapi.json']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy'], url).toBe(API_CSP);
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      // plain HTTP here: HSTS only where umpin itself serves TLS
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it("answers a URL with a bad %-escape with UMPIN_REQUEST_MALFORMED in the caller's language, and logs it", async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/um-mailboxes/%zz',
      headers: { 'accept-language': 'zh-TW' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'UMPIN_REQUEST_MALFORMED', params: { reason: 'url' } });
    expect(res.json().message).toContain('URL 無效');
    expect(res.headers['content-security-policy']).toBe(API_CSP);
    expect(ctx.logLines.some((l) => l.includes('request refused') && l.includes('FST_ERR_BAD_URL'))).toBe(true);
  });

  it('answers oversized headers with 431 and bytes that are not HTTP with 400, both in the API error shape and logged', async () => {
    const big = await raw(port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(big.slice(big.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'UMPIN_REQUEST_MALFORMED',
      params: { reason: 'headers-too-large' },
    });
    const garbage = await raw(port, 'HELLO THERE\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toContain('"code":"UMPIN_REQUEST_MALFORMED"');
    expect(garbage).toContain(`Content-Security-Policy: ${API_CSP}`);
    await expect.poll(() => ctx.logLines.filter((l) => l.includes('request refused')).length).toBeGreaterThanOrEqual(3);
    // and it still answers
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('keeps the API docs page and document for signed-in callers', async () => {
    for (const url of ['/api/docs', '/api/docs/static/index.html', '/api/openapi.json']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().code).toBe('UMPIN_AUTH_REQUIRED');
    }
    const token = await tokenFor(ctx, 'ViewOnlyOrganizationManagement');
    const doc = await ctx.app.inject({
      method: 'GET',
      url: '/api/openapi.json',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(doc.statusCode).toBe(200);
    expect(doc.json().info.title).toBe('umpin API');
  });
});

describe('the HTTP settings', () => {
  it('trusts proxies by address or range only, never every sender or a hop count', () => {
    expect(loadConfig({ UMPIN_TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy).toEqual(['10.0.0.0/8', '::1']);
    expect(loadConfig({}).trustProxy).toBe(false);
    for (const bad of ['true', '1', 'proxy.contoso.com', '10.0.0.0/33'])
      expect(() => loadConfig({ UMPIN_TRUST_PROXY: bad }), bad).toThrow(/UMPIN_TRUST_PROXY/);
  });

  it('opens the API docs to everyone only when told, and takes the TLS files together', () => {
    expect(loadConfig({}).apiDocs).toBe('signed-in');
    expect(loadConfig({ UMPIN_API_DOCS: 'public' }).apiDocs).toBe('public');
    expect(() => loadConfig({ UMPIN_API_DOCS: 'everyone' })).toThrow(/UMPIN_API_DOCS/);
    expect(() => loadConfig({ UMPIN_HTTP_TLS_CERT: '/etc/umpin/web.pem' })).toThrow(/UMPIN_HTTP_TLS_KEY/);
  });
});

async function pemPair(commonName: string) {
  return generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
}

/** The subject's CN of the certificate the server shows to a new connection. */
async function servedCommonName(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const cn = s.getPeerCertificate().subject?.CN;
      s.end();
      resolve(String(cn));
    });
    s.on('error', reject);
  });
}

describe('umpin serve over HTTPS', () => {
  it('serves HTTPS with HSTS from UMPIN_HTTP_TLS_CERT/KEY, and takes a renewed certificate on SIGHUP', async () => {
    const db = await freshDatabase('sqlite');
    const dir = mkdtempSync(join(tmpdir(), 'umpin-https-'));
    const port = await freePort();
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const first = await pemPair('umpin first');
    writeFileSync(cert, first.cert);
    writeFileSync(key, first.private);
    const child = spawn(process.execPath, [CLI, 'serve'], {
      env: childEnv(db, {
        UMPIN_HTTP_PORT: String(port),
        UMPIN_HTTP_HOST: '127.0.0.1',
        UMPIN_HTTP_TLS_CERT: cert,
        UMPIN_HTTP_TLS_KEY: key,
        UMPIN_SIP_PORT: '0',
        UMPIN_SIP_TLS_PORT: '0',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await expect.poll(() => out, { timeout: 20_000 }).toContain(`https://127.0.0.1:${port}`);
      expect(await servedCommonName(port)).toBe('umpin first');
      const res = await new Promise<{ status: number; hsts: string | undefined }>((resolve, reject) => {
        const s = tlsConnect({ host: '127.0.0.1', port, ca: first.cert }, () => {
          s.end('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
        });
        let text = '';
        s.on('data', (d) => (text += d.toString()));
        s.on('end', () =>
          resolve({
            status: Number(text.split(' ')[1]),
            hsts: /strict-transport-security: ([^\r\n]+)/i.exec(text)?.[1],
          }),
        );
        s.on('error', reject);
      });
      expect(res).toEqual({ status: 200, hsts: 'max-age=31536000' });
      // renewed in place, then a hang-up signal: new connections see the new certificate
      const second = await pemPair('umpin renewed');
      writeFileSync(cert, second.cert);
      writeFileSync(key, second.private);
      child.kill('SIGHUP');
      await expect.poll(() => out).toContain('HTTPS certificate reloaded');
      expect(await servedCommonName(port)).toBe('umpin renewed');
      // a broken pair leaves the running certificate in place
      writeFileSync(key, first.private);
      child.kill('SIGHUP');
      await expect.poll(() => out).toContain('HTTPS certificate not reloaded');
      expect(await servedCommonName(port)).toBe('umpin renewed');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
      rmSync(dir, { recursive: true, force: true });
      await db.drop();
    }
  });
});
