/**
 * importTrajectories in a browser: a File or Blob goes to the store's worker
 * as a handle and is read there a slice at a time; a tab that does not hold
 * the database forwards it to the tab that does.
 */
import { expect, test } from '@playwright/test';
import { countIn, openStoreTab } from './support/pages.js';

test('a File of 1,200 JSONL documents (over 1 MiB) imports in batches with progress, in the tab holding the database', async ({
  context,
}) => {
  const { page } = await openStoreTab(context);
  const outcome = await page.evaluate(async () => {
    const lines = window.ts.atifBatch('file', 1200, 4).map((doc) => JSON.stringify(doc));
    lines.splice(600, 0, '{"schema_version": "ATIF-v1.6", "session_id": "cut'); // a damaged line, line 601
    const file = new File([`${lines.join('\n')}\n`], 'runs.jsonl', { type: 'application/jsonl' });
    const progress: Array<{ done: number; total: number }> = [];
    const result = await window.store.importTrajectories(file, { onProgress: (p) => progress.push(p) });
    return { size: file.size, progress, result };
  });
  expect(outcome.size).toBeGreaterThan(1 << 20);
  expect(outcome.result).toMatchObject({ format: 'jsonl', inserted: 1200 });
  expect(outcome.result.rejected).toEqual([
    { index: 600, line: 601, issues: [{ path: '', message: expect.stringContaining('is not valid JSON') }] },
  ]);
  expect(outcome.progress.length).toBeGreaterThanOrEqual(3);
  expect(outcome.progress.at(-1)).toEqual({ done: outcome.size, total: outcome.size });
  expect(await countIn(page)).toBe(1200);
});

test('a Blob of the streamed form imported from a tab that does not hold the database', async ({ context }) => {
  const holder = await openStoreTab(context);
  const other = await openStoreTab(context);
  expect(other.info.role).toBe('follower');
  const result = await other.page.evaluate(async () => {
    const { steps, ...root } = window.ts.atifDocument('streamed-run', 'streamword', 4);
    const text = [
      JSON.stringify({ __header__: true, ...root, created_at: '2025-11-12T22:22:17' }),
      ...steps.map((s) => JSON.stringify(s)),
    ].join('\n');
    return window.store.importTrajectories(new Blob([text]));
  });
  expect(result).toMatchObject({ format: 'atif-stream', inserted: 1, rejected: [] });
  const stored = await holder.page.evaluate(async () => (await window.store.getTrajectory('streamed-run'))?.summary);
  expect(stored).toMatchObject({ stepCount: 4, agentName: 'claude-code' });
});

test('an unknown file is refused with unknown_format and nothing is written', async ({ context }) => {
  const { page } = await openStoreTab(context);
  const error = await page.evaluate(async () => {
    await window.store.insertTrajectory(window.ts.atifDocument('kept'));
    return window.ts.errorOf(window.store.importTrajectories(new File(['name,age\nada,36\n'], 'people.csv')));
  });
  expect(error).toMatchObject({ isStoreError: true, code: 'unknown_format' });
  expect(error!.message).toContain('text that is not JSON');
  expect(await countIn(page)).toBe(1);
});
