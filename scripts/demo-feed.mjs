#!/usr/bin/env node
/**
 * The demo HUD feed on its own: `node scripts/demo-feed.mjs [--port 8080] [--speed 2] [--fast] [--once] ...`
 * (`--help` lists every option). Ctrl-C stops it.
 */
import { importTs } from './load-ts.mjs';

const { startDemoFeedFromArgs } = await importTs('demo/cli.ts');

let feed;
try {
  feed = await startDemoFeedFromArgs(process.argv.slice(2), process.env, (line) => console.log(line));
} catch (error) {
  console.error(`demo-feed: ${error.code === 'EADDRINUSE' ? `port already in use (${error.message})` : error.message}`);
  process.exit(2);
}

if (feed) {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await feed.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // With --once in live mode, the feed is done after its cycle.
  void feed.finished.then(stop);
}
