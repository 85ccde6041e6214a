/**
 * Ranking in windows (src/store/search.ts, RANK_WINDOW): a query with more
 * matches than a window pages through every match once, each window best
 * first; one with fewer is ranked whole.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { SearchHit } from '../src/contract/results.js';
import { ORDERED_SEARCH, RANK_WINDOW } from '../src/store/search.js';
import type { TrajectoryQuery } from '../src/schema/query.js';
import type { StoreCore } from '../src/store/store.js';
import { atifRun, openCore } from './fixtures.js';

const TOTAL = Math.round(RANK_WINDOW * 2.5);
let core: StoreCore;

/**
 * Saved in this order: run-0 first (lowest seq). Every run says "common" 1-5 times; multiples of 7 say "rare".
 * Runs start on 10 days in turn, so that the first rows by firstStepAt are spread over every seq.
 */
beforeAll(async () => {
  ({ core } = await openCore());
  const items = Array.from({ length: TOTAL }, (_, i) =>
    atifRun(`run-${i}`, {
      agent: i % 2 === 0 ? 'even' : 'odd',
      text: `${'common '.repeat(1 + (i % 5))}${i % 7 === 0 ? 'rare ' : ''}filler words of run ${i}`,
      start: `2025-05-${String(1 + (i % 10)).padStart(2, '0')}T10:00:00.000Z`,
    }),
  );
  expect(core.insertMany(items).inserted).toBe(TOTAL);
}, 120_000); // 2,500 saves: seconds alone, far longer on a loaded machine

/** Every hit of a search, page by page. */
function everyHit(text: string, query: { limit: number } & TrajectoryQuery): { hits: SearchHit[]; pages: number } {
  const hits: SearchHit[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = core.searchTrajectories(text, { ...query, ...(cursor ? { cursor } : {}) });
    expect(page.items.length === query.limit || !page.nextCursor).toBe(true); // only the last page is short
    hits.push(...page.items);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { hits, pages };
}

const runNumber = (hit: SearchHit) => Number(hit.id.slice('run-'.length));

describe('ranking windows', () => {
  test.each([97, 333, 1000])('paging %i at a time yields every match exactly once', (limit) => {
    const { hits } = everyHit('common', { limit });
    const ids = hits.map((h) => h.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(TOTAL);
  });

  test('each window holds the newest matches not yet shown, best first within it', () => {
    const { hits } = everyHit('common', { limit: 333 });
    for (let w = 0; w * RANK_WINDOW < TOTAL; w++) {
      const window = hits.slice(w * RANK_WINDOW, (w + 1) * RANK_WINDOW);
      const newest = TOTAL - 1 - w * RANK_WINDOW;
      expect(Math.max(...window.map(runNumber))).toBe(newest);
      expect(Math.min(...window.map(runNumber))).toBe(Math.max(0, newest - RANK_WINDOW + 1));
      const ranks = window.map((h) => h.rank!);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    // bm25: five "common"s rank above one, so the first page starts with the five-times runs.
    expect(hits.slice(0, 5).every((h) => runNumber(h) % 5 === 4)).toBe(true);
  });

  test('with a filter, the windows hold the matches that pass it, and nothing else', () => {
    const { hits } = everyHit('common', { limit: 400, agentName: 'even' });
    expect(hits.every((h) => h.agentName === 'even')).toBe(true);
    expect(new Set(hits.map((h) => h.id)).size).toBe(TOTAL / 2);
  });

  test('an excluded word leaves out exactly the rows that contain it, in every window', () => {
    const { hits } = everyHit('common -rare', { limit: 400 });
    expect(hits.every((h) => runNumber(h) % 7 !== 0)).toBe(true);
    expect(new Set(hits.map((h) => h.id)).size).toBe(TOTAL - (Math.floor((TOTAL - 1) / 7) + 1));
    expect(everyHit('common NOT "rare filler"', { limit: 400 }).hits).toHaveLength(hits.length);
  });

  test('a query with fewer matches than a window is ranked whole: the same order as one big page', () => {
    const expected = Math.floor((TOTAL - 1) / 7) + 1;
    expect(expected).toBeLessThan(RANK_WINDOW);
    const whole = core.searchTrajectories('rare', { limit: 1000 }).items;
    expect(whole).toHaveLength(expected);
    expect(everyHit('rare', { limit: 50 }).hits.map((h) => h.id)).toEqual(whole.map((h) => h.id));
  });

  test('snippets highlight the matched words on every page', () => {
    const page = core.searchTrajectories('rare common', { limit: 20 });
    for (const hit of page.items) {
      const marked = hit.snippet.highlights.map(([s, e]) => hit.snippet.text.slice(s, e));
      expect(marked).toContain('rare');
      expect(marked).toContain('common');
    }
  });
});

/**
 * An explicit order takes one of three ways to its page (ORDERED_SEARCH in src/store/search.ts): few matches
 * sorted, the first rows of the order probed one by one, or the order's index walked against the match list.
 * Each must give exactly the listing's order, restricted to the matches.
 */
describe('search in an explicit order', () => {
  /** The ids of every trajectory in the listing's order. */
  function listed(query: TrajectoryQuery): string[] {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = core.listTrajectories({ ...query, limit: 500, ...(cursor ? { cursor } : {}) });
      ids.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }
  const isRare = (id: string) => Number(id.slice('run-'.length)) % 7 === 0;

  test('the three ways are all taken here', () => {
    expect(Math.floor((TOTAL - 1) / 7) + 1).toBeLessThanOrEqual(ORDERED_SEARCH.fewMatches); // "rare": sorted
    expect(TOTAL).toBeGreaterThan(ORDERED_SEARCH.fewMatches); // "common": probed or walked
    expect(97).toBeLessThan(ORDERED_SEARCH.probeWindow); // a page of 97 fills from the probed rows
    expect(400).toBeGreaterThan(ORDERED_SEARCH.probeWindow); // a page of 400 cannot: walked
    // The first rows by createdAt are the newest seqs: checked against the few matches in their range. Those by
    // firstStepAt (the latest of 10 days) are every tenth run: their range holds too many, so each is probed
    // (a prefix is walked instead).
    const head = (orderBy: 'createdAt' | 'firstStepAt') =>
      listed({ orderBy })
        .slice(0, ORDERED_SEARCH.probeWindow)
        .map((id) => Number(id.slice('run-'.length)));
    const span = (runs: number[]) => Math.max(...runs) - Math.min(...runs) + 1;
    expect(span(head('createdAt'))).toBeLessThanOrEqual(ORDERED_SEARCH.fewMatches);
    expect(span(head('firstStepAt'))).toBeGreaterThan(ORDERED_SEARCH.fewMatches);
  });

  test.each([
    ['common', 97, 'createdAt', 'desc'],
    ['common', 400, 'createdAt', 'asc'],
    ['common', 97, 'stepCount', 'desc'],
    ['common -rare', 97, 'createdAt', 'desc'],
    ['common -rare', 400, 'createdAt', 'desc'],
    ['comm*', 97, 'createdAt', 'desc'],
    ['common', 97, 'firstStepAt', 'desc'],
    ['comm*', 97, 'firstStepAt', 'desc'],
    ['common -rare', 97, 'firstStepAt', 'asc'],
    ['rare', 50, 'createdAt', 'desc'],
    ['rare', 50, 'updatedAt', 'asc'],
  ] as const)("%s, %i a page, by %s %s: every match once, in the listing's order", (text, limit, orderBy, order) => {
    const { hits } = everyHit(text, { limit, orderBy, order });
    const keep = text === 'rare' ? isRare : text === 'common -rare' ? (id: string) => !isRare(id) : () => true;
    expect(hits.map((h) => h.id)).toEqual(listed({ orderBy, order }).filter(keep));
    expect(hits.every((h) => typeof h.rank === 'number')).toBe(true);
  });

  test('with a filter, only the rows that pass it, in order', () => {
    const { hits } = everyHit('common', { limit: 97, orderBy: 'createdAt', agentName: 'odd' });
    expect(hits.map((h) => h.id)).toEqual(listed({ orderBy: 'createdAt', agentName: 'odd' }));
  });
});
