/**
 * Dependencies point inward: the domain is pure, services know the domain and their ports
 * (never an adapter), adapters know the domain and the services' public operations but
 * never each other, only adapters import drivers, and no module depends on itself through
 * others. A new import that breaks this fails here, naming the file and the import.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(p) && !/\.test\.tsx?$/.test(p) ? [p] : [];
  });
}

const IMPORT =
  /^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** Imports that stay in the built code: `import type` is erased, so it brings no module along. */
function valueImports(file: string): string[] {
  const code = readFileSync(file, 'utf8').replace(/^\s*(?:import|export)\s+type\s[^;]*;/gm, '');
  return [...code.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

/** A relative import as the source file it names (src/x/y.ts, or .tsx for the web's components); a package import as is. */
function resolved(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const ts = normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts');
  return existsSync(ts) || !existsSync(`${ts}x`) ? ts : `${ts}x`;
}

const FILES = sources('src');
const GRAPH = new Map(FILES.map((f) => [f, imports(f).map((i) => resolved(f, i))]));

/** The first folder under src/ (or the file, for src/compose.ts). */
const area = (file: string) => file.split('/')[1]!;

const DRIVERS = ['better-sqlite3', 'pg', 'kysely', 'nodemailer', '@node-rs/argon2', 'fastify', 'smtp-server', 'pino'];

/** Adapters: each sits at the edge and talks to the rest only through services and the domain. */
const ADAPTERS = ['http', 'shell', 'store', 'mail', 'crypto', 'web', 'sip'];
/** Composition roots: they choose and wire the adapters, so they may import any of them. */
const ROOTS = ['cli', 'compose.ts'];

/**
 * Service modules that only services use: the steps every operation shares (audit entries,
 * resolving identities, PIN secrets, sealing mail payloads). An adapter calling them would
 * skip the permission check or the audit entry of the operation that wraps them. (The
 * unguarded logon step is private to services/voice-logon.ts, so no adapter can reach it.)
 */
const SERVICE_INTERNALS = [
  'src/services/audit.ts',
  'src/services/resolve.ts',
  'src/services/pin-secrets.ts',
  'src/services/outbox.ts',
];

describe('layers', () => {
  it('the domain imports nothing but the domain', () => {
    for (const f of FILES.filter((f) => area(f) === 'domain')) {
      for (const i of imports(f)) expect(i.startsWith('./'), `${f} imports ${i}`).toBe(true);
    }
  });

  it('services use the domain and their ports, never an adapter or a driver', () => {
    for (const f of FILES.filter((f) => area(f) === 'services')) {
      for (const i of GRAPH.get(f)!) {
        const ok =
          i.startsWith('src/services/') || i.startsWith('src/domain/') || i === 'node:crypto' || i === 'csv-parse/sync';
        expect(ok, `${f} imports ${i}`).toBe(true);
      }
    }
  });

  it('only adapters and the composition roots import drivers', () => {
    for (const f of FILES) {
      if (ADAPTERS.includes(area(f)) || ROOTS.includes(area(f))) continue;
      for (const i of imports(f)) expect(DRIVERS.includes(i), `${f} imports ${i}`).toBe(false);
    }
  });

  it('an adapter never imports another adapter', () => {
    for (const f of FILES.filter((f) => ADAPTERS.includes(area(f)))) {
      // the web's bundle may know the API's shapes as types (erased): its code reaches the server only over HTTP
      const deps = area(f) === 'web' ? valueImports(f).map((i) => resolved(f, i)) : GRAPH.get(f)!;
      for (const i of deps) {
        if (!i.startsWith('src/')) continue;
        const other = area(i);
        const ok = other === area(f) || !(ADAPTERS.includes(other) || ROOTS.includes(other));
        expect(ok, `${f} imports ${i}`).toBe(true);
      }
    }
  });

  it("the web's bundle runs only itself, the domain and its UI packages; server modules only as types", () => {
    const UI_PACKAGES = ['preact', 'preact/hooks', '@preact/signals', 'intl-messageformat'];
    // vite.config.ts builds the bundle in Node; it is not part of it
    for (const f of FILES.filter((f) => area(f) === 'web' && !f.endsWith('vite.config.ts'))) {
      for (const i of valueImports(f).map((i) => resolved(f, i))) {
        const ok = i.startsWith('src/web/') || i.startsWith('src/domain/') || UI_PACKAGES.includes(i);
        expect(ok, `${f} imports ${i}`).toBe(true);
      }
    }
  });

  it('adapters reach services through their operations, not their internals', () => {
    for (const f of FILES.filter((f) => !f.startsWith('src/services/'))) {
      for (const i of GRAPH.get(f)!) expect(SERVICE_INTERNALS.includes(i), `${f} imports ${i}`).toBe(false);
    }
  });

  it('no module imports itself through others', () => {
    // Tarjan's strongly connected components over the import graph: any of more than one file is a cycle
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    let next = 0;
    const visit = (v: string): void => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      for (const w of GRAPH.get(v) ?? []) {
        if (!GRAPH.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1) cycles.push(component.map((c) => relative('.', c)).sort());
      }
    };
    for (const f of FILES) if (!index.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });
});
