/** Snapshot files on disk, and the SQLite tools outside the browser that open them. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';

const TOOL = new URL('./snapshot_tool.py', import.meta.url).pathname;
export const ORIGINAL_SCHEMA = new URL('../../test/fixtures/original-desktop-tool.sql', import.meta.url).pathname;

/** A fresh directory under the test's output folder (test-results/, emptied at each run). */
export function tempDir(): string {
  const base = test.info().outputPath('files');
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, 'run-'));
}

/** Runs e2e/support/snapshot_tool.py (Python's sqlite3 module); returns what it printed. */
export function snapshotTool(...args: string[]): string {
  return execFileSync('python3', [TOOL, ...args], { encoding: 'utf8' });
}

/** Runs SQL in the stock `sqlite3` shell on `file`; returns its output lines. */
export function sqliteShell(file: string, sql: string): string[] {
  return execFileSync('sqlite3', ['-bail', '-readonly', file, sql], { encoding: 'utf8' }).trim().split('\n');
}

/** The store's snapshot, exported in `page`, written to `file`. */
export async function exportTo(page: Page, file: string): Promise<Buffer> {
  const base64 = await page.evaluate(async () => window.ts.toBase64(await window.store.exportSnapshot()));
  const bytes = Buffer.from(base64, 'base64');
  writeFileSync(file, bytes);
  return bytes;
}

/** Imports `bytes` in `page`; resolves to the import's result, or to the error it failed with. */
export function importIn(page: Page, bytes: Uint8Array, mode: 'replace' | 'merge') {
  return page.evaluate(
    async ({ base64, mode }) => {
      try {
        return { result: await window.store.importSnapshot(window.ts.fromBase64(base64), { mode }) };
      } catch (error) {
        return { error: window.ts.describeError(error) };
      }
    },
    { base64: Buffer.from(bytes).toString('base64'), mode },
  );
}

export function readBytes(file: string): Buffer {
  return readFileSync(file);
}
