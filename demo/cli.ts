/**
 * The demo feed's command line (scripts/demo-feed.mjs runs it): flags, or the
 * same settings from the environment, to DemoFeedOptions.
 */
import { startDemoFeed, type DemoFeed, type DemoFeedOptions } from './demo-server.js';

export const DEMO_FEED_USAGE = `Usage: node scripts/demo-feed.mjs [options]

Streams demo HUD sessions (test generation and ATIF agent runs) over a WebSocket.

  --port <n>      port to listen on (env DEMO_FEED_PORT; default 8080; 0 = any free port)
  --host <h>      host to listen on (env DEMO_FEED_HOST; default localhost)
  --path <p>      WebSocket path (env DEMO_FEED_PATH; default /ws)
  --speed <x>     pace multiplier, 1 = real time (env DEMO_FEED_SPEED; default 1)
  --fast          no pauses at all
  --once          stream one cycle, then close the connections (and exit, in live mode)
  --replay        every connection gets its own stream from the start (default: one live stream,
                  started by the first connection; later ones first get the current cycle so far)
  --seed <n>      reproducible sessions (default: random)
  --no-noise      no map_*, unknown or malformed frames
  --quiet         no log lines
  --help          this text
`;

export type ParsedArgs = { help: true } | { help: false; options: DemoFeedOptions; quiet: boolean };

export function parseDemoFeedArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): ParsedArgs {
  const options: DemoFeedOptions = {};
  let quiet = false;
  const number = (flag: string, text: string | undefined, check: (n: number) => boolean): number => {
    const n = Number(text);
    if (text === undefined || text.trim() === '' || !Number.isFinite(n) || !check(n))
      throw new Error(`${flag}: invalid value ${JSON.stringify(text)}`);
    return n;
  };
  const isPort = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;
  if (env.DEMO_FEED_PORT) options.port = number('DEMO_FEED_PORT', env.DEMO_FEED_PORT, isPort);
  if (env.DEMO_FEED_HOST) options.host = env.DEMO_FEED_HOST;
  if (env.DEMO_FEED_PATH) options.path = env.DEMO_FEED_PATH;
  if (env.DEMO_FEED_SPEED) options.speed = number('DEMO_FEED_SPEED', env.DEMO_FEED_SPEED, (n) => n > 0);

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        options.port = number(flag, value(), isPort);
        break;
      case '--host':
        options.host = value() ?? '';
        break;
      case '--path':
        options.path = value() ?? '';
        break;
      case '--speed':
        options.speed = number(flag, value(), (n) => n > 0);
        break;
      case '--fast':
        options.speed = Number.POSITIVE_INFINITY;
        break;
      case '--once':
        options.cycles = 1;
        break;
      case '--replay':
        options.mode = 'replay';
        break;
      case '--seed':
        options.seed = number(flag, value(), Number.isInteger);
        break;
      case '--no-noise':
        options.noise = false;
        break;
      case '--quiet':
        quiet = true;
        break;
      case '--help':
      case '-h':
        return { help: true };
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  if (options.host === '') throw new Error('--host needs a value');
  if (options.path !== undefined && !options.path.startsWith('/'))
    throw new Error(`--path must start with "/" (got ${JSON.stringify(options.path)})`);
  return { help: false, options, quiet };
}

/** Starts the feed as the command line asks; returns it, or null after printing help. Throws on bad arguments. */
export async function startDemoFeedFromArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  print: (line: string) => void,
): Promise<DemoFeed | null> {
  const parsed = parseDemoFeedArgs(argv, env);
  if (parsed.help) {
    print(DEMO_FEED_USAGE);
    return null;
  }
  const feed = await startDemoFeed({
    ...parsed.options,
    ...(parsed.quiet ? {} : { log: (line) => print(`[demo-feed] ${line}`) }),
  });
  const shown =
    parsed.options.host === undefined || parsed.options.host === 'localhost'
      ? feed.url.replace('127.0.0.1', 'localhost')
      : feed.url;
  print(`[demo-feed] streaming demo HUD sessions on ${shown} (${parsed.options.mode ?? 'live'}, seed ${feed.seed})`);
  return feed;
}
