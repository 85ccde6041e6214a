/**
 * Properties of reading (issue 8, Deliver 3), over the real sqlite-wasm store in Node: any text a person types is
 * a search that answers (never an SQL or untyped error), any cursor is a valid page or a typed refusal, and any
 * query object either answers or is refused with `validation` naming its fields.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TrajectoryStore } from '../../src/node.js';
import { openTrajectoryStore, TrajectoryStoreError } from '../../src/node.js';
import { ORDER_BY } from '../../src/schema/query.js';
import { atifRun, testgenSession } from '../fixtures.js';
import { text } from './arbitraries.js';
import { PROPERTY_TIMEOUT, runs } from './settings.js';

let store: TrajectoryStore;
let ids: Set<string>;

beforeAll(async () => {
  store = await openTrajectoryStore();
  await store.insertMany([
    ...Array.from({ length: 30 }, (_, i) =>
      atifRun(`run-${i}`, {
        text: ['timeout in build', 'café 東京 🎉 %', 'read_file "quoted"', `NOT (x) - y*`][i % 4],
      }),
    ),
    ...Array.from({ length: 5 }, (_, i) => ({ testgen: testgenSession(`tg-${i}`) })),
  ]);
  ids = new Set((await store.listTrajectories({ limit: 1000 })).items.map((s) => s.id));
});
afterAll(() => store.close());

/** Resolves to what `work` gives, or to the TrajectoryStoreError it fails with; anything else fails the test. */
async function answerOrTypedError<T>(work: Promise<T>): Promise<T | TrajectoryStoreError> {
  try {
    return await work;
  } catch (error) {
    expect(error).toBeInstanceOf(TrajectoryStoreError);
    return error as TrajectoryStoreError;
  }
}

/** What people type into a search box: words, the query language's own syntax, and any code point between. */
const searchText = fc.oneof(
  text,
  fc
    .array(
      fc.oneof(
        text,
        fc.constantFrom('"', '*', '-', 'NOT', 'OR', 'AND', 'NEAR', '(', ')', ':', 'id:', '^', '{', '}', '\u0000', ' '),
        fc.constantFrom('timeout', 'cafe', '東京', '🎉', '%', 'read_file', 'run-3'),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(' ')),
  fc.array(fc.constantFrom('"', '*', '-', '(', ')', ':', 'OR', 'x'), { maxLength: 12 }).map((parts) => parts.join('')),
);

test(
  'any search text answers with stored rows (never an SQL or untyped error)',
  async () => {
    await fc.assert(
      fc.asyncProperty(searchText, fc.constantFrom(undefined, 'atif', 'testgen'), async (query, kind) => {
        const result = await answerOrTypedError(store.searchTrajectories(query, kind ? { kind } : {}));
        if (result instanceof TrajectoryStoreError) {
          expect(result.code).toBe('validation');
          return;
        }
        for (const hit of result.items) {
          expect(ids.has(hit.id)).toBe(true);
          for (const [start, end] of hit.snippet.highlights) {
            expect(0 <= start && start <= end && end <= hit.snippet.text.length).toBe(true);
          }
        }
        // An export of what the search finds takes the same query.
        const exported = await store.exportTrajectories({ format: 'jsonl', text: query });
        expect(exported.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(result.items.length);
      }),
      runs(150, 3_000),
    );
  },
  PROPERTY_TIMEOUT,
);

test(
  'any cursor gives a page or a typed validation error; real cursors page through every row once',
  async () => {
    const { nextCursor } = await store.listTrajectories({ limit: 7 });
    const realCursor = nextCursor!;
    const cursor = fc.oneof(
      text,
      fc.base64String({ maxLength: 60 }),
      // A real cursor cut, extended or with one character changed.
      fc
        .tuple(fc.nat(realCursor.length), fc.string({ maxLength: 3 }), fc.boolean())
        .map(([at, piece, cut]) =>
          cut ? realCursor.slice(0, at) : realCursor.slice(0, at) + piece + realCursor.slice(at + 1),
        ),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url')),
    );
    await fc.assert(
      fc.asyncProperty(cursor, fc.constantFrom(...ORDER_BY), fc.boolean(), async (cursor, orderBy, search) => {
        const query = { cursor, orderBy, limit: 5 };
        const page = await answerOrTypedError(
          search ? store.searchTrajectories('timeout', query) : store.listTrajectories(query),
        );
        if (page instanceof TrajectoryStoreError) {
          expect(page.code).toBe('validation');
          expect(page.issues?.map((i) => i.path)).toContain('cursor');
          return;
        }
        for (const item of page.items) expect(ids.has(item.id)).toBe(true);
      }),
      runs(150, 3_000),
    );
    // Real cursors, for every order: each row exactly once.
    for (const orderBy of ORDER_BY) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.listTrajectories({ orderBy, limit: 4, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((s) => s.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual([...ids].sort());
    }
  },
  PROPERTY_TIMEOUT,
);

/** A query object: real fields with values of any JSON type, and now and then a field that does not exist. */
const queryObject = fc.dictionary(
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('sessionId', 'agentName', 'modelName', 'kind', 'status', 'conformant') },
    { weight: 6, arbitrary: fc.constantFrom('createdFrom', 'startedTo', 'minCostUsd', 'maxScore', 'orderBy', 'order') },
    { weight: 3, arbitrary: fc.constantFrom('limit', 'cursor', 'taskId', 'schemaVersion', 'createdTo', 'minScore') },
    { weight: 1, arbitrary: text },
  ),
  fc.oneof(
    text,
    fc.constantFrom('atif', 'complete', 'asc', 'totalCostUsd', '2025-11-12', '0042-01-01T00:00:00Z', 'claude-code'),
    fc.integer({ min: -5, max: 2000 }),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  ),
  { maxKeys: 5 },
);

test(
  'any query object answers or is refused with validation naming its fields',
  async () => {
    await fc.assert(
      fc.asyncProperty(queryObject, async (query) => {
        const page = await answerOrTypedError(store.listTrajectories(query as never));
        const stats = await answerOrTypedError(store.getStats(withoutPaging(query) as never));
        if (page instanceof TrajectoryStoreError) {
          expect(page.code).toBe('validation');
          // Each issue names a field of the query (or, for unknown fields, the query itself).
          for (const { path } of page.issues ?? []) {
            expect(path === '' || Object.keys(query).some((field) => path.startsWith(field))).toBe(true);
          }
          return;
        }
        for (const item of page.items) expect(ids.has(item.id)).toBe(true);
        expect(stats).not.toBeInstanceOf(TrajectoryStoreError);
      }),
      runs(200, 4_000),
    );
  },
  PROPERTY_TIMEOUT,
);

function withoutPaging(query: Record<string, unknown>): Record<string, unknown> {
  const { limit: _limit, cursor: _cursor, orderBy: _orderBy, order: _order, ...filter } = query;
  return filter;
}
