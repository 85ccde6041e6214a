/**
 * Deletions through store.sync(): a trajectory deleted locally is deleted on the team server (real PostgreSQL, real
 * HTTP), in change order with saves, newer-wins (a version saved after the deletion stays), only the member's own,
 * sent once; a deleted trajectory stays deleted when an older copy is pushed again (the server's tombstones); and
 * POST /v1/deletions refuses what is malformed or too large.
 */
import { expect, test } from 'vitest';
import { openTrajectoryStore } from '../../src/node.js';
import type { TrajectoryStore } from '../../src/public-types.js';
import { atifRun } from '../fixtures.js';
import { type TestTeamServer, useTestPostgres } from './team-server.js';

const SLOW = 120_000;
const { freshTeam } = useTestPostgres(SLOW);

async function serverIds(team: TestTeamServer, member = 'alice'): Promise<string[]> {
  const rows = await team.db.unsafe('SELECT id FROM team_trajectories WHERE member = $1 ORDER BY id', [member]);
  return rows.map((r) => String(r.id));
}

async function storeWith(ids: readonly string[]): Promise<TrajectoryStore> {
  const store = await openTrajectoryStore();
  await store.insertMany(ids.map((id) => atifRun(id, { text: `about ${id}` })));
  return store;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

test(
  'a local deletion is pushed and deletes the server’s copy, once; saved again, the trajectory is pushed again',
  async () => {
    const { team, alice } = await freshTeam();
    const store = await storeWith(['a', 'b', 'c', 'd']);
    await store.sync({ url: team.server.url, token: alice });
    expect(await serverIds(team)).toEqual(['a', 'b', 'c', 'd']);

    await tick();
    expect(await store.deleteTrajectory('b')).toBe(true);
    expect(await store.deleteTrajectory('d')).toBe(true);
    expect((await store.syncStatus())[0]!.pending).toBe(2);
    const report = await store.sync({ url: team.server.url, token: alice });
    expect(report.deletions).toEqual({ deleted: 2, absent: 0, stale: 0 });
    expect(report.counts.inserted + report.counts.unchanged).toBe(0);
    expect(await serverIds(team)).toEqual(['a', 'c']);
    // Sent once: the tombstones are gone with the watermark past them.
    expect((await store.sync({ url: team.server.url, token: alice })).deletions.deleted).toBe(0);
    expect((await store.syncStatus())[0]!.pending).toBe(0);

    // Saved again under the id: the save, not the deletion, is what goes.
    await tick();
    await store.insertTrajectory(atifRun('b', { text: 'b again' }));
    const again = await store.sync({ url: team.server.url, token: alice });
    expect(again).toMatchObject({ counts: { inserted: 1 }, deletions: { deleted: 0, absent: 0, stale: 0 } });
    expect(await serverIds(team)).toEqual(['a', 'b', 'c']);
    await store.close();
    await team.close();
  },
  SLOW,
);

test(
  'newer wins: a version saved after the deletion (the member’s other browser) stays, reported stale',
  async () => {
    const { team, alice } = await freshTeam();
    const laptop = await storeWith(['shared']);
    await laptop.sync({ url: team.server.url, token: alice });
    await tick();
    await laptop.deleteTrajectory('shared');
    await tick();
    const desktop = await openTrajectoryStore();
    await desktop.insertTrajectory(atifRun('shared', { text: 'edited later', steps: 4 }));
    expect((await desktop.sync({ url: team.server.url, token: alice })).counts.replaced).toBe(1);

    const report = await laptop.sync({ url: team.server.url, token: alice });
    expect(report.deletions).toEqual({ deleted: 0, absent: 0, stale: 1 });
    expect(report.notTaken).toEqual([{ id: 'shared', outcome: 'stale', deletion: true }]);
    expect(await serverIds(team)).toEqual(['shared']);
    await laptop.close();
    await desktop.close();
    await team.close();
  },
  SLOW,
);

test(
  'a deleted trajectory stays deleted: an older copy pushed again (another browser, unsynced) is stale; a newer one comes back',
  async () => {
    const { team, alice } = await freshTeam();
    // The desktop saved the run first and has not pushed it; the laptop pushes it, then deletes it.
    const desktop = await storeWith(['run']);
    await tick();
    const laptop = await storeWith(['run']);
    await laptop.sync({ url: team.server.url, token: alice });
    await tick();
    await laptop.deleteTrajectory('run');
    expect((await laptop.sync({ url: team.server.url, token: alice })).deletions.deleted).toBe(1);

    const late = await desktop.sync({ url: team.server.url, token: alice });
    expect(late.counts).toMatchObject({ inserted: 0, stale: 1 });
    expect(late.notTaken).toEqual([expect.objectContaining({ id: 'run', outcome: 'stale' })]);
    expect(await serverIds(team)).toEqual([]);

    // A deletion of an id the server never had is kept too: the copy pushed after it, older, stays out.
    const never = await fetch(`${team.server.url}/v1/deletions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice}` },
      body: `${JSON.stringify({ id: 'never-pushed', deletedAt: '2999-01-01T00:00:00Z' })}\n`,
    });
    expect(((await never.json()) as { counts: unknown }).counts).toEqual({ deleted: 0, absent: 1, stale: 0 });
    await desktop.insertTrajectory(atifRun('never-pushed'));
    expect((await desktop.sync({ url: team.server.url, token: alice })).counts).toMatchObject({ stale: 1 });
    expect(await serverIds(team)).toEqual([]);

    // Saved after the deletion, the run is newer than it: it comes back.
    await tick();
    await desktop.insertTrajectory(atifRun('run', { text: 'run, edited after the deletion' }), {
      onConflict: 'replace',
    });
    expect((await desktop.sync({ url: team.server.url, token: alice })).counts).toMatchObject({ inserted: 1 });
    expect(await serverIds(team)).toEqual(['run']);
    await desktop.close();
    await laptop.close();
    await team.close();
  },
  SLOW,
);

test(
  'a member deletes only their own: bob’s trajectory of the same id stays',
  async () => {
    const { team, alice, bob } = await freshTeam();
    const bobs = await storeWith(['same-id']);
    await bobs.sync({ url: team.server.url, token: bob });
    const alices = await storeWith(['same-id', 'other']);
    await alices.sync({ url: team.server.url, token: alice });
    await tick();
    await alices.deleteTrajectory('same-id');
    expect((await alices.sync({ url: team.server.url, token: alice })).deletions.deleted).toBe(1);
    expect(await serverIds(team, 'alice')).toEqual(['other']);
    expect(await serverIds(team, 'bob')).toEqual(['same-id']);

    // Asked directly with alice's token, a deletion of an id only bob holds is `absent`, and bob's row stays.
    const answer = await fetch(`${team.server.url}/v1/deletions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice}` },
      body: `${JSON.stringify({ id: 'same-id', deletedAt: '2999-01-01T00:00:00Z' })}\n`,
    });
    expect(await answer.json()).toEqual({
      counts: { deleted: 0, absent: 1, stale: 0 },
      items: [{ id: 'same-id', outcome: 'absent' }],
    });
    expect(await serverIds(team, 'bob')).toEqual(['same-id']);
    await bobs.close();
    await alices.close();
    await team.close();
  },
  SLOW,
);

test(
  'POST /v1/deletions: no token 401; malformed lines and injection attempts 400 (nothing deleted); over the limits 413',
  async () => {
    const { team, alice } = await freshTeam({ maxBatchItems: '3', maxBatchBytes: '2048' });
    const store = await storeWith(["x'; DROP TABLE team_trajectories; --", 'y']);
    await store.sync({ url: team.server.url, token: alice });
    const post = (body: string, token: string | null = alice) =>
      fetch(`${team.server.url}/v1/deletions`, {
        method: 'POST',
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        body,
      });
    const line = (value: unknown) => `${JSON.stringify(value)}\n`;

    expect((await post(line({ id: 'y', deletedAt: '2999-01-01T00:00:00Z' }), null)).status).toBe(401);
    for (const body of [
      'not json\n',
      line({ id: 'y' }),
      line({ id: 'y', deletedAt: 'yesterday' }),
      line({ id: '', deletedAt: '2999-01-01T00:00:00Z' }),
      line({ id: 'y', deletedAt: '2999-01-01T00:00:00Z', member: 'bob' }),
      line({ id: ['y'], deletedAt: '2999-01-01T00:00:00Z' }),
    ]) {
      const answer = await post(body);
      expect(answer.status, body).toBe(400);
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('validation');
    }
    const tooMany = Array.from({ length: 4 }, (_, i) => line({ id: `n${i}`, deletedAt: '2999-01-01T00:00:00Z' }));
    expect((await post(tooMany.join(''))).status).toBe(413);
    expect((await post(line({ id: 'z'.repeat(1500), deletedAt: '2999-01-01T00:00:00Z' }).repeat(2))).status).toBe(413);
    expect(await serverIds(team)).toEqual(["x'; DROP TABLE team_trajectories; --", 'y']);

    // The id is bound, never spliced: it deletes exactly the row of that name.
    await tick();
    await store.deleteTrajectory("x'; DROP TABLE team_trajectories; --");
    expect((await store.sync({ url: team.server.url, token: alice })).deletions.deleted).toBe(1);
    expect(await serverIds(team)).toEqual(['y']);
    await store.close();
    await team.close();
  },
  SLOW,
);
