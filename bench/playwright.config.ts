/**
 * The browser benchmarks, against the same built pages as the e2e tests:
 * `npm run bench:browser` (browser-write.ts) and `npm run bench:browser:scale` (browser-scale.ts).
 */
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.js';

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: ['browser-write.ts', 'browser-scale.ts'],
  workers: 1,
  fullyParallel: false,
  reporter: 'list',
});
