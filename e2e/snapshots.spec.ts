/** Snapshots in and out of the browser: consistent exports, imports every tab sees, bad files refused. */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { atifDocument, testgenDocument } from './support/documents.js';
import {
  exportTo,
  importIn,
  ORIGINAL_SCHEMA,
  readBytes,
  snapshotTool,
  sqliteShell,
  tempDir,
} from './support/outside.js';
import { idsIn, openStoreTab } from './support/pages.js';

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The stored document of each test document, as getTrajectory returns it (testgen rows: the snake_case one). */
async function storedDocuments(page: Page, ids: string[]) {
  return page.evaluate(async (ids) => {
    const out = [];
    for (const id of ids) {
      const stored = await window.store.getTrajectory(id);
      out.push({ id, kind: stored!.summary.kind, document: stored!.trajectory });
    }
    return out;
  }, ids);
}

test('an export made in a tab that does not hold the database opens in Python and in the sqlite3 shell, whole and searchable', async ({
  context,
}) => {
  const holder = await openStoreTab(context);
  const other = await openStoreTab(context);
  const ids = ['atif-1', 'atif-2', 'tg-1'];
  await holder.page.evaluate(async () => {
    await window.store.insertMany([
      window.ts.atifDocument('atif-1', 'alphaword'),
      window.ts.atifDocument('atif-2', 'betaword'),
    ]);
    await window.store.insertTestGenTrajectory(window.ts.testgenDocument('tg-1'));
  });
  const progress = await other.page.evaluate(async () => {
    const seen: Array<{ done: number; total: number }> = [];
    await window.store.exportSnapshot({ onProgress: (p) => seen.push(p) });
    return seen;
  });
  expect(progress.at(-1)!.done).toBe(progress.at(-1)!.total);

  const dir = tempDir();
  const file = join(dir, 'export.sqlite3');
  await exportTo(other.page, file);
  writeFileSync(
    join(dir, 'expected.json'),
    JSON.stringify({
      documents: await storedDocuments(holder.page, ids),
      search: ['alphaword', 'cafe', 'regex'],
      unsegmented: '日本語',
    }),
  );
  const report = JSON.parse(snapshotTool('check', file, join(dir, 'expected.json')));
  expect(report).toMatchObject({
    integrity: ['ok'],
    foreign_key_violations: 0,
    journal_mode_header: [1, 1],
    rows: 3,
    mismatched: [],
    testgen_rows: 1,
    search: { alphaword: ['atif-1'], cafe: ['atif-1', 'atif-2'], regex: ['tg-1'] },
  });
  // The CJK (trigram) index opens in Debian's SQLite too (3.40: trigram without options).
  expect(report.unsegmented_error).toBeUndefined();
  expect(report.unsegmented).toEqual(['atif-1', 'atif-2']);

  expect(sqliteShell(file, 'PRAGMA integrity_check;')).toEqual(['ok']);
  expect(sqliteShell(file, 'SELECT id FROM trajectories ORDER BY id;')).toEqual(['atif-1', 'atif-2', 'tg-1']);
  expect(
    sqliteShell(
      file,
      "SELECT json_extract(d.trajectory, '$.steps[0].message') FROM trajectories t JOIN trajectory_documents d USING (seq) WHERE t.id = 'atif-2';",
    ),
  ).toEqual(['Fix the betaword bug, café naïve 日本語のテキスト']);
  expect(
    sqliteShell(
      file,
      "SELECT t.id FROM trajectory_search s JOIN trajectories t ON t.seq = s.rowid WHERE trajectory_search MATCH 'betaword OR regex' ORDER BY t.id;",
    ),
  ).toEqual(['atif-2', 'tg-1']);
});

declare global {
  interface Window {
    /** Set by the consistency test once it holds a snapshot taken between two writes. */
    stopWriting?: boolean;
  }
}

test('exports stay consistent while other tabs write', async ({ context }) => {
  const holder = await openStoreTab(context);
  const writers = [await openStoreTab(context), await openStoreTab(context)];
  const BATCH = 150;
  // Each writer saves batches of 150 in one call each (a consistent snapshot holds whole calls only), and goes on
  // until told to stop: the test stops them once it has a snapshot taken mid-way, however slow the machine is.
  const rounds = Promise.all(
    writers.map((tab, w) =>
      tab.page.evaluate(
        async ({ w, BATCH }) => {
          let round = 0;
          while (!window.stopWriting && round < 200)
            await window.store.insertMany(window.ts.atifBatch(`w${w}r${round++}`, BATCH));
          return round;
        },
        { w, BATCH },
      ),
    ),
  );
  const dir = tempDir();
  writeFileSync(join(dir, 'none.json'), JSON.stringify({ documents: [], search: [], unsegmented: 'xyz' }));
  const counts: number[] = [];
  // From the holding tab and from a writing tab in turn, until one holds some of the writes: the writers are always
  // inside a call, so more follow it.
  for (let i = 0; !counts.some((n) => n > 0); i++) {
    const file = join(dir, `during-${i}.sqlite3`);
    await exportTo(i % 2 === 0 ? holder.page : writers[0]!.page, file);
    const report = JSON.parse(snapshotTool('check', file, join(dir, 'none.json')));
    expect(report.integrity).toEqual(['ok']);
    expect(report.foreign_key_violations).toBe(0);
    expect(report.rows % BATCH).toBe(0);
    counts.push(report.rows);
  }
  for (const tab of writers) await tab.page.evaluate(() => (window.stopWriting = true));
  const total = (await rounds).reduce((sum, n) => sum + n, 0) * BATCH;
  console.log(`rows in the snapshots taken while two tabs wrote: ${counts.join(', ')} (then ${total})`);
  expect(counts.at(-1)).toBeLessThan(total);
  const file = join(dir, 'after.sqlite3');
  await exportTo(holder.page, file);
  expect(sqliteShell(file, 'SELECT count(*) FROM trajectories;')).toEqual([String(total)]);
});

test('merge and replace imports, with progress, and every tab sees them', async ({ context }) => {
  const a = await openStoreTab(context);
  const b = await openStoreTab(context);
  const c = await openStoreTab(context);
  for (const tab of [a, b, c]) {
    await tab.page.evaluate(() => {
      const changes: unknown[] = [];
      Object.assign(window, { changes });
      window.store.subscribe((change) => changes.push(change));
    });
  }
  await a.page.evaluate(async () => {
    await window.store.insertMany([window.ts.atifDocument('keep-1'), window.ts.atifDocument('shared', 'oldword')]);
  });

  // The snapshot to import: another database, made in tab b.
  const source = await b.page.evaluate(async () => {
    const other = await window.ts.openTrajectoryStore({ name: 'source' });
    await other.insertMany([window.ts.atifDocument('shared', 'newword'), ...window.ts.atifBatch('bulk', 1200)]);
    await other.insertTestGenTrajectory(window.ts.testgenDocument('tg-src'));
    const bytes = await other.exportSnapshot();
    await other.close();
    return window.ts.toBase64(bytes);
  });
  const progress = await c.page.evaluate(async (base64) => {
    const seen: number[] = [];
    const result = await window.store.importSnapshot(window.ts.fromBase64(base64), {
      mode: 'merge',
      onProgress: ({ done }) => seen.push(done),
    });
    return { result, seen };
  }, source);
  expect(progress.result).toEqual({ trajectories: 1202 });
  expect(progress.seen).toEqual([500, 1000, 1202]);
  for (const tab of [a, b, c]) {
    const ids = await idsIn(tab.page);
    // The snapshot's different 'shared' is kept beside this database's (the identity rule), never over it.
    expect(ids.length).toBe(1204);
    expect(ids).toContain('keep-1');
    const hits = await tab.page.evaluate(() => window.store.searchTrajectories('newword OR oldword'));
    expect(hits.items.map((h) => h.id).sort()).toEqual(['shared', 'shared~2']);
    await expect
      .poll(() => tab.page.evaluate(() => (window as unknown as { changes: unknown[] }).changes.at(-1)))
      .toEqual({
        type: 'imported',
        mode: 'merge',
        count: 1202,
      });
  }

  // A snapshot exported in a tab that does not hold the database comes over whole (one Blob), its progress reported.
  const holderCopy = sha(await exportTo(a.page, join(tempDir(), 'holder.sqlite3')));
  const followerExport = await b.page.evaluate(async () => {
    const seen: Array<{ done: number; total: number }> = [];
    const bytes = await window.store.exportSnapshot({ onProgress: (p) => seen.push(p) });
    return { seen, base64: window.ts.toBase64(bytes) };
  });
  const bytes = Buffer.from(followerExport.base64, 'base64');
  expect(followerExport.seen.at(-1)).toEqual({ done: bytes.length, total: bytes.length });
  expect(sha(bytes)).toBe(holderCopy);

  const replaced = await a.page.evaluate(
    async (base64) => window.store.importSnapshot(window.ts.fromBase64(base64), { mode: 'replace' }),
    source,
  );
  expect(replaced).toEqual({ trajectories: 1202 });
  for (const tab of [a, b, c]) {
    const ids = await idsIn(tab.page);
    expect(ids.length).toBe(1202);
    expect(ids).not.toContain('keep-1');
    const stored = await tab.page.evaluate(() => window.store.getTrajectory('tg-src'));
    expect(stored?.testgen).toEqual(testgenDocument('tg-src'));
  }
});

test('a database of the original desktop tool is imported and upgraded', async ({ context }) => {
  const tab = await openStoreTab(context);
  const dir = tempDir();
  const file = join(dir, 'original.sqlite3');
  snapshotTool('original', ORIGINAL_SCHEMA, file);
  const outcome = await importIn(tab.page, readBytes(file), 'merge');
  expect(outcome).toEqual({ result: { trajectories: 1 } });
  const stored = await tab.page.evaluate(() => window.store.getTrajectory('original-1'));
  expect(stored?.summary).toMatchObject({ kind: 'testgen', taskId: 'regex-log', agentName: 'testgen' });
  const hits = await tab.page.evaluate(() => window.store.searchTrajectories('dates'));
  expect(hits.items.map((h) => h.id)).toEqual(['original-1']);
});

test('every kind of bad file is refused or neutralised, and the data stays exactly as it was', async ({ context }) => {
  const tab = await openStoreTab(context);
  const other = await openStoreTab(context);
  await tab.page.evaluate(async () => {
    await window.store.insertMany([window.ts.atifDocument('mine-1'), window.ts.atifDocument('mine-2')]);
    await window.store.insertTestGenTrajectory(window.ts.testgenDocument('mine-tg'));
  });
  const dir = tempDir();
  const good = join(dir, 'good.sqlite3');
  // A good snapshot to spoil: another database holding one document.
  const goodBase64 = await other.page.evaluate(async () => {
    const source = await window.ts.openTrajectoryStore({ name: 'spoiled' });
    await source.insertTrajectory(window.ts.atifDocument('theirs'));
    const bytes = await source.exportSnapshot();
    await source.close();
    return window.ts.toBase64(bytes);
  });
  const goodBytes = Buffer.from(goodBase64, 'base64');
  writeFileSync(good, goodBytes);
  const before = await exportTo(tab.page, join(dir, 'before.sqlite3'));

  const corrupt = Buffer.from(goodBytes);
  const pageSize = corrupt.readUInt16BE(16);
  corrupt.fill(0xa5, 2 * pageSize, 3 * pageSize); // page 3: a b-tree page of the schema, now garbage
  const refused: Array<[string, Uint8Array, string]> = [
    ['truncated', goodBytes.subarray(0, Math.floor(goodBytes.length / 2) + 100), 'corrupt_snapshot'],
    ['corrupt', corrupt, 'corrupt_snapshot'],
    ['not SQLite', Buffer.from('{"this": "is JSON, not a database"}\n'.repeat(200)), 'corrupt_snapshot'],
    ['empty', new Uint8Array(0), 'corrupt_snapshot'],
  ];
  for (const kind of ['foreign', 'newer'] as const) {
    const file = join(dir, `${kind}.sqlite3`);
    snapshotTool('make', kind, good, file);
    refused.push([kind, readBytes(file), 'incompatible_snapshot']);
  }
  for (const [kind, bytes, code] of refused) {
    for (const mode of ['merge', 'replace'] as const) {
      const outcome = await importIn(tab.page, bytes, mode);
      expect(outcome.error, `${kind} (${mode})`).toMatchObject({
        isStoreError: true,
        name: 'TrajectoryStoreError',
        code,
      });
      expect(outcome.error!.message).toContain('Nothing was changed');
    }
  }
  // Refused before anything was written: the database file is byte for byte what it was.
  expect(sha(await exportTo(tab.page, join(dir, 'after-refused.sqlite3')))).toBe(sha(before));

  // A WAL-mode file holds what was checkpointed into it: taken as a rollback-journal file, and the live database stays as it is.
  const wal = join(dir, 'wal.sqlite3');
  snapshotTool('make', 'wal', good, wal);
  expect(await importIn(tab.page, readBytes(wal), 'merge')).toEqual({ result: { trajectories: 1 } });
  expect((await tab.page.evaluate(() => window.store.getTrajectory('theirs')))?.trajectory).toEqual(
    atifDocument('theirs'),
  );
  const afterWal = await exportTo(tab.page, join(dir, 'after-wal.sqlite3'));
  expect([afterWal[18], afterWal[19]]).toEqual([1, 1]);
  expect((await idsIn(tab.page)).sort()).toEqual(['mine-1', 'mine-2', 'mine-tg', 'theirs']);
  // Hostile triggers and views are dropped from the private copy before anything of the file runs.
  const hostile = join(dir, 'hostile.sqlite3');
  snapshotTool('make', 'hostile', good, hostile);
  expect(await importIn(tab.page, readBytes(hostile), 'merge')).toEqual({ result: { trajectories: 1 } });
  expect((await idsIn(tab.page)).sort()).toEqual(['mine-1', 'mine-2', 'mine-tg', 'theirs']);
  const afterHostile = join(dir, 'after-hostile.sqlite3');
  await exportTo(tab.page, afterHostile);
  expect(sqliteShell(afterHostile, "SELECT name FROM sqlite_schema WHERE name LIKE 'hostile%';")).toEqual(['']);
  // The store's own search index was fed by its own view, not the file's.
  const hits = await tab.page.evaluate(() => window.store.searchTrajectories('wordtheirs'));
  expect(hits.items.map((h) => h.id)).toEqual(['theirs']);
  expect((await tab.page.evaluate(() => window.store.searchTrajectories('pwned'))).items).toEqual([]);

  const mine = await tab.page.evaluate(() => window.store.getTrajectory('mine-1'));
  expect(mine?.trajectory).toEqual(atifDocument('mine-1'));
});
