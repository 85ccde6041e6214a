/**
 * The demo HUD feed (src/feed) as the app tests run it: a real WebSocket
 * server on a free port, one stream per connection, and the plan of what it
 * sends (same seed, same sessions) for the tests to check against.
 */
import { startDemoFeed, type DemoFeed, type DemoFeedOptions } from '../../demo/demo-server.js';
import { demoCycle, type DemoSessionPlan } from '../../demo/demo-sessions.js';

export interface TestFeed {
  feed: DemoFeed;
  /** The sessions of the feed's first cycle. */
  sessions: DemoSessionPlan[];
  /** The app's address with `?hud=` pointing at this feed. */
  appUrl: string;
}

export async function startTestFeed(options: Partial<DemoFeedOptions> & { seed: number }): Promise<TestFeed> {
  const feed = await startDemoFeed({ port: 0, mode: 'replay', speed: Number.POSITIVE_INFINITY, cycles: 1, ...options });
  const { sessions } = demoCycle({
    seed: options.seed,
    cycle: 0,
    startAt: Date.now(),
    ...(options.noise === undefined ? {} : { noise: options.noise }),
  });
  return { feed, sessions, appUrl: appUrlFor(feed.url) };
}

/** The app page, connecting to `hudUrl`. */
export function appUrlFor(hudUrl: string): string {
  return `/?hud=${encodeURIComponent(hudUrl)}`;
}

/** Resolves once the feed has sent its cycle and closed every connection (it had at least one). */
export async function cycleSent(feed: DemoFeed, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = false;
  while (Date.now() < deadline) {
    const clients = feed.clientCount();
    if (clients > 0) seen = true;
    else if (seen) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the feed did not finish its cycle in time');
}

/** A local port with nothing listening on it (taken from the system, then released). */
export async function freePort(): Promise<number> {
  const feed = await startDemoFeed({ port: 0, cycles: 0 });
  const { port } = feed;
  await feed.close();
  return port;
}
