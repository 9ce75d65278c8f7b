/**
 * Dependencies point inward: the domain is pure, services know ports (not adapters), and
 * only adapters import the drivers. A new import that breaks this fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => (m[1] ?? m[2])!);
}

const DRIVERS = ['better-sqlite3', 'pg', 'kysely', 'nodemailer', '@node-rs/argon2', 'fastify', 'smtp-server', 'pino'];

describe('layers', () => {
  it('the domain imports nothing but the domain', () => {
    for (const f of sources('src/domain')) {
      for (const i of imports(f)) expect(i.startsWith('./'), `${relative('.', f)} imports ${i}`).toBe(true);
    }
  });

  it('services use the domain and their ports (services/ports/), never an adapter or a driver', () => {
    for (const f of sources('src/services')) {
      for (const i of imports(f)) {
        const inward = i.startsWith('.') && ['src/services/', 'src/domain/'].some((d) => relative('.', resolve(dirname(f), i)).startsWith(d));
        const ok = inward || i === 'node:crypto' || i === 'csv-parse/sync';
        expect(ok, `${relative('.', f)} imports ${i}`).toBe(true);
      }
    }
  });

  it('only adapters and the composition root import drivers', () => {
    const adapters = ['src/store/', 'src/crypto/', 'src/mail/', 'src/http/', 'src/compose.ts'];
    for (const f of sources('src')) {
      if (adapters.some((a) => f.startsWith(a))) continue;
      for (const i of imports(f)) expect(DRIVERS.includes(i), `${relative('.', f)} imports ${i}`).toBe(false);
    }
  });
});
