/**
 * Hostile snapshot files: each is refused with a typed error (and the current
 * data stays byte for byte), or neutralised (its trajectories imported,
 * nothing of its own schema run). None of them may hang: the bombs below
 * would take minutes if SQLite ever evaluated them.
 */
import { describe, expect, test } from 'vitest';
import type { TrajectoryStore } from '../src/contract/store.js';
import { openTrajectoryStore } from '../src/node.js';
import { loadSqlite3 } from '../src/store/sqlite3.js';
import { atifRun, idsOf, rawDatabase, rejection, storeWith } from './fixtures.js';
import { createOriginalDatabase } from './original-desktop-tool.js';
import { editSnapshot } from './snapshot-files.js';

/** A printf that would build a 300 MB string, once per row, if it ever ran. */
const BOMB = `length(printf('%.*c', 300000000, 'x'))`;

const validSnapshot = async () => (await storeWith(['a', 'b', 'tg-1'])).exportSnapshot();

/** A snapshot at schema version 005 (before the search index): the version the trigger bomb aimed at. */
const at005 = async () =>
  editSnapshot(
    await validSnapshot(),
    `DROP TRIGGER IF EXISTS trajectory_search_insert; DROP TRIGGER IF EXISTS trajectory_search_delete; DROP TRIGGER IF EXISTS trajectory_search_update;
     DROP VIEW IF EXISTS trajectory_search_text; DROP TABLE trajectory_search; DROP TABLE trajectory_search_unsegmented;
     DELETE FROM _schema_version WHERE version = '006_search_index';`,
  );

/** Deterministic bytes for a seed (xorshift32). */
function randomBytes(seed: number, length: number): Uint8Array {
  let x = seed || 1;
  return Uint8Array.from({ length }, () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
}

/** Imports `bytes` into a store holding other data in both modes; returns the error code, or null if accepted. */
async function importOrRefuse(bytes: Uint8Array): Promise<{ code: string | null; store: TrajectoryStore }> {
  let code: string | null = null;
  for (const mode of ['merge', 'replace'] as const) {
    const store = await storeWith(['keep-1', 'tg-keep']);
    const before = await store.exportSnapshot();
    try {
      await store.importSnapshot(bytes, { mode });
      if (mode === 'replace') return { code: null, store };
    } catch (error) {
      code = (await rejection(Promise.reject(error))).code;
      expect(['corrupt_snapshot', 'incompatible_snapshot']).toContain(code);
      expect(Buffer.from(await store.exportSnapshot()).equals(Buffer.from(before))).toBe(true);
      if (mode === 'replace') return { code, store };
    }
  }
  throw new Error('unreachable');
}

describe('refused with a typed error, the current data untouched', () => {
  const cases: Array<[string, () => Promise<Uint8Array>, string, RegExp]> = [
    ['random bytes', async () => randomBytes(7, 8192), 'corrupt_snapshot', /not a SQLite database/],
    [
      'a real header followed by random pages',
      async () => {
        const bytes = (await validSnapshot()).slice();
        bytes.set(randomBytes(11, bytes.length - 100), 100);
        return bytes;
      },
      'corrupt_snapshot',
      /integrity|could not be read|malformed/,
    ],
    [
      'a page count larger than the file',
      async () => {
        const bytes = (await validSnapshot()).slice();
        new DataView(bytes.buffer).setUint32(28, 1_000_000);
        return bytes;
      },
      'corrupt_snapshot',
      /truncated/,
    ],
    [
      'a page count smaller than the file',
      async () => {
        const bytes = (await validSnapshot()).slice();
        new DataView(bytes.buffer).setUint32(28, 2);
        return bytes;
      },
      'corrupt_snapshot',
      /integrity|could not be read|malformed/,
    ],
    [
      'a page size other than the one written',
      async () => {
        const bytes = (await validSnapshot()).slice();
        new DataView(bytes.buffer).setUint16(16, 512);
        return bytes;
      },
      'corrupt_snapshot',
      /integrity|could not be read|malformed/,
    ],
    [
      'a CHECK bomb in the trajectories table',
      async () =>
        editSnapshot(
          await validSnapshot(),
          `PRAGMA writable_schema = ON;
           UPDATE sqlite_schema SET sql = replace(sql, 'indexed_at TEXT', 'indexed_at TEXT CHECK (${BOMB.replaceAll("'", "''")} > 0)')
            WHERE name = 'trajectories';`,
        ),
      'incompatible_snapshot',
      /trajectories table is not declared as this project declares it/,
    ],
    [
      'a DEFAULT bomb in the documents table',
      async () =>
        editSnapshot(
          await validSnapshot(),
          `PRAGMA writable_schema = ON;
           UPDATE sqlite_schema SET sql = replace(sql, 'embedding BLOB', 'embedding BLOB, extra DEFAULT (${BOMB.replaceAll("'", "''")})')
            WHERE name = 'trajectory_documents';`,
        ),
      'incompatible_snapshot',
      /trajectory_documents table is not declared/,
    ],
    [
      'a generated-column bomb in the trajectories table',
      async () =>
        editSnapshot(
          await validSnapshot(),
          `PRAGMA writable_schema = ON;
           UPDATE sqlite_schema SET sql = replace(sql, 'indexed_at TEXT', 'indexed_at TEXT AS (${BOMB.replaceAll("'", "''")})')
            WHERE name = 'trajectories';`,
        ),
      'incompatible_snapshot',
      /trajectories table is not declared/,
    ],
    [
      'a generated-column bomb in _schema_version',
      async () =>
        editSnapshot(
          await validSnapshot(),
          `PRAGMA writable_schema = ON;
           UPDATE sqlite_schema SET sql = replace(sql, 'checksum TEXT', 'checksum TEXT AS (${BOMB.replaceAll("'", "''")})')
            WHERE name = '_schema_version';`,
        ),
      'incompatible_snapshot',
      /_schema_version table is not declared/,
    ],
    [
      'trajectories as a virtual table',
      async () =>
        editSnapshot(
          await validSnapshot(),
          `DROP TABLE testgen_trajectories; DROP TABLE trajectory_documents; DROP TABLE trajectories;
           CREATE VIRTUAL TABLE trajectories USING fts5(id, kind);`,
        ),
      'incompatible_snapshot',
      /trajectories table is not declared/,
    ],
    [
      'a stored id that is empty',
      async () =>
        editSnapshot(
          await validSnapshot(),
          `DROP TRIGGER IF EXISTS trajectory_search_update; UPDATE trajectories SET id = '' WHERE id = 'a'`,
        ),
      'corrupt_snapshot',
      /id: must be a non-empty string/,
    ],
    [
      'a kind that is neither atif nor testgen',
      async () =>
        editSnapshot(
          await validSnapshot(),
          `PRAGMA ignore_check_constraints = ON; UPDATE trajectories SET kind = 'other' WHERE id = 'a'`,
        ),
      'corrupt_snapshot',
      /integrity check failed|kind: must be atif or testgen/,
    ],
    [
      '100,000 rows of garbage documents',
      async () =>
        editSnapshot(
          await validSnapshot(),
          `DROP TRIGGER IF EXISTS trajectory_search_insert;
           WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 100000)
           INSERT INTO trajectories (id, kind, schema_version, agent_name, created_at, updated_at)
             SELECT 'garbage-' || x, 'atif', 'ATIF-v1.6', 'x', '2025-01-01', '2025-01-01' FROM n;
           INSERT INTO trajectory_documents (seq, trajectory)
             SELECT seq, '{"garbage": ' || seq || '}' FROM trajectories WHERE id LIKE 'garbage-%';`,
        ),
      'corrupt_snapshot',
      /the first 20 bad rows/,
    ],
  ];

  test.each(cases)(
    '%s',
    async (_name, make, code, message) => {
      const bytes = await make();
      const store = await storeWith(['keep-1', 'tg-keep']);
      const before = await store.exportSnapshot();
      for (const mode of ['replace', 'merge'] as const) {
        const error = await rejection(store.importSnapshot(bytes, { mode }));
        expect(error.code).toBe(code);
        expect(error.message).toMatch(message);
      }
      expect(Buffer.from(await store.exportSnapshot()).equals(Buffer.from(before))).toBe(true);
      // The 100,000-row case builds and reads its file twice: about 15 s alone, past 30 s on a loaded machine.
    },
    120_000,
  );
});

describe('neutralised: its trajectories imported, nothing of its own run', () => {
  test("a trigger named like SQLite's own (`_` is a LIKE wildcard) in an older file", async () => {
    // The finding 1: it survived the old `NOT LIKE 'sqlite_%'` and fired while the copy was migrated.
    const bytes = await editSnapshot(
      await at005(),
      `CREATE TABLE loot (x);
       CREATE TRIGGER sqliteXbomb AFTER INSERT ON _schema_version BEGIN
         INSERT INTO loot WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT x FROM n;
       END;
       CREATE TRIGGER sqliteXevil AFTER INSERT ON trajectory_documents BEGIN DELETE FROM trajectories; END;
       CREATE VIEW sqliteXview AS SELECT * FROM trajectories;`,
    );
    const { code, store } = await importOrRefuse(bytes);
    expect(code).toBeNull();
    expect(await idsOf(store)).toEqual(['a', 'b', 'tg-1']);
    expect((await store.searchTrajectories('text of b')).items.map((h) => h.id)).toEqual(['b']);
  });

  test('bombs in tables, columns and indexes the import does not read', async () => {
    const quote = (sql: string) => sql.replaceAll("'", "''");
    const bytes = await editSnapshot(
      await validSnapshot(),
      `CREATE TABLE check_bomb (x CHECK (${BOMB} > 0));
       CREATE TABLE default_bomb (x);
       CREATE TABLE generated_bomb (x, y AS (${BOMB}));
       WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 50)
         INSERT INTO default_bomb SELECT x FROM n;
       INSERT INTO generated_bomb (x) SELECT x FROM default_bomb;
       CREATE INDEX expression_bomb ON trajectories (lower(id));
       PRAGMA writable_schema = ON;
       UPDATE sqlite_schema SET sql = 'CREATE TABLE default_bomb (x, y DEFAULT (${quote(BOMB)}))' WHERE name = 'default_bomb';
       UPDATE sqlite_schema SET sql = 'CREATE INDEX expression_bomb ON trajectories (${quote(BOMB)})' WHERE name = 'expression_bomb';`,
    );
    // check_bomb is empty here: a row would have set the bomb off while the file was made.
    const { code, store } = await importOrRefuse(bytes);
    expect(code).toBeNull();
    expect(await idsOf(store)).toEqual(['a', 'b', 'tg-1']);
  });

  test('tampered search index shadow tables: the index is rebuilt from the documents', async () => {
    const bytes = await editSnapshot(
      await validSnapshot(),
      `UPDATE trajectory_search_data SET block = randomblob(length(block)) WHERE id > 10;
       UPDATE trajectory_search_docsize SET sz = x'ffffffff';`,
    );
    const { code, store } = await importOrRefuse(bytes);
    expect(code).toBeNull();
    expect((await store.searchTrajectories('text of a')).items.map((h) => h.id)).toEqual(['a']);
  });

  test('rows of an older file sharing one id: identical ones are one, a differing one is kept under a fresh id', async () => {
    const db = await rawDatabase();
    createOriginalDatabase(db);
    db.exec('DROP TRIGGER trajectories_fts_insert');
    const doc = (text: string) => JSON.stringify({ ...atifRun('s', { text }), trajectory_id: 'same' });
    for (const [session, json] of [
      ['s1', doc('first')],
      ['s2', doc('first')],
      ['s3', doc('second')],
    ]) {
      db.exec({
        sql: `INSERT INTO trajectories (session_id, schema_version, agent_name, trajectory) VALUES (?, 'ATIF-v1.6', 'x', ?)`,
        bind: [session!, json!],
      });
    }
    const bytes = (await loadSqlite3()).capi.sqlite3_js_db_export(db);
    const store = await openTrajectoryStore();
    expect(await store.importSnapshot(bytes, { mode: 'replace' })).toEqual({ trajectories: 2 });
    expect(await idsOf(store)).toEqual(['same', 'same~2']);
    expect((await store.searchTrajectories('second')).items.map((h) => h.id)).toEqual(['same~2']);
  });
});

describe('bit flips and truncations anywhere', () => {
  // More seeds in `npm run test:reliability` (RELIABILITY_SEEDS).
  const seeds = Number(process.env.RELIABILITY_SEEDS ?? 12);

  // Each seed imports two files in both modes: about 2.5 s a seed on a loaded machine (200 seeds took 501 s at load
  // 18), far past the default 30 s once RELIABILITY_SEEDS raises the count.
  const timeoutMs = Math.max(30_000, seeds * 10_000);

  test(
    `${seeds} seeds: refused with a typed error or imported whole, never anything else`,
    async () => {
      const bytes = await validSnapshot();
      const outcomes = { refused: 0, imported: 0 };
      for (let seed = 1; seed <= seeds; seed++) {
        const flipped = bytes.slice();
        const noise = randomBytes(seed, 16);
        for (let i = 0; i < 4; i++) {
          const at = (noise[i * 4]! | (noise[i * 4 + 1]! << 8) | (noise[i * 4 + 2]! << 16)) % flipped.length;
          flipped[at]! ^= 1 << (noise[i * 4 + 3]! % 8);
        }
        const truncated = bytes.slice(0, (noise[0]! * 97 + seed * 4096) % bytes.length);
        for (const candidate of [flipped, truncated]) {
          const { code, store } = await importOrRefuse(candidate);
          if (code) outcomes.refused++;
          else {
            outcomes.imported++;
            // Whatever was accepted is whole: every listed trajectory reads back.
            for (const id of await idsOf(store)) expect(await store.getTrajectory(id)).not.toBeNull();
          }
        }
      }
      expect(outcomes.refused + outcomes.imported).toBe(seeds * 2);
    },
    timeoutMs,
  );
});

test('a garbage page in the index of a table the import reads is found by the integrity check', async () => {
  const bytes = (await validSnapshot()).slice();
  const pageSize = new DataView(bytes.buffer).getUint16(16);
  bytes.fill(0xa5, 2 * pageSize, 3 * pageSize); // page 3: the index of _schema_version
  const error = await rejection(openTrajectoryStore({ snapshot: bytes }));
  expect(error.code).toBe('corrupt_snapshot');
  expect(error.message).toMatch(/integrity check failed/);
});
