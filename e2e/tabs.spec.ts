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

test("a tab that does not hold the database gets each result straight from the holding tab's worker, whole", async ({
  context,
}) => {
  const holder = await openStoreTab(context);
  // What reaches the follower's page over BroadcastChannels (the store's own channels, watched, not replaced).
  type Heard = { type: string; ok?: boolean; id?: string };
  await context.addInitScript(() => {
    const heard: Heard[] = [];
    const Native = window.BroadcastChannel;
    window.BroadcastChannel = class extends Native {
      constructor(name: string) {
        super(name);
        this.addEventListener('message', (event) => {
          const data = event.data as { type?: string; outcome?: { ok: boolean; value?: { summary?: { id: string } } } };
          if (data?.type === 'reply' || data?.type === 'progress')
            heard.push({ type: data.type, ok: data.outcome?.ok, id: data.outcome?.value?.summary?.id });
        });
      }
    };
    Object.assign(window, { heard });
  });
  const follower = await openStoreTab(context);
  expect([holder.info.role, follower.info.role]).toEqual(['leader', 'follower']);
  const heard = () => follower.page.evaluate(() => (window as unknown as { heard: Heard[] }).heard.splice(0));
  expect(await heard()).toEqual([{ type: 'reply', ok: true }]); // openStoreTab's info()

  // A 2 MB document, saved by the holding tab and read from the other.
  const saved = await holder.page.evaluate(async () => {
    await window.store.insertTrajectory(window.ts.atifDocument('big', 'wordbig', 5000));
    return JSON.stringify(await window.store.getTrajectory('big'));
  });
  expect(saved.length).toBeGreaterThan(2_000_000);
  expect(await follower.page.evaluate(async () => JSON.stringify(await window.store.getTrajectory('big')))).toBe(saved);
  expect(await heard()).toEqual([{ type: 'reply', ok: true, id: 'big' }]);

  // Progress and the reply of a write, in order; then a refusal, still a TrajectoryStoreError with its issues.
  const written = await follower.page.evaluate(async () => {
    const seen: number[] = [];
    const result = await window.store.insertMany(window.ts.atifBatch('many', 1200), {
      onProgress: ({ done }) => seen.push(done),
    });
    return { inserted: result.inserted, seen };
  });
  expect(written).toEqual({ inserted: 1200, seen: [500, 1000, 1200] });
  expect((await heard()).map((message) => message.type)).toEqual(['progress', 'progress', 'progress', 'reply']);
  const refusal = await follower.page.evaluate(() =>
    window.ts.errorOf(window.store.insertTrajectory({ schema_version: 'ATIF-v1.6' } as never)),
  );
  expect(refusal).toMatchObject({ isStoreError: true, code: 'validation' });
  expect(refusal?.issues).not.toEqual([]);
  expect(await heard()).toEqual([{ type: 'reply', ok: false }]);

  // Result bytes: a snapshot of the other tab's, whole.
  const count = await follower.page.evaluate(async () => {
    const copy = await window.ts.openTrajectoryStore({ snapshot: await window.store.exportSnapshot() });
    const { trajectoryCount } = await copy.info();
    await copy.close();
    return trajectoryCount;
  });
  expect(count).toBe(1201);
});
