/**
 * The peer a user would pick instead of this store: SQLocal (pinned in package.json), used competently: one table
 * of documents with the summary fields beside, FTS5 over the same text, writes batched in transactions.
 */
import { SQLocal } from 'sqlocal';
import type { AtifTrajectory } from '../../src/schema/atif.js';
import { benchAtif, benchSearchText } from '../data.js';

const FILE = 'bench-sqlocal.sqlite3';
let db: SQLocal | undefined;

const row = (doc: AtifTrajectory) => [
  doc.session_id ?? '',
  doc.agent.name,
  doc.agent.model_name ?? null,
  doc.steps[0]?.timestamp ?? null,
  JSON.stringify(doc),
  benchSearchText(doc),
];

const peers = {
  /** A new, empty SQLocal database with the schema; resolves to where it lives. */
  async open(): Promise<{ storageType?: string; crossOriginIsolated: boolean }> {
    db = new SQLocal(FILE);
    await db.deleteDatabaseFile();
    await db.sql`CREATE TABLE docs (id TEXT PRIMARY KEY, agent TEXT NOT NULL, model TEXT, started_at TEXT, doc TEXT NOT NULL)`;
    await db.sql`CREATE VIRTUAL TABLE docs_fts USING fts5(body, tokenize='unicode61 remove_diacritics 2')`;
    const info = await db.getDatabaseInfo();
    return { storageType: info.storageType, crossOriginIsolated };
  },

  /** Bench documents number [first, first + count) in transactions of `batch`; only the inserts are timed. */
  async bulk(first: number, count: number, batch: number): Promise<{ ms: number; jsonBytes: number }> {
    const database = db!;
    let ms = 0;
    let jsonBytes = 0;
    for (let start = first; start < first + count; start += batch) {
      const rows = Array.from({ length: Math.min(batch, first + count - start) }, (_, k) => row(benchAtif(start + k)));
      jsonBytes += rows.reduce((sum, r) => sum + String(r[4]).length, 0);
      const t = performance.now();
      await database.batch((sql) =>
        rows.flatMap(([id, agent, model, startedAt, doc, body]) => [
          sql`INSERT INTO docs (id, agent, model, started_at, doc) VALUES (${id}, ${agent}, ${model}, ${startedAt}, ${doc})`,
          sql`INSERT INTO docs_fts (rowid, body) VALUES (last_insert_rowid(), ${body})`,
        ]),
      );
      ms += performance.now() - t;
    }
    return { ms, jsonBytes };
  },

  /** Single saves, each its own transaction, timed one by one. */
  async singles(first: number, count: number): Promise<number[]> {
    const database = db!;
    const ms: number[] = [];
    for (let i = first; i < first + count; i++) {
      const [id, agent, model, startedAt, doc, body] = row(benchAtif(i, 'single'));
      const t = performance.now();
      await database.batch((sql) => [
        sql`INSERT INTO docs (id, agent, model, started_at, doc) VALUES (${id}, ${agent}, ${model}, ${startedAt}, ${doc})`,
        sql`INSERT INTO docs_fts (rowid, body) VALUES (last_insert_rowid(), ${body})`,
      ]);
      ms.push(performance.now() - t);
    }
    return ms;
  },

  /** A one-word search: the best 50 summaries (no document read). */
  async search(word: string, runs: number): Promise<number[]> {
    const database = db!;
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await database.sql`SELECT d.id, d.agent, d.model, d.started_at FROM docs_fts f JOIN docs d ON d.rowid = f.rowid
        WHERE docs_fts MATCH ${word} ORDER BY f.rank LIMIT 50`;
      ms.push(performance.now() - t);
    }
    return ms;
  },

  async close(): Promise<void> {
    await db?.deleteDatabaseFile();
    await db?.destroy();
    db = undefined;
  },
};

export type PeersPageApi = typeof peers;
Object.assign(window, { peers });
