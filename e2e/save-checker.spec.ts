/**
 * A large insertMany in the browser has its items prepared in a save checker, a worker of the store's worker,
 * while the store's worker writes (src/worker/checked-saves.ts); a small one (a recorder's save) does not. Either
 * way the same items are stored, refused, renamed and reported: here the same items saved in one call (through
 * the checker) and in calls too small for it (on the store's worker alone), into two databases of one tab, must
 * leave the same documents, summaries, search and stats, and add up to the same report.
 */
import { expect, test } from '@playwright/test';
import { atifDocument, testgenDocument } from './support/documents.js';
import { openStoreTab } from './support/pages.js';

/** 620 items (two batches of insertMany): runs, refused items, a warning, testgen sessions, repeats, a kept copy. */
function mixedItems(): unknown[] {
  const items: unknown[] = Array.from({ length: 620 }, (_, i) =>
    atifDocument(`run-${i}`, i % 2 ? 'wordy 東京都の設定' : 'wordy', 2 + (i % 3)),
  );
  const warned = atifDocument('warned');
  items[3] = { schema_version: 'ATIF-v1.6', steps: 'not a list' };
  items[498] = { ...warned, agent: { name: warned.agent.name, model: 'misspelt' } };
  items[499] = { testgen: testgenDocument('tg-1') };
  items[500] = { testgen: { sessionId: 'tg-bad' } };
  items[501] = atifDocument('run-0', 'another task under run-0');
  items[502] = atifDocument('run-1', 'wordy 東京都の設定', 3); // the same as item 1: unchanged
  items[503] = atifDocument('run-2', 'wordy', 6); // item 2 grown: replaced
  items[504] = { id: 'kept~7', trajectory: atifDocument('kept') };
  items[619] = 42;
  return items;
}

test('a large insertMany is prepared in a save checker and stores exactly what smaller calls store', async ({
  context,
}) => {
  const { page } = await openStoreTab(context, { name: 'checked' });
  const checkers: string[] = [];
  page.on('worker', (worker) => {
    if (worker.url().includes('save-checker')) checkers.push(worker.url());
  });
  const outcome = await page.evaluate(async (items) => {
    type Store = Awaited<ReturnType<typeof window.ts.openTrajectoryStore>>;
    type Report = Awaited<ReturnType<Store['insertMany']>>;
    /** What a store holds, the save times left out (they differ from one save to the next). */
    const contents = async (store: Store) => {
      const untimed = ({ createdAt: _c, updatedAt: _u, ...summary }: Record<string, unknown>) => summary;
      const summaries = (await store.listTrajectories({ limit: 1000 })).items.sort((a, b) => (a.id < b.id ? -1 : 1));
      const hits = (await store.searchTrajectories('wordy', { limit: 1000 })).items;
      return {
        documents: await store.exportTrajectories({ format: 'jsonl' }),
        summaries: summaries.map((summary) => untimed(summary as unknown as Record<string, unknown>)),
        search: hits.map((hit) => [hit.id, hit.snippet, hit.rank]),
        stats: await store.getStats(),
      };
    };
    /** The reports of calls over consecutive slices, as one call's report would be. */
    const together = (reports: Array<{ from: number; report: Report }>): Report => {
      const [first, ...rest] = reports;
      const sum = structuredClone(first!.report);
      for (const { from, report } of rest) {
        for (const key of ['inserted', 'replaced', 'unchanged', 'skipped'] as const) sum[key] += report[key];
        for (const key of ['rejected', 'renamed', 'warnings'] as const) {
          (sum[key] as Array<{ index: number }>).push(
            ...report[key].map((entry) => ({ ...entry, index: from + entry.index })),
          );
        }
      }
      return sum;
    };
    const earlier = [window.ts.atifDocument('run-5', 'stored before'), { testgen: window.ts.testgenDocument('tg-1') }];
    const progress: string[] = [];
    await window.store.insertMany(earlier);
    const checked = await window.store.insertMany(items as never, {
      onProgress: ({ done, total }) => progress.push(`${done}/${total}`),
    });

    const direct = await window.ts.openTrajectoryStore({ name: 'direct' });
    await direct.insertMany(earlier as never);
    const reports: Array<{ from: number; report: Report }> = [];
    for (let from = 0; from < items.length; from += 50) {
      reports.push({ from, report: await direct.insertMany(items.slice(from, from + 50) as never) });
    }
    const result = { checked, progress, direct: together(reports), stored: await contents(window.store) };
    const directStored = await contents(direct);
    await direct.close();
    return { ...result, directStored };
  }, mixedItems());

  expect(checkers.length).toBe(1); // the one large call had a checker; the small ones none
  expect(outcome.progress).toEqual(['500/620', '620/620']);
  expect(outcome.checked).toEqual(outcome.direct);
  expect(outcome.stored).toEqual(outcome.directStored);
  // The mix did what it says.
  expect(outcome.checked.rejected.map((r) => r.index)).toEqual([3, 500, 619]);
  expect(outcome.checked.renamed.map((r) => r.id)).toEqual(['run-5~2', 'run-0~2']);
  expect(outcome.checked.warnings.map((w) => w.index)).toEqual([498]);
  expect([outcome.checked.unchanged, outcome.checked.replaced]).toEqual([2, 1]);
  expect(outcome.checked.inserted).toBe(614);
  expect(outcome.stored.summaries.length).toBe(2 + 614); // the two saved before, and the new rows
});
