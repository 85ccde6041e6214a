/** A browser on a profile of its own, started, killed without warning, and started again on the same profile. */
import { readdirSync, readFileSync } from 'node:fs';
import { chromium, type BrowserContext } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PREVIEW_PORT } from '../../playwright.config.js';
import { RAW_POOL_PAGE } from './pages.js';

export const LAUNCH_OPTIONS = {
  headless: true,
  args: CHROMIUM_ARGS,
  ...(CHROMIUM_PATH ? { executablePath: CHROMIUM_PATH } : {}),
};

/** Starts the browser on `userDataDir` (its OPFS lives there, so a restart finds the same database). */
export function launchProfile(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, LAUNCH_OPTIONS);
}

/** A page of the tests' server, addressed in full (a context of `launchProfile` has no base URL). */
export function profileUrl(path: string): string {
  return `http://localhost:${PREVIEW_PORT}${path}`;
}

/** SQLite's own check of the database file, run on the pool before any store opens it: `[['ok']]` when sound. */
export async function integrityOf(context: BrowserContext, name = 'trajectories'): Promise<unknown> {
  const raw = await context.newPage();
  await raw.goto(profileUrl(RAW_POOL_PAGE));
  const rows = await raw.evaluate(async (name) => {
    const result = await window.rawPool.query(name, 'PRAGMA integrity_check');
    window.rawPool.release();
    return result;
  }, name);
  await raw.close();
  return rows;
}

/** Kills every process of the browser running on `userDataDir` with SIGKILL: nothing is closed, flushed or saved. */
export function killBrowser(userDataDir: string): number {
  let killed = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(userDataDir)) continue;
      process.kill(Number(pid), 'SIGKILL');
      killed++;
    } catch {
      // Gone already.
    }
  }
  return killed;
}

/** Kills the browser of `context` (SIGKILL) and lets Playwright notice that it is gone. */
export async function killContext(context: BrowserContext, userDataDir: string): Promise<void> {
  if (killBrowser(userDataDir) === 0) throw new Error(`no browser process found on ${userDataDir}`);
  await context.close().catch(() => {});
}

/** A small seeded random number generator (mulberry32): the same seed gives the same kill points. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Long runs (`npm run test:reliability`) set RELIABILITY_LONG=1. */
export const LONG_RUN = process.env.RELIABILITY_LONG === '1';

/** The seed of a run: CRASH_SEED when given (to replay a failure), else fixed in `npm test`, fresh in a long run. */
export function runSeed(): number {
  if (process.env.CRASH_SEED) return Number(process.env.CRASH_SEED);
  return LONG_RUN ? Math.floor(Math.random() * 2 ** 31) : 20261126;
}
