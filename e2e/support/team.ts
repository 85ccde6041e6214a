/**
 * A real `trajectory-store serve-team` subprocess over a real PostgreSQL (test/server/postgres.ts), for the
 * browser tests. Playwright's loader cannot run the server's modules in-process (they are bundled by Vite),
 * so the server, and the tokens, go through the command as a user would run them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

const LAUNCHER = fileURLToPath(new URL('../../scripts/trajectory-store.mjs', import.meta.url));

export interface TeamProcess {
  url: string;
  /** A new member's token, made with `team-token create`. */
  token(member: string): Promise<string>;
  /** The ids the server holds for a member, sorted. */
  ids(member: string): Promise<string[]>;
  stop(): Promise<void>;
  /** Ends the server process at once (SIGKILL), as a crash or a power cut would: no answer, no clean close. */
  kill(): Promise<void>;
}

function run(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [LAUNCHER, ...args], {
    cwd: mkdtempSync(join(tmpdir(), 'trajectory-store-team-')),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function output(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** `port`: 0 (the default) for a free one; a given one to start a server again where a page expects it. */
export async function startTeamProcess(databaseUrl: string, corsOrigin: string, port = 0): Promise<TeamProcess> {
  const env = {
    TRAJECTORY_TEAM_DATABASE_URL: databaseUrl,
    TRAJECTORY_TEAM_CORS_ORIGINS: corsOrigin,
    TRAJECTORY_TEAM_PORT: String(port),
    TRAJECTORY_TEAM_RATE_LIMIT: '100000',
  };
  const server = run(['serve-team'], env);
  const exited = output(server);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const listening = out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; url?: string })
        .find((line) => line.msg === 'listening');
      if (listening?.url) resolve(listening.url);
    });
    void exited.then(({ code, stderr }) => reject(new Error(`serve-team exited with ${code}: ${stderr}`)));
  });
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  return {
    url,
    async token(member) {
      const made = await output(run(['team-token', 'create', '--member', member, '--json'], env));
      if (made.code !== 0) throw new Error(`team-token create failed: ${made.stderr}`);
      return (JSON.parse(made.stdout.split('\n')[0]!) as { token: string }).token;
    },
    async ids(member) {
      const rows = await sql`SELECT id FROM team_trajectories WHERE member = ${member} ORDER BY id`;
      return rows.map((row) => String(row.id));
    },
    async stop() {
      server.kill('SIGTERM');
      await exited;
      await sql.end({ timeout: 5 });
    },
    async kill() {
      server.kill('SIGKILL');
      await exited;
      await sql.end({ timeout: 5 });
    },
  };
}
