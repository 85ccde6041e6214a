/**
 * Properties of export and import (issue 8, Deliver 3), over the real sqlite-wasm store in Node: whatever a store
 * holds (ATIF runs and testgen sessions sharing ids, copies kept by `keep-both` and by the identity rule), its
 * JSONL export imported into an empty store, and its snapshot imported (`replace`, then `merge` again), give back
 * every row: the same ids, each with exactly its document.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import type { TrajectoryStore } from '../../src/node.js';
import { openTrajectoryStore } from '../../src/node.js';
import { exactJson } from '../../src/schema/exact-json.js';
import { atifDocument, testgenData } from './arbitraries.js';
import { PROPERTY_TIMEOUT, runs } from './settings.js';

/** Ids from a small pool, so that saves collide: the identity rule and `keep-both` then make copies (`id~2`). */
const sharedId = fc.constantFrom('run', 'run~2', 'x~9007199254740992', 'tg', '東京', 'a"b');

const item = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(atifDocument({ maxDepth: 40 }), sharedId)
      .map(([doc, id]) => ({ ...doc, session_id: id, trajectory_id: undefined }) as Record<string, unknown>),
  },
  { weight: 1, arbitrary: atifDocument({ maxDepth: 40 }) },
  {
    weight: 1,
    arbitrary: fc.tuple(testgenData, sharedId).map(([data, id]) => ({ testgen: { ...data, sessionId: id } })),
  },
);

/** Saves in a few batches, each under one conflict rule: what a store that has seen real use holds. */
const history = fc.array(
  fc.record({
    items: fc.array(item, { minLength: 1, maxLength: 6 }),
    onConflict: fc.constantFrom(undefined, 'keep-both', 'replace', 'skip'),
  }),
  { minLength: 1, maxLength: 4 },
);

/** Every stored row: id -> its exact document (and testgen data). */
async function rows(store: TrajectoryStore): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await store.listTrajectories({ limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const { id } of page.items) {
      const stored = await store.getTrajectory(id);
      all.set(id, exactJson({ trajectory: stored?.trajectory, testgen: stored?.testgen }));
    }
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

async function storeFrom(batches: Array<{ items: unknown[]; onConflict: string | undefined }>) {
  const store = await openTrajectoryStore();
  for (const { items, onConflict } of batches) {
    await store.insertMany(items as never[], onConflict ? { onConflict: onConflict as 'keep-both' } : {});
  }
  return store;
}

test(
  'a JSONL export imported into an empty store gives back every row, copies included',
  async () => {
    await fc.assert(
      fc.asyncProperty(history, async (batches) => {
        const source = await storeFrom(batches);
        const expected = await rows(source);
        const target = await openTrajectoryStore();
        const report = await target.importTrajectories(await source.exportTrajectories({ format: 'jsonl' }));
        expect(report.rejected).toEqual([]);
        expect(await rows(target)).toEqual(expected);
        // Imported again, nothing changes: every line finds its row.
        const again = await target.importTrajectories(await source.exportTrajectories({ format: 'jsonl' }));
        expect(again.unchanged).toBe(expected.size);
        expect(await rows(target)).toEqual(expected);
        await Promise.all([source.close(), target.close()]);
      }),
      runs(10, 300),
    );
  },
  PROPERTY_TIMEOUT,
);

test(
  'a snapshot imported with replace gives back every row; merged again, it changes nothing',
  async () => {
    await fc.assert(
      fc.asyncProperty(history, async (batches) => {
        const source = await storeFrom(batches);
        const expected = await rows(source);
        const snapshot = await source.exportSnapshot();
        const target = await openTrajectoryStore();
        await target.insertTrajectory({
          schema_version: 'ATIF-v1.6',
          session_id: 'gone',
          agent: { name: 'a' },
          steps: [],
        });
        expect(await target.importSnapshot(snapshot, { mode: 'replace' })).toEqual({ trajectories: expected.size });
        expect(await rows(target)).toEqual(expected);
        await target.importSnapshot(snapshot, { mode: 'merge' });
        expect(await rows(target)).toEqual(expected);
        // And a store opened from the bytes holds the same.
        const opened = await openTrajectoryStore({ snapshot });
        expect(await rows(opened)).toEqual(expected);
        await Promise.all([source.close(), target.close(), opened.close()]);
      }),
      runs(8, 200),
    );
  },
  PROPERTY_TIMEOUT,
);
