/**
 * The browser benchmarks, against the bench build (`vite build --mode bench`: the e2e pages plus bench/pages):
 * `npm run bench` runs browser-suite.ts (through bench/run.mjs); `npm run bench:browser` (browser-write.ts) and
 * `npm run bench:browser:scale` (browser-scale.ts) stay as they were; `npm run bench:browser:import` (browser-import.ts)
 * replace-imports a 100,000-trajectory snapshot; `npm run bench:browser:compare`
 * (browser-compare.ts) and `npm run bench:browser:transport` (transport-trial.ts) run one each.
 */
import { defineConfig } from '@playwright/test';
import base, { PREVIEW_PORT } from '../playwright.config.js';

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: [
    'browser-suite.ts',
    'browser-write.ts',
    'browser-save-profile.ts',
    'browser-scale.ts',
    'browser-import.ts',
    'browser-compare.ts',
    'transport-trial.ts',
  ],
  workers: 1,
  fullyParallel: false,
  reporter: 'list',
  webServer: {
    ...base.webServer,
    command: `npx vite build --mode bench && npx vite preview --mode bench --port ${PREVIEW_PORT} --strictPort`,
    url: `http://localhost:${PREVIEW_PORT}/bench/pages/bench.html`,
    cwd: new URL('..', import.meta.url).pathname,
  },
});
