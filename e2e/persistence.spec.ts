/** What a resolved call saved survives a reload and a browser restart; where OPFS is missing, the store says so. */
import { chromium, expect, test } from '@playwright/test';
import { CHROMIUM_ARGS, PREVIEW_PORT } from '../playwright.config.js';
import { killBrowser, LAUNCH_OPTIONS } from './support/browser-process.js';
import { atifDocument } from './support/documents.js';
import { consoleOf, idsIn, openStoreIn, openStoreTab, RAW_POOL_PAGE, STORE_PAGE } from './support/pages.js';

test('info reports where the data lives, whether it is persisted, and its size', async ({ page }) => {
  await page.goto(STORE_PAGE);
  const before = await openStoreIn(page);
  expect(before).toMatchObject({
    storage: 'opfs',
    role: 'leader',
    trajectoryCount: 0,
    sqliteVersion: '3.54.1',
    schemaVersion: expect.stringMatching(/^\d{3}_/),
  });
  expect(before.persisted).toBe(await page.evaluate(() => navigator.storage.persisted()));
  const after = await page.evaluate(async () => {
    await window.store.insertMany(window.ts.atifBatch('size', 300));
    return window.store.info();
  });
  expect(after.trajectoryCount).toBe(300);
  expect(after.sizeBytes).toBeGreaterThan(before.sizeBytes);
});

test('errors reach the page as TrajectoryStoreError, with code and issues', async ({ page }) => {
  await page.goto(STORE_PAGE);
  await openStoreIn(page);
  const invalid = await page.evaluate(() =>
    window.ts.errorOf(
      window.store.insertTrajectory(
        {
          schema_version: 'ATIF-v9',
          agent: { name: '' },
          steps: [{ step_id: 2 }],
        } as never,
        { strict: true },
      ),
    ),
  );
  expect(invalid).toMatchObject({ isStoreError: true, name: 'TrajectoryStoreError', code: 'validation' });
  expect(invalid!.issues).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ path: 'schema_version' }),
      expect.objectContaining({ path: 'agent.name' }),
    ]),
  );
  const badName = await page.evaluate(() => window.ts.errorOf(window.ts.openTrajectoryStore({ name: '../etc' })));
  expect(badName).toMatchObject({
    isStoreError: true,
    code: 'validation',
    issues: [expect.objectContaining({ path: 'name' })],
  });
  const closed = await page.evaluate(async () => {
    await window.store.close();
    return window.ts.errorOf(window.store.listTrajectories());
  });
  expect(closed).toMatchObject({ isStoreError: true, code: 'closed' });
});

test('saved data survives a reload', async ({ page }) => {
  await page.goto(STORE_PAGE);
  await openStoreIn(page);
  await page.evaluate(async () => {
    await window.store.insertTrajectory(window.ts.atifDocument('before-reload'));
    await window.store.insertTestGenTrajectory(window.ts.testgenDocument('tg-before-reload'));
  });
  await page.reload();
  await openStoreIn(page);
  expect((await idsIn(page)).sort()).toEqual(['before-reload', 'tg-before-reload']);
  expect(await page.evaluate(() => window.store.getTrajectory('before-reload').then((t) => t?.trajectory))).toEqual(
    atifDocument('before-reload'),
  );
});

test('saved data survives closing the browser and starting it again', async () => {
  const userDataDir = test.info().outputPath('profile');
  const url = `http://localhost:${PREVIEW_PORT}${STORE_PAGE}`;

  let context = await chromium.launchPersistentContext(userDataDir, LAUNCH_OPTIONS);
  let page = await context.newPage();
  await page.goto(url);
  await openStoreIn(page);
  await page.evaluate(() => window.store.insertMany(window.ts.atifBatch('restart', 250)));
  // Closing the browser is the whole point: no store.close() first.
  await context.close();

  context = await chromium.launchPersistentContext(userDataDir, LAUNCH_OPTIONS);
  page = await context.newPage();
  await page.goto(url);
  const info = await openStoreIn(page);
  expect(info).toMatchObject({ storage: 'opfs', trajectoryCount: 250 });
  const hits = await page.evaluate(() => window.store.searchTrajectories('wordrestart249'));
  expect(hits.items.map((h) => h.id)).toEqual(['restart-249']);
  await context.close();
});

test('a resolved save survives the browser being killed right after it (SIGKILL)', async () => {
  const userDataDir = test.info().outputPath('killed-profile');
  const url = `http://localhost:${PREVIEW_PORT}${STORE_PAGE}`;

  let context = await chromium.launchPersistentContext(userDataDir, LAUNCH_OPTIONS);
  let page = await context.newPage();
  await page.goto(url);
  await openStoreIn(page);
  await page.evaluate(async () => {
    await window.store.insertMany(window.ts.atifBatch('bulk', 50));
    await window.store.insertTestGenTrajectory(window.ts.testgenDocument('tg-last'));
    // The last save resolves, and the browser dies at once: it must be on disk already.
    await window.store.insertTrajectory(window.ts.atifDocument('last'));
  });
  expect(killBrowser(userDataDir)).toBeGreaterThan(0);
  await context.close().catch(() => {});

  context = await chromium.launchPersistentContext(userDataDir, LAUNCH_OPTIONS);
  page = await context.newPage();
  await page.goto(url);
  const info = await openStoreIn(page);
  expect(info).toMatchObject({ storage: 'opfs', trajectoryCount: 52 });
  expect(await page.evaluate(() => window.store.getTrajectory('last').then((t) => t?.trajectory))).toEqual(
    atifDocument('last'),
  );
  expect(await page.evaluate(() => window.store.getTrajectory('tg-last').then((t) => t?.summary.id))).toBe('tg-last');
  const hits = await page.evaluate(() => window.store.searchTrajectories('wordlast'));
  expect(hits.items.map((h) => h.id)).toEqual(['last']);
  // The database the killed browser left is whole: the store's integrity holds, and it saves again.
  await page.evaluate(() => window.store.insertTrajectory(window.ts.atifDocument('after-restart')));
  expect(await page.evaluate(async () => (await window.store.info()).trajectoryCount)).toBe(53);
  await context.close();
});

test('on OPFS the database keeps a write-ahead log (one flush a save); its exported copy is a plain file', async ({
  context,
}) => {
  const { page } = await openStoreTab(context, { name: 'journal' });
  const header = await page.evaluate(async () => {
    await window.store.insertMany(window.ts.atifBatch('journal', 20));
    await window.store.insertTrajectory(window.ts.atifDocument('journal-last'));
    const bytes = await window.store.exportSnapshot();
    const copy = await window.ts.openTrajectoryStore({ snapshot: bytes });
    const count = (await copy.info()).trajectoryCount;
    await copy.close();
    await window.store.close();
    return { versions: [bytes[18], bytes[19]], count };
  });
  expect(header).toEqual({ versions: [1, 1], count: 21 });
  const raw = await context.newPage();
  await raw.goto(RAW_POOL_PAGE);
  const mode = await raw.evaluate(async () => {
    const rows = await window.rawPool.query('journal', 'PRAGMA journal_mode');
    window.rawPool.release();
    return rows;
  });
  expect(mode).toEqual([['wal']]);
});

test('where OPFS cannot be had (not a secure context) the store runs in memory and says so', async () => {
  // Plain http on a name other than localhost: no OPFS, no Web Locks.
  const browser = await chromium.launch({
    ...LAUNCH_OPTIONS,
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP insecure.trajectory-store.test 127.0.0.1'],
  });
  const page = await browser.newPage();
  const lines = consoleOf(page);
  await page.goto(`http://insecure.trajectory-store.test:${PREVIEW_PORT}${STORE_PAGE}`);
  expect(await page.evaluate(() => window.isSecureContext)).toBe(false);
  const info = await openStoreIn(page);
  expect(info).toMatchObject({ storage: 'memory', role: 'standalone', persisted: false });
  expect(lines.join('\n')).toMatch(/in memory only, because .*(Web Locks|private file system)/);
  await page.evaluate(() => window.store.insertTrajectory(window.ts.atifDocument('ephemeral')));
  expect(await idsIn(page)).toEqual(['ephemeral']);
  // Asked for OPFS outright, it refuses rather than pretend.
  const refused = await page.evaluate(() =>
    window.ts.errorOf(window.ts.openTrajectoryStore({ name: 'strict', storage: 'opfs' })),
  );
  expect(refused).toMatchObject({ isStoreError: true, code: 'storage' });
  await browser.close();
});

test('a snapshot opens in a database of its own (memory), beside the shared one, which it never replaces', async ({
  context,
}) => {
  const page = await context.newPage();
  await page.goto(STORE_PAGE);
  await openStoreIn(page);
  await page.evaluate(() => window.store.insertTrajectory(window.ts.atifDocument('shared-doc')));
  const memory = await page.evaluate(async () => {
    // Started from a snapshot of the shared database; no storage named: memory, not the origin's database.
    const scratch = await window.ts.openTrajectoryStore({ snapshot: await window.store.exportSnapshot() });
    await scratch.insertTrajectory(window.ts.atifDocument('scratch-doc'));
    const info = await scratch.info();
    const ids = (await scratch.listTrajectories({ order: 'asc' })).items.map((i) => i.id);
    await scratch.close();
    return { info, ids };
  });
  expect(memory.info).toMatchObject({ storage: 'memory', role: 'standalone', trajectoryCount: 2 });
  expect(memory.ids).toEqual(['shared-doc', 'scratch-doc']);
  expect(await idsIn(page)).toEqual(['shared-doc']);
});
