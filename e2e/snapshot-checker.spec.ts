/**
 * A replace import in the browser is checked in a worker of its own while the store's worker writes
 * (src/worker/checked-import.ts): the same checks as ever, so a bad row anywhere in the file refuses all of it and
 * the data stays byte for byte as it was; a good file comes in whole.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { exportTo, importIn, readBytes, tempDir } from './support/outside.js';
import { idsIn, openStoreTab } from './support/pages.js';

test('a replace import is checked in a checker worker; a bad row anywhere refuses the whole file, the data kept', async ({
  context,
}) => {
  const tab = await openStoreTab(context);
  const checkers: string[] = [];
  tab.page.on('worker', (worker) => {
    if (worker.url().includes('snapshot-checker')) checkers.push(worker.url());
  });
  await tab.page.evaluate(async () => {
    await window.store.insertMany([window.ts.atifDocument('mine-1'), window.ts.atifDocument('mine-2')]);
    await window.store.insertTestGenTrajectory(window.ts.testgenDocument('mine-tg'));
  });
  // The file: another database of 1,201 documents (three batches), made in the same tab.
  const goodBase64 = await tab.page.evaluate(async () => {
    const source = await window.ts.openTrajectoryStore({ name: 'source' });
    await source.insertMany(window.ts.atifBatch('theirs', 1201));
    const bytes = await source.exportSnapshot();
    await source.close();
    return window.ts.toBase64(bytes);
  });
  const dir = tempDir();
  const good = join(dir, 'good.sqlite3');
  writeFileSync(good, Buffer.from(goodBase64, 'base64'));
  const before = await exportTo(tab.page, join(dir, 'before.sqlite3'));

  // The first row, one in the second batch, the last: each spoils the file.
  for (const seq of [1, 601, 1201]) {
    const spoiled = join(dir, `spoiled-${seq}.sqlite3`);
    copyFileSync(good, spoiled);
    execFileSync('sqlite3', [
      '-bail',
      spoiled,
      `UPDATE trajectory_documents SET trajectory = '{"not json' WHERE seq = ${seq}`,
    ]);
    const outcome = await importIn(tab.page, readBytes(spoiled), 'replace');
    expect(outcome.error, `a bad row at ${seq}`).toMatchObject({ code: 'corrupt_snapshot' });
    expect(outcome.error!.message).toContain('is not valid JSON');
    expect(outcome.error!.message).toContain('Nothing was changed');
    expect((await exportTo(tab.page, join(dir, `after-${seq}.sqlite3`))).equals(before)).toBe(true);
  }
  await expect.poll(() => checkers.length).toBe(3);

  expect(await importIn(tab.page, readBytes(good), 'replace')).toEqual({ result: { trajectories: 1201 } });
  const ids = await idsIn(tab.page);
  expect(ids.length).toBe(1201);
  expect(ids).not.toContain('mine-1');
  const found = await tab.page.evaluate(() => window.store.searchTrajectories('wordtheirs1200'));
  expect(found.items.map((hit) => hit.id)).toEqual(['theirs-1200']);
  await expect.poll(() => checkers.length).toBe(4);

  // A merge places each id against the live ones as it goes: checked where it is written, with no checker.
  expect(await importIn(tab.page, readBytes(good), 'merge')).toEqual({ result: { trajectories: 1201 } });
  expect(checkers.length).toBe(4);
});
