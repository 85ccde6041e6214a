import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The wasm build locates sqlite3.wasm with import.meta.url: pre-bundling would break that.
  optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
  build: { outDir: 'dist-app', target: 'es2022' },
  worker: { format: 'es' },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
});
