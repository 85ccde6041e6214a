/**
 * `trajectory-store team-token` and `serve-team` as real subprocesses over a
 * real PostgreSQL: a token made on the command line opens the API; revoked on
 * the command line, it no longer does.
 */
import { expect, test } from 'vitest';
import { cli, finished, jsonLines, startCli, tempFolder } from '../cli/run-cli.js';
import { useTestPostgres } from './team-server.js';

const SLOW = { timeout: 180_000 };
const postgres = useTestPostgres();

test('team-token create, list and revoke; serve-team serves, logs JSON and stops on SIGTERM', SLOW, async () => {
  const dir = tempFolder();
  const created = await cli(
    ['team-token', 'create', '--member', 'alice', '--database', postgres.pg.url, '--json'],
    dir,
  );
  expect(created.code, created.stderr).toBe(0);
  const { token, id, member } = jsonLines(created.stdout)[0] as { token: string; id: number; member: string };
  expect(member).toBe('alice');
  expect(token).toMatch(/^tst_[A-Za-z0-9_-]{43}$/);

  const listed = await cli(['team-token', 'list', '--database', postgres.pg.url], dir);
  expect(listed.stdout).toContain(`${id}\talice\tcreated `);
  expect(listed.stdout).not.toContain(token);

  const server = startCli(['serve-team', '--database', postgres.pg.url, '--port', '0'], dir);
  const done = finished(server);
  let out = '';
  server.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  for (let i = 0; i < 600 && !out.includes('"listening"'); i++) await new Promise((r) => setTimeout(r, 100));
  const url = (jsonLines(out).find((line) => line.msg === 'listening') as { url: string }).url;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  const me = () => fetch(`${url}/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  expect(await (await me()).json()).toEqual({ member: 'alice' });
  const revoked = await cli(['team-token', 'revoke', '--member', 'alice', '--database', postgres.pg.url], dir);
  expect(revoked.stdout).toContain('revoked 1 token');
  expect((await me()).status).toBe(401);

  server.kill('SIGTERM');
  const exit = await done;
  expect(exit.code).toBe(0);
  const logged = jsonLines(exit.stdout);
  expect(logged.filter((line) => line.msg === 'request').map((line) => line.status)).toEqual([200, 401]);
  expect(exit.stdout).not.toContain(token);

  const noDatabase = await cli(['serve-team'], dir);
  expect(noDatabase.code).toBe(2);
  expect(noDatabase.stderr).toContain('TRAJECTORY_TEAM_DATABASE_URL');
});
