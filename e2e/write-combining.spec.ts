/**
 * What the store asks of OPFS for a save (src/worker/write-combining.ts): SQLite writes a save's pages to the log
 * one frame at a time, and they reach the disk as one write and one flush; what was written reads back whole.
 */
import { expect, test } from '@playwright/test';
import { RAW_POOL_PAGE } from './support/pages.js';

const OPFS_CALLS_PAGE = '/e2e/pages/opfs-calls.html';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

test('a save reaches OPFS as one write and one flush, and everything written reads back', async ({ context }) => {
  const page = await context.newPage();
  await page.goto(OPFS_CALLS_PAGE);
  const calls = await page.evaluate(async () => {
    await window.opfsCalls.open('combined');
    const saves = await window.opfsCalls.saves('one', 30);
    // Two transactions (batches of 500), each far larger than what is gathered before it goes out.
    const many = await window.opfsCalls.insertMany('many', 600);
    await window.opfsCalls.close();
    return { saves, many };
  });
  // Each save changes some 20 pages: 40 writes to the log (a frame header and a page each) without combining.
  expect(median(calls.saves.map((c) => c.writes))).toBe(1);
  // A checkpoint (every thousand frames or so) adds the database file's writes and flush to one save.
  expect(median(calls.saves.map((c) => c.flushes))).toBe(1);
  // Some 20,000 frames: about two writes each without combining.
  expect(calls.many.writes).toBeLessThan(200);

  // A new worker, as after a reload: every document is there as it was saved, and the file is whole.
  await page.reload();
  const same = await page.evaluate(async () => {
    await window.opfsCalls.open('combined');
    const counts = [await window.opfsCalls.same('one', 30), await window.opfsCalls.same('many', 600)];
    await window.opfsCalls.close();
    return counts;
  });
  expect(same).toEqual([30, 600]);
  await page.close();
  const raw = await context.newPage();
  await raw.goto(RAW_POOL_PAGE);
  const integrity = await raw.evaluate(async () => {
    const rows = await window.rawPool.query('combined', 'PRAGMA integrity_check');
    window.rawPool.release();
    return rows;
  });
  expect(integrity).toEqual([['ok']]);
});
