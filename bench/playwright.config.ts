/** `npm run bench:browser`: the browser benchmark, against the same built pages as the e2e tests. */
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.js';

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'browser-write.ts',
  workers: 1,
  fullyParallel: false,
  reporter: 'list',
});
