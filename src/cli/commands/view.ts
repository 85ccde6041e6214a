/**
 * `view`: the trajectory browser on the database, like `inspect view`. A small
 * HTTP server (loopback by default) serves the built app and the database
 * file; the page is opened with `?snapshot=<that file's URL>`, so it loads the
 * file into an in-memory store of its own (openTrajectoryStore({snapshot})) and
 * never touches the browser's own database. Reloading the page reads the file
 * again, so what a later `import` adds shows up.
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringValue, type Command } from '../command.js';
import { CliError, EXIT, usageError } from '../exit-codes.js';
import { importPaths } from './import.js';

/** Where the page fetches the database from. */
export const DATABASE_URL_PATH = '/__trajectory-store/database.sqlite';
const DEFAULT_PORT = 7878;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json',
};

export const viewCommand: Command = {
  name: 'view',
  summary: 'open the trajectory browser on the database (imports PATHs first)',
  usage: 'trajectory-store view [PATH...] [--port N] [--host HOST] [--open]',
  help: `Imports each PATH given (as 'import' does), then serves the trajectory browser and the
database on http://HOST:PORT/ until Ctrl-C. The page opens the database file as a snapshot in
memory: browse, search, compare and export there; changes made in the page are not written back
to the file (use the page's export, then 'import').

Options:
  --port N             the port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host HOST          the address to listen on (default 127.0.0.1: this machine only)
  --open               also open the page in the default browser

Example:
  trajectory-store view ~/.claude/projects --open`,
  options: { port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' } },
  async run(context) {
    const { values, io } = context;
    const port = Number(stringValue(values, 'port') ?? DEFAULT_PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw usageError(`--port must be a port number (got ${String(values.port)})`);
    const host = stringValue(values, 'host') ?? '127.0.0.1';
    const appDir = findApp();
    if (context.positionals.length > 0) {
      const summary = await importPaths(context, context.positionals, { strict: false });
      if (!context.json) {
        io.err(
          `imported ${summary.inserted + summary.replaced + summary.merged} trajectories (${summary.rejected.length} rejected, ${summary.warnings.length} warnings)`,
        );
      }
    }
    const database = await context.open({ write: false }); // checks the file opens, as the page will
    const dbPath = database.path;
    const count = database.core.info().trajectoryCount;
    database.close();

    const server = serve(appDir, dbPath);
    await new Promise<void>((done, fail) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        fail(
          error.code === 'EADDRINUSE'
            ? new CliError(
                'io',
                `port ${port} is in use on ${host}: pick another with --port (0 for any free one)`,
                EXIT.usage,
              )
            : error,
        ),
      );
      server.listen(port, host, done);
    });
    const address = server.address();
    const actualPort = typeof address === 'object' && address ? address.port : port;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    const url = `http://${shownHost}:${actualPort}/?snapshot=${encodeURIComponent(DATABASE_URL_PATH)}`;
    if (context.json) io.out(JSON.stringify({ url, db: dbPath, trajectories: count }));
    else {
      io.out(`Serving ${count.toLocaleString('en-US')} trajectories of ${dbPath}`);
      io.out(`Open ${url}   (Ctrl-C to stop)`);
      if (!isLoopback(host)) io.err(`warning: listening on ${host}: anyone who can reach it can read the database`);
    }
    if (values.open === true) openBrowser(url);
    await new Promise<void>((done) => {
      const stop = () => server.close(() => done());
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return EXIT.ok;
  },
};

/** The built app: TRAJECTORY_STORE_APP_DIR, else dist/app beside the built command, else the repository's dist-app. */
function findApp(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [
    process.env.TRAJECTORY_STORE_APP_DIR,
    join(here, 'app'),
    resolve(here, '../../../dist-app'),
  ].filter((dir): dir is string => Boolean(dir));
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) {
    throw new CliError(
      'not_found',
      `the trajectory browser is not built (looked in ${candidates.join(', ')}): run npm run build`,
      EXIT.notFound,
    );
  }
  return found;
}

function serve(appDir: string, dbPath: string): Server {
  const root = resolve(appDir);
  return createServer((request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (pathname === DATABASE_URL_PATH) {
      // Read whole, so that an import renaming a new file in meanwhile never gives the page half of each.
      const bytes = readFileSync(dbPath);
      response.writeHead(200, {
        'content-type': 'application/vnd.sqlite3',
        'content-length': bytes.length,
        'cache-control': 'no-store',
      });
      response.end(request.method === 'HEAD' ? undefined : bytes);
      return;
    }
    const file = normalize(join(root, pathname === '/' ? 'index.html' : pathname));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    spawn(command, args as string[], { stdio: 'ignore', detached: true })
      .on('error', () => {})
      .unref();
  } catch {
    // the URL is printed: opening it by hand works as well
  }
}
