import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

/** Pages of the e2e build (`vite build --mode e2e`): the app, and the pages the browser tests drive. */
function e2eInputs(): Record<string, string> {
  const pages = Object.fromEntries(
    readdirSync('e2e/pages')
      .filter((file) => file.endsWith('.html'))
      .map((file) => [`e2e/${file.replace(/\.html$/, '')}`, resolve('e2e/pages', file)]),
  );
  return existsSync('index.html') ? { index: resolve('index.html'), ...pages } : pages;
}

export default defineConfig(({ mode }) => ({
  // The wasm build locates sqlite3.wasm with import.meta.url: pre-bundling would break that.
  optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
  build: {
    outDir: mode === 'e2e' ? 'dist-e2e' : 'dist-app',
    target: 'es2022',
    ...(mode === 'e2e' ? { rolldownOptions: { input: e2eInputs() } } : {}),
  },
  worker: { format: 'es' },
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
  },
}));
