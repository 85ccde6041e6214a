/** Many tabs of one origin, one database: one tab's worker holds it, the others reach it through that one. */
import { expect, test } from '@playwright/test';
import { accessHandleErrors, countIn, idsIn, openStoreTab } from './support/pages.js';

test('a second and third tab follow the first, and every tab reads what any tab wrote', async ({ context }) => {
  const a = await openStoreTab(context);
  const b = await openStoreTab(context);
  const c = await openStoreTab(context);
  expect([a.info.role, b.info.role, c.info.role]).toEqual(['leader', 'follower', 'follower']);
  expect([a.info.storage, b.info.storage, c.info.storage]).toEqual(['opfs', 'opfs', 'opfs']);

  await b.page.evaluate(() => window.store.insertTrajectory(window.ts.atifDocument('from-b')));
  await c.page.evaluate(() => window.store.insertTestGenTrajectory(window.ts.testgenDocument('from-c')));
  for (const tab of [a, b, c]) {
    expect(await idsIn(tab.page)).toEqual(['from-b', 'from-c']);
    const hit = await tab.page.evaluate(() => window.store.searchTrajectories('wordfromb'));
    expect(hit.items.map((item) => item.id)).toEqual(['from-b']);
  }
  const stored = await a.page.evaluate(() => window.store.getTrajectory('from-c'));
  expect(stored?.testgen).toMatchObject({ sessionId: 'from-c', taskId: 'regex-log' });
  for (const tab of [a, b, c]) expect(accessHandleErrors(tab.console)).toEqual([]);
});

test('two and three tabs writing at once: every insertMany lands', async ({ context }) => {
  const tabs = [await openStoreTab(context), await openStoreTab(context), await openStoreTab(context)];
  // Two tabs at once, then all three.
  await Promise.all(
    tabs
      .slice(0, 2)
      .map((tab, t) =>
        tab.page.evaluate(async (t) => window.store.insertMany(window.ts.atifBatch(`pair${t}`, 400)), t),
      ),
  );
  const results = await Promise.all(
    tabs.map((tab, t) =>
      tab.page.evaluate(async (t) => window.store.insertMany(window.ts.atifBatch(`trio${t}`, 700)), t),
    ),
  );
  for (const result of results) expect(result).toMatchObject({ inserted: 700, replaced: 0, skipped: 0, rejected: [] });
  for (const tab of tabs) expect(await countIn(tab.page)).toBe(2 * 400 + 3 * 700);
  const ids = new Set(await idsIn(tabs[2]!.page));
  for (const prefix of ['pair0', 'pair1', 'trio0', 'trio1', 'trio2']) {
    const count = prefix.startsWith('pair') ? 400 : 700;
    for (let i = 0; i < count; i++) expect(ids.has(`${prefix}-${i}`)).toBe(true);
  }
  for (const tab of tabs) expect(accessHandleErrors(tab.console)).toEqual([]);
});

test('subscribe tells every tab of every change', async ({ context }) => {
  const tabs = [await openStoreTab(context), await openStoreTab(context), await openStoreTab(context)];
  for (const tab of tabs) {
    await tab.page.evaluate(() => {
      const seen: Array<{ change: unknown; at: number }> = [];
      Object.assign(window, { seen });
      window.store.subscribe((change) => seen.push({ change, at: Date.now() }));
    });
  }
  const savedAt = await tabs[2]!.page.evaluate(async () => {
    const before = Date.now();
    await window.store.insertTrajectory(window.ts.atifDocument('news'));
    return before;
  });
  await tabs[1]!.page.evaluate(() => window.store.deleteTrajectory('news'));
  for (const [t, tab] of tabs.entries()) {
    await expect
      .poll(() =>
        tab.page.evaluate(() => (window as unknown as { seen: Array<{ change: unknown }> }).seen.map((s) => s.change)),
      )
      .toEqual([
        { type: 'saved', ids: ['news'] },
        { type: 'deleted', ids: ['news'] },
      ]);
    const firstAt = await tab.page.evaluate(() => (window as unknown as { seen: Array<{ at: number }> }).seen[0]!.at);
    console.log(`tab ${t} heard of the save ${firstAt - savedAt} ms after the saving tab made the call`);
  }
});
