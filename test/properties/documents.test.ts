/**
 * Properties of saving (issue 8, Deliver 3), over the real sqlite-wasm store in Node: every document the store
 * can keep reads back exactly as written; everything else is refused with a typed `validation` error whose
 * issues carry paths, and a refusal never changes what is stored.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { TrajectoryStore } from '../../src/node.js';
import { openTrajectoryStore } from '../../src/node.js';
import { exactJson } from '../../src/schema/exact-json.js';
import { rejection } from '../fixtures.js';
import {
  atifDocument,
  brokenTestgen,
  loneSurrogateIdDocument,
  notATrajectory,
  poisonedDocument,
  testgenData,
} from './arbitraries.js';
import { MAX_DEPTH, PROPERTY_TIMEOUT, runs } from './settings.js';

const documents = atifDocument({ maxDepth: MAX_DEPTH });

/**
 * The value's exact JSON text: key order, escapes, and -0 (which JSON.stringify writes as 0). The store's own
 * writer (tested in test/fidelity.test.ts), because it is iterative: a recursive deep-equal, `structuredClone` and
 * `JSON.stringify` with a replacer all overflow the stack on the thousands-deep documents generated here.
 */
function exactText(value: unknown): string {
  return exactJson(value);
}

function expectExactly(actual: unknown, expected: unknown): void {
  expect(exactText(actual)).toBe(exactText(expected));
}

/**
 * A testgen session as given: the same fields, each exactly. (Its top-level fields come back in the store's
 * order: they are stored under the original tool's snake_case keys, documents.ts `TESTGEN_DOCUMENT_KEYS`.)
 */
function expectSameFields(actual: Record<string, unknown> | undefined, expected: Record<string, unknown>): void {
  expect(Object.keys(actual ?? {}).sort()).toEqual(Object.keys(expected).sort());
  for (const [field, value] of Object.entries(expected)) expectExactly(actual?.[field], value);
}

async function count(store: TrajectoryStore): Promise<number> {
  return (await store.info()).trajectoryCount;
}

/** `work` is refused with `validation`, each issue with a path, and the store holds what it held. */
async function expectRefused(store: TrajectoryStore, work: () => Promise<unknown>): Promise<{ path: string }[]> {
  const before = await count(store);
  const error = await rejection(work());
  expect(error.code).toBe('validation');
  const issues = error.issues ?? [];
  expect(issues.length).toBeGreaterThan(0);
  for (const issue of issues) {
    expect(typeof issue.path).toBe('string');
    expect(issue.message).toEqual(expect.any(String));
  }
  expect(await count(store)).toBe(before);
  return issues;
}

describe('ATIF documents', () => {
  test(
    'every storable document is kept and reads back exactly as written',
    async () => {
      const store = await openTrajectoryStore();
      await fc.assert(
        fc.asyncProperty(documents, async (doc) => {
          const written = exactText(doc);
          const { id } = await store.insertTrajectory(doc);
          expect(exactText((await store.getTrajectory(id))?.trajectory)).toBe(written);
          // The caller's object is left as it was.
          expect(exactText(doc)).toBe(written);
        }),
        runs(60, 800),
      );
      await store.close();
    },
    PROPERTY_TIMEOUT,
  );

  test(
    'what cannot be stored is refused with validation and paths, and nothing changes',
    async () => {
      const store = await openTrajectoryStore();
      await store.insertTrajectory({
        schema_version: 'ATIF-v1.6',
        session_id: 'kept',
        agent: { name: 'a' },
        steps: [],
      });
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            poisonedDocument({ maxDepth: 8 }).map(({ doc }) => ({ doc, path: null })),
            notATrajectory.map((doc) => ({ doc, path: null })),
            loneSurrogateIdDocument({ maxDepth: 8 }).map((doc) => ({ doc, path: 'id' })),
          ),
          async ({ doc, path }) => {
            const issues = await expectRefused(store, () => store.insertTrajectory(doc as never));
            if (path === 'id') expect(issues.map((i) => i.path)).toContainEqual(expect.stringMatching(/_id$/));
          },
        ),
        runs(80, 2_000),
      );
      expect((await store.listTrajectories()).items.map((s) => s.id)).toEqual(['kept']);
      await store.close();
    },
    PROPERTY_TIMEOUT,
  );

  test(
    'insertMany stores the storable items, rejects the rest at their own index, and counts what it stored',
    async () => {
      const store = await openTrajectoryStore();
      const item = fc.oneof(
        { weight: 3, arbitrary: documents.map((doc) => ({ doc, refused: false })) },
        { weight: 1, arbitrary: poisonedDocument({ maxDepth: 8 }).map(({ doc }) => ({ doc, refused: true })) },
        { weight: 1, arbitrary: loneSurrogateIdDocument({ maxDepth: 8 }).map((doc) => ({ doc, refused: true })) },
      );
      await fc.assert(
        fc.asyncProperty(fc.array(item, { maxLength: 8 }), async (items) => {
          const before = await count(store);
          const report = await store.insertMany(items.map((i) => i.doc) as never[]);
          expect(report.rejected.map((r) => r.index)).toEqual(items.flatMap((i, index) => (i.refused ? [index] : [])));
          for (const { issues } of report.rejected) expect(issues.length).toBeGreaterThan(0);
          expect(await count(store)).toBe(before + report.inserted);
        }),
        runs(30, 600),
      );
      await store.close();
    },
    PROPERTY_TIMEOUT,
  );
});

describe('testgen sessions', () => {
  test(
    'every session within the schema is kept and reads back as given',
    async () => {
      const store = await openTrajectoryStore();
      await fc.assert(
        fc.asyncProperty(testgenData, async (data) => {
          const given = structuredClone(data);
          const { id } = await store.insertTestGenTrajectory(data);
          const stored = await store.getTrajectory(id);
          expectSameFields(stored?.testgen, given);
          expect(stored?.summary.kind).toBe('testgen');
        }),
        runs(60, 1_500),
      );
      await store.close();
    },
    PROPERTY_TIMEOUT,
  );

  test(
    'a field outside the schema is refused with validation naming it, and nothing changes',
    async () => {
      const store = await openTrajectoryStore();
      await fc.assert(
        fc.asyncProperty(brokenTestgen, async ({ data, path }) => {
          const issues = await expectRefused(store, () => store.insertTestGenTrajectory(data as never));
          expect(issues.map((i) => i.path)).toContainEqual(expect.stringMatching(new RegExp(`^${path}`)));
        }),
        runs(40, 1_000),
      );
      await store.close();
    },
    PROPERTY_TIMEOUT,
  );
});
