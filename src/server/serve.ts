/**
 * Starts the team server: connects to PostgreSQL, migrates the team schema,
 * and listens. `close()` stops listening and ends the connections.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import postgres from 'postgres';
import { teamApp } from './app.js';
import type { TeamServerConfig } from './config.js';
import { jsonLogger, type Logger } from './log.js';
import { migrateTeamDatabase } from './migrations.js';
import type { Db } from './sql.js';

export interface RunningTeamServer {
  url: string;
  close(): Promise<void>;
}

/** A connection pool to the team database; Postgres's notices (e.g. "already exists") are not errors. */
export function connectTeamDatabase(url: string, options: { max?: number } = {}): Db {
  return postgres(url, { max: options.max ?? 10, onnotice: () => {} }) as unknown as Db;
}

export async function startTeamServer(
  config: TeamServerConfig,
  log: Logger = jsonLogger(),
): Promise<RunningTeamServer> {
  const db = connectTeamDatabase(config.databaseUrl);
  try {
    const applied = await migrateTeamDatabase(db);
    if (applied.length > 0) log.info('migrated', { versions: applied });
  } catch (error) {
    await db.end();
    throw error;
  }
  const app = teamApp(db, config, log);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  log.info('listening', { url });
  return {
    url,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.end({ timeout: 5 });
    },
  };
}
