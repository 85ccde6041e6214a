import { defineConfig } from 'vitest/config';
import { migrationFiles } from '../vite-plugin-migrations.js';

// Benchmarks print figures and save them as JSON under bench/results/; they assert nothing about time.
export default defineConfig({
  plugins: [migrationFiles()],
  optimizeDeps: { exclude: ['@sqlite.org/sqlite-wasm'] },
  test: {
    include: ['bench/**/*.bench.ts'],
    environment: 'node',
    testTimeout: 30 * 60_000,
    fileParallelism: false,
  },
});
