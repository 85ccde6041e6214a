/**
 * A team server over a real PostgreSQL (test/server/postgres.ts) on a free port, an HTTP client for it, and
 * `useTestPostgres()`: the one embedded PostgreSQL of a test file, with `freshTeam()` for a team of its own.
 */
import { afterAll, beforeAll } from 'vitest';
import { teamServerConfig, type TeamServerConfig } from '../../src/server/config.js';
import { jsonLogger } from '../../src/server/log.js';
import { connectTeamDatabase, startTeamServer, type RunningTeamServer } from '../../src/server/serve.js';
import type { Db } from '../../src/server/sql.js';
import { createToken } from '../../src/server/tokens.js';
import { startTestPostgres, type TestPostgres } from './postgres.js';

export type TeamSettings = Partial<Record<keyof TeamServerConfig, string>>;

/** The tests' servers take whatever a test sends: only the rate-limit test lowers it. */
export const TEST_TEAM_SETTINGS: TeamSettings = { rateLimitPerMinute: '100000' };

export interface TestTeamServer {
  server: RunningTeamServer;
  db: Db;
  /** Every log line the server wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  token(member: string): Promise<string>;
  /** Stops the server and its connections; a second call waits for the first. */
  close(): Promise<void>;
}

export async function startTestTeamServer(databaseUrl: string, settings: TeamSettings = {}): Promise<TestTeamServer> {
  const logs: Array<Record<string, unknown>> = [];
  const config = teamServerConfig({}, { databaseUrl, port: '0', ...settings });
  const server = await startTeamServer(
    config,
    jsonLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
  );
  const db = connectTeamDatabase(databaseUrl, { max: 2 });
  let closed: Promise<void> | undefined;
  return {
    server,
    db,
    logs,
    token: async (member) => (await createToken(db, member)).token,
    close: () => {
      closed ??= (async () => {
        await server.close();
        await db.end({ timeout: 5 });
      })();
      return closed;
    },
  };
}

export interface FreshTeam {
  team: TestTeamServer;
  databaseUrl: string;
  /** Tokens of two members. */
  alice: string;
  bob: string;
}

export interface TestPostgresOfFile {
  /** The file's PostgreSQL (started before its first test). */
  readonly pg: TestPostgres;
  /** A team server of its own over a fresh database (TEST_TEAM_SETTINGS, then `settings`), with members' tokens. */
  freshTeam(settings?: TeamSettings): Promise<FreshTeam>;
}

/**
 * One embedded PostgreSQL for the calling test file: started before its first test, stopped after its last,
 * with every team server `freshTeam` made that a test left running (a failed test skips its own close).
 * Call it once, at the top of the file.
 */
export function useTestPostgres(timeout = 120_000): TestPostgresOfFile {
  let pg: TestPostgres | undefined;
  const teams: TestTeamServer[] = [];
  beforeAll(async () => {
    pg = await startTestPostgres();
  }, timeout);
  afterAll(async () => {
    await Promise.allSettled(teams.map((team) => team.close()));
    await pg?.stop();
  }, timeout);
  const started = (): TestPostgres => {
    if (!pg) throw new Error('the test PostgreSQL is not running: useTestPostgres() starts it in beforeAll');
    return pg;
  };
  return {
    get pg() {
      return started();
    },
    async freshTeam(settings = {}) {
      const databaseUrl = await started().freshDatabase();
      const team = await startTestTeamServer(databaseUrl, { ...TEST_TEAM_SETTINGS, ...settings });
      teams.push(team);
      return { team, databaseUrl, alice: await team.token('alice'), bob: await team.token('bob') };
    },
  };
}

/** JSONL of lines. */
export const jsonl = (lines: readonly unknown[]) => `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
