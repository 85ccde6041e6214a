import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

/** Debian's Chromium where it is installed (Playwright cannot download its own browsers here). */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_PATH = existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : undefined;
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/**
 * The tests' own preview server, on a port free when the run starts (never the app's 4173, so that `npm test`
 * works while `npm start` runs, and two checkouts can test at once). Playwright loads this file again in each
 * worker: the port travels to them in the environment, so every process agrees on it.
 */
process.env.TRAJECTORY_STORE_E2E_PORT ||= String(freePort());
export const PREVIEW_PORT = Number(process.env.TRAJECTORY_STORE_E2E_PORT);

function freePort(): number {
  const script =
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})";
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim());
}

export default defineConfig({
  testDir: 'e2e',
  // Two cores in CI: Chromium's tabs and the preview server share them.
  workers: 2,
  fullyParallel: true,
  // One retry in CI, where two shared cores make timing-sensitive page tests flaky; a retried test is reported
  // as flaky in the output, so it stays visible.
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://localhost:${PREVIEW_PORT}`,
    headless: true,
    launchOptions: { ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}), args: CHROMIUM_ARGS },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // The tests run against the built output, not the dev server: the wasm URL and worker format have broken in builds before.
    command: `npx vite build --mode e2e && npx vite preview --mode e2e --port ${PREVIEW_PORT} --strictPort`,
    url: `http://localhost:${PREVIEW_PORT}/e2e/pages/store.html`,
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    // Never a server this run did not start: on a taken port the run fails instead of testing someone else's build.
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
