/**
 * The admin center's build: src/web/index.html and what it imports, bundled into dist/web/
 * with hashed file names under assets/, which `umpin serve` serves. Nothing is inlined, so
 * the page runs under a Content-Security-Policy without 'unsafe-inline'.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  // JSX for Preact, without Babel: Vite's own transform does it
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('../../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // no data: URLs for scripts or styles, and no inline module-preload polyfill
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
