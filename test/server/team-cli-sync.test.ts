/**
 * `trajectory-store sync` as a real subprocess, on a database file, against a real team server over a real
 * PostgreSQL: the first sync pushes everything, a second one sends nothing (the watermark is kept in the file),
 * a deletion made with `delete` is pushed, and a refused token exits 6 with the file's watermark unmoved.
 */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { SyncReport } from '../../src/public-types.js';
import { atifRun } from '../documents.js';
import { cli, finished, jsonLines, startCli, tempFolder, writeFiles } from '../cli/run-cli.js';
import { useTestPostgres } from './team-server.js';

const SLOW = { timeout: 240_000 };
const { freshTeam } = useTestPostgres();

test(
  'sync pushes the file once, then only what changed, deletions included; a refused token exits 6',
  SLOW,
  async () => {
    const { team, alice: token } = await freshTeam();
    const dir = tempFolder();
    const runs = Array.from({ length: 12 }, (_, i) => JSON.stringify(atifRun(`cli-${i}`)));
    writeFiles(dir, { 'runs.jsonl': `${runs.join('\n')}\n` });
    expect((await cli(['import', join(dir, 'runs.jsonl')], dir)).code).toBe(0);

    const sync = (env: NodeJS.ProcessEnv, ...args: string[]) =>
      finished(startCli(['sync', '--server', team.server.url, '--json', ...args], dir, env));
    const report = (run: { stdout: string }) => jsonLines(run.stdout)[0] as unknown as SyncReport;
    const serverIds = async () =>
      (await team.db.unsafe("SELECT id FROM team_trajectories WHERE member = 'alice' ORDER BY id")).map((r) => r.id);

    const first = await sync({ TRAJECTORY_TEAM_TOKEN: token }, '--batch-size', '5');
    expect(first.code, first.stderr).toBe(0);
    expect(report(first)).toMatchObject({ member: 'alice', batches: 3, counts: { inserted: 12 } });
    expect(await serverIds()).toHaveLength(12);

    // A second run of the command sends nothing: the watermark was saved in the file.
    const second = await sync({ TRAJECTORY_TEAM_TOKEN: token });
    expect(second.code, second.stderr).toBe(0);
    expect(report(second)).toMatchObject({ batches: 0, counts: { inserted: 0, unchanged: 0 } });
    const requests = team.logs.filter((line) => line.msg === 'request' && line.path === '/v1/batches');
    expect(requests).toHaveLength(3);

    expect((await cli(['delete', 'cli-3', 'cli-7'], dir)).code).toBe(0);
    const third = await sync({ TRAJECTORY_TEAM_TOKEN: token });
    expect(report(third)).toMatchObject({ batches: 0, deletions: { deleted: 2, absent: 0, stale: 0 } });
    expect(await serverIds()).toHaveLength(10);
    expect(await serverIds()).not.toContain('cli-3');

    // Refused: exit 6, the reason on stderr; the file still has the change pending, so a later sync sends it.
    writeFiles(dir, { 'more.jsonl': `${JSON.stringify(atifRun('cli-late'))}\n` });
    expect((await cli(['import', join(dir, 'more.jsonl')], dir)).code).toBe(0);
    const refused = await sync({ TRAJECTORY_TEAM_TOKEN: 'tst_not-a-token' });
    expect(refused.code).toBe(6);
    expect(JSON.parse(refused.stderr.trim().split('\n').at(-1)!)).toMatchObject({ error: { code: 'unauthorized' } });
    const later = await sync({ TRAJECTORY_TEAM_TOKEN: token });
    expect(report(later)).toMatchObject({ batches: 1, counts: { inserted: 1 } });

    // Plain output, and the usage errors.
    const plain = await finished(
      startCli(['sync', '--server', team.server.url], dir, { TRAJECTORY_TEAM_TOKEN: token }),
    );
    expect(plain.stdout).toContain(`${team.server.url} (alice): 0 inserted, 0 replaced, 0 unchanged, 0 deleted`);
    const noToken = await finished(startCli(['sync', '--server', team.server.url], dir, { TRAJECTORY_TEAM_TOKEN: '' }));
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('TRAJECTORY_TEAM_TOKEN');
    const noServer = await finished(startCli(['sync'], dir, { TRAJECTORY_TEAM_TOKEN: token, TRAJECTORY_TEAM_URL: '' }));
    expect(noServer.code).toBe(2);
    await team.close();
  },
);
