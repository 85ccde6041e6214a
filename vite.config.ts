import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PreviewServer } from 'vite';
import { defineConfig } from 'vitest/config';
import { migrationFiles } from './vite-plugin-migrations.js';

/** The HTML pages of `dir`, as build inputs named `<prefix>/<page>`. */
function pagesIn(dir: string, prefix: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((file) => file.endsWith('.html'))
      .map((file) => [`${prefix}/${file.replace(/\.html$/, '')}`, resolve(dir, file)]),
  );
}

/**
 * Pages of the e2e build (`vite build --mode e2e`): the app, and the pages the browser tests drive; the bench build
 * (`--mode bench`) adds the benchmark's pages.
 */
function testInputs(mode: string): Record<string, string> {
  const pages = { ...pagesIn('e2e/pages', 'e2e'), ...(mode === 'bench' ? pagesIn('bench/pages', 'bench') : {}) };
  return existsSync('index.html') ? { index: resolve('index.html'), ...pages } : pages;
}

/**
 * The bench's peer page runs SQLocal, whose `opfs` VFS needs SharedArrayBuffer: that page is served cross-origin
 * isolated (COOP/COEP), and so is every script, worker and wasm file, which the isolated page and its nested workers
 * load. The other pages are not: a page is isolated only by its own headers, as a HUD embedding the store is not.
 */
function isolateBenchPeers(server: PreviewServer): void {
  server.middlewares.use((req, res, next) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const isPage = path.endsWith('.html') || path.endsWith('/');
    if (!isPage || path.includes('/bench/pages/peers')) {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    }
    next();
  });
}

export default defineConfig(({ mode }) => ({
  // The wasm build locates sqlite3.wasm with import.meta.url: pre-bundling would break that.
  optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm', 'sqlocal'] },
  build: {
    outDir: mode === 'e2e' || mode === 'bench' ? `dist-${mode}` : 'dist-app',
    target: 'es2022',
    ...(mode === 'e2e' || mode === 'bench' ? { rolldownOptions: { input: testInputs(mode) } } : {}),
  },
  plugins: [
    migrationFiles(),
    ...(mode === 'bench' ? [{ name: 'isolate-bench-peers', configurePreviewServer: isolateBenchPeers }] : []),
  ],
  // A worker's bundle has plugins of its own (the top-level ones apply to workers only in dev).
  worker: { format: 'es', plugins: () => [migrationFiles()] },
  preview: {
    port: 4173,
    strictPort: true,
    // The e2e tests reach the preview under this name too: plain http on a name other than localhost is not a
    // secure context, so the page has no OPFS (the in-memory fallback).
    allowedHosts: ['insecure.trajectory-store.test'],
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // A file's shared setup builds its data (test/search-unranked.test.ts: hundreds of saves), slow on a loaded machine.
    hookTimeout: 60_000,
  },
}));
