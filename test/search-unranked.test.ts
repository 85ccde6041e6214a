/**
 * A search no index ranks (a 2-character CJK word, found by LIKE over the
 * trigram index's text; text with no letter, found by a scan): pages come in
 * the listing's order, each hit with its snippet, reading the text of the
 * page's rows only (src/store/search.ts).
 */
import { beforeAll, expect, test } from 'vitest';
import type { SearchHit } from '../src/contract/results.js';
import type { TrajectoryQuery } from '../src/schema/query.js';
import type { StoreCore } from '../src/store/store.js';
import { atifRun, openCore } from './fixtures.js';

let core: StoreCore;
const TOTAL = 60;
/** Every third run says 設定 (too short for the trigram index), every fifth `=>` (no letter). */
const says = (i: number) => `${i % 3 === 0 ? 'サーバーの設定を変更 ' : ''}${i % 5 === 0 ? 'a => b ' : ''}run ${i}`;

beforeAll(async () => {
  ({ core } = await openCore());
  const items = Array.from({ length: TOTAL }, (_, i) =>
    atifRun(`run-${i}`, {
      steps: 1 + (i % 4),
      text: says(i),
      start: `2025-05-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00.000Z`,
    }),
  );
  expect(core.insertMany(items).inserted).toBe(TOTAL);
});

function everyHit(text: string, query: TrajectoryQuery & { limit: number }): SearchHit[] {
  const hits: SearchHit[] = [];
  let cursor: string | undefined;
  do {
    const page = core.searchTrajectories(text, { ...query, ...(cursor ? { cursor } : {}) });
    expect(page.items.length === query.limit || !page.nextCursor).toBe(true);
    hits.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return hits;
}

const listed = (query: TrajectoryQuery) => core.listTrajectories({ ...query, limit: TOTAL }).items.map((s) => s.id);
const number = (id: string) => Number(id.slice('run-'.length));

test.each([
  ['設定', {}, (i: number) => i % 3 === 0],
  ['設定', { orderBy: 'stepCount', order: 'asc' }, (i: number) => i % 3 === 0],
  ['=>', { orderBy: 'firstStepAt' }, (i: number) => i % 5 === 0],
  ['設定 =>', {}, (i: number) => i % 15 === 0],
] as const)('%s, %o: every match once, in the listing order, each with its snippet', (text, query, matches) => {
  const hits = everyHit(text, { ...query, limit: 4 });
  expect(hits.map((h) => h.id)).toEqual(listed(query).filter((id) => matches(number(id))));
  for (const hit of hits) {
    expect(hit.rank).toBeNull();
    expect(hit.snippet.text).toContain(`run ${number(hit.id)}`);
    const highlighted = hit.snippet.highlights.map(([from, to]) => hit.snippet.text.slice(from, to));
    expect(highlighted).toEqual(text.split(' '));
    expect(hit).toMatchObject(core.listTrajectories({ limit: TOTAL }).items.find((s) => s.id === hit.id)!);
  }
});
