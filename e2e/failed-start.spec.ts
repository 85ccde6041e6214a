/** A start that fails never costs the data: the pool is kept as it was, and the next start finds everything. */
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { exportTo, snapshotTool, tempDir } from './support/outside.js';
import { idsIn, openStoreTab, RAW_POOL_PAGE, STORE_PAGE } from './support/pages.js';

const IDS = ['kept-1', 'kept-2', 'kept-tg'];

/** Saves three documents in database `name`, then closes the store, so that nothing holds its files. */
async function seed(context: BrowserContext, name: string): Promise<void> {
  const { page } = await openStoreTab(context, { name });
  await page.evaluate(async () => {
    await window.store.insertMany([window.ts.atifDocument('kept-1'), window.ts.atifDocument('kept-2')]);
    await window.store.insertTestGenTrajectory(window.ts.testgenDocument('kept-tg'));
    await window.store.close();
  });
  await page.close();
}

async function rawPoolPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(RAW_POOL_PAGE);
  return page;
}

/** Opens the store in a new tab; resolves to the error it failed with, or null. */
async function failedOpen(context: BrowserContext, name: string) {
  const page = await context.newPage();
  await page.goto(STORE_PAGE);
  const error = await page.evaluate((name) => window.ts.errorOf(window.ts.openTrajectoryStore({ name })), name);
  await page.close();
  return error;
}

/** Everything is there, and the database passes SQLite's integrity check outside the browser. */
async function expectAllThere(context: BrowserContext, name: string): Promise<void> {
  const { page } = await openStoreTab(context, { name });
  expect((await idsIn(page)).sort()).toEqual(IDS);
  const dir = tempDir();
  await exportTo(page, join(dir, 'after.sqlite3'));
  writeFileSync(
    join(dir, 'expected.json'),
    JSON.stringify({ documents: [], search: ['wordkept1'], unsegmented: 'xyz' }),
  );
  const report = JSON.parse(snapshotTool('check', join(dir, 'after.sqlite3'), join(dir, 'expected.json')));
  expect(report).toMatchObject({ integrity: ['ok'], rows: 3, search: { wordkept1: ['kept-1'] } });
}

test('the pool cannot start (one of its files is held elsewhere): the start fails, and the data survives', async ({
  context,
}) => {
  test.setTimeout(120_000);
  await seed(context, 'held');
  const raw = await rawPoolPage(context);
  // Not the database file: a spare one. A failed start that cleaned up the pool would take the database with it.
  await raw.evaluate(() => window.rawPool.holdSpareFile('held'));

  const error = await failedOpen(context, 'held');
  expect(error).toMatchObject({ isStoreError: true, code: 'storage' });
  expect(error!.message).toMatch(/held by another context.*Nothing was changed/s);

  await raw.evaluate(() => window.rawPool.releaseSpareFile());
  await expectAllThere(context, 'held');
});

test('the database records a newer schema: the start fails with a migration error, and the data survives', async ({
  context,
}) => {
  await seed(context, 'newer');
  const raw = await rawPoolPage(context);
  await raw.evaluate(async () => {
    await window.rawPool.query(
      'newer',
      "INSERT INTO _schema_version (version, applied_at, checksum) VALUES ('999_from_the_future', 'x', NULL)",
    );
    window.rawPool.release();
  });

  const error = await failedOpen(context, 'newer');
  expect(error).toMatchObject({ isStoreError: true, code: 'migration' });
  expect(error!.message).toContain('999_from_the_future');

  // Undo the "newer release" by hand; the store opens, and nothing was lost or changed by the failed start.
  await raw.evaluate(async () => {
    await window.rawPool.query('newer', "DELETE FROM _schema_version WHERE version = '999_from_the_future'");
    window.rawPool.release();
  });
  await expectAllThere(context, 'newer');
});
