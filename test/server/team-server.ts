/** A team server over a real PostgreSQL (test/server/postgres.ts) on a free port, and an HTTP client for it. */
import { teamServerConfig, type TeamServerConfig } from '../../src/server/config.js';
import { jsonLogger } from '../../src/server/log.js';
import { connectTeamDatabase, startTeamServer, type RunningTeamServer } from '../../src/server/serve.js';
import type { Db } from '../../src/server/sql.js';
import { createToken } from '../../src/server/tokens.js';

export interface TestTeamServer {
  server: RunningTeamServer;
  db: Db;
  /** Every log line the server wrote, parsed. */
  logs: Array<Record<string, unknown>>;
  token(member: string): Promise<string>;
  close(): Promise<void>;
}

export async function startTestTeamServer(
  databaseUrl: string,
  settings: Partial<Record<keyof TeamServerConfig, string>> = {},
): Promise<TestTeamServer> {
  const logs: Array<Record<string, unknown>> = [];
  const config = teamServerConfig({}, { databaseUrl, port: '0', ...settings });
  const server = await startTeamServer(
    config,
    jsonLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
  );
  const db = connectTeamDatabase(databaseUrl, { max: 2 });
  return {
    server,
    db,
    logs,
    token: async (member) => (await createToken(db, member)).token,
    close: async () => {
      await server.close();
      await db.end({ timeout: 5 });
    },
  };
}

/** JSONL of lines. */
export const jsonl = (lines: readonly unknown[]) => `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`;
