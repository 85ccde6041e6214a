/**
 * The native reference (part of `npm run bench`): the same bench documents, through the store's own record code
 * (src/store/documents.ts: summary columns and the search text extracted in JS), written by Python's sqlite3 into
 * the store's schema in a file on disk with the store's own statements (bench/native_reference.py). Saves
 * bench/results/native.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { atifRecord } from '../src/store/documents.js';
import { EXISTS_STATEMENT } from '../src/store/identity.js';
import { SEARCH_STATEMENTS } from '../src/store/search-index.js';
import { SAVE_STATEMENTS, summaryValues } from '../src/store/writes.js';
import { benchAtif } from './data.js';
import { benchMode, p50, p95, saveReport } from './report.js';

const BULK = benchMode() === 'full' ? 10_000 : 2_000;
const SINGLES = benchMode() === 'full' ? 200 : 50;

interface NativeResult {
  sqliteVersion: string;
  count: number;
  bulkMs: number;
  jsonBytes: number;
  singlesMs: number[];
  searchMs: number;
  searchHits: number;
  fileBytes: number;
}

test(`native SQLite reference (${BULK} documents)`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'trajectory-store-native-'));
  try {
    const now = new Date().toISOString();
    const lines = Array.from({ length: BULK }, (_, i) => {
      const doc = benchAtif(i);
      const r = atifRecord(doc, JSON.stringify(doc));
      return JSON.stringify({
        values: summaryValues(r),
        id: r.id,
        createdAt: now,
        updatedAt: now,
        json: r.json,
        body: r.searchText.body,
        unsegmented: r.searchText.unsegmented,
      });
    });
    writeFileSync(join(dir, 'records.jsonl'), `${lines.join('\n')}\n`);
    // The store's own statements, from where the store keeps them.
    const statements = { exists: EXISTS_STATEMENT, ...SAVE_STATEMENTS, ...SEARCH_STATEMENTS };
    writeFileSync(join(dir, 'statements.json'), JSON.stringify(statements));
    const script = new URL('./native_reference.py', import.meta.url).pathname;
    const migrations = new URL('../migrations', import.meta.url).pathname;
    const out = execFileSync(
      'python3',
      [
        script,
        migrations,
        join(dir, 'statements.json'),
        join(dir, 'records.jsonl'),
        join(dir, 'native.sqlite3'),
        String(SINGLES),
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const r = JSON.parse(out) as NativeResult;
    saveReport('native', [
      {
        key: 'bulk.native',
        name: `native SQLite ${r.sqliteVersion}, same schema, ${r.count} (file on disk)`,
        value: r.count / (r.bulkMs / 1000),
        unit: 'traj/s',
        note: `${(r.jsonBytes / 1e6 / (r.bulkMs / 1000)).toFixed(1)} MB/s; ${(r.bulkMs / 1000).toFixed(1)} s; batches of 500`,
      },
      { key: 'single.native.p50', name: 'native single save p50', value: p50(r.singlesMs), unit: 'ms' },
      { key: 'single.native.p95', name: 'native single save p95', value: p95(r.singlesMs), unit: 'ms' },
      {
        key: 'search.native.word',
        name: 'native search one word (first 50)',
        value: r.searchMs,
        unit: 'ms',
        note: `${r.searchHits} hits`,
      },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
