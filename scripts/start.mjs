#!/usr/bin/env node
/**
 * `npm start`: the built app (`vite preview`, so build first) together with
 * the demo HUD feed, so that a newcomer sees sessions stream in and persist.
 * Arguments go to `vite preview` (e.g. `--port 4173`); the feed takes its
 * settings from DEMO_FEED_PORT, DEMO_FEED_HOST, DEMO_FEED_PATH, DEMO_FEED_SPEED.
 * Ctrl-C stops both; if either stops on its own, the other is stopped too.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { importTs, root } from './load-ts.mjs';

const { startDemoFeedFromArgs } = await importTs('demo/cli.ts');

let feed;
try {
  feed = await startDemoFeedFromArgs([], process.env, (line) => console.log(line));
} catch (error) {
  console.error(`start: the demo feed could not start: ${error.message}`);
  process.exit(2);
}

const preview = spawn(
  process.execPath,
  [resolve(root, 'node_modules/vite/bin/vite.js'), 'preview', ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);

let stopping = false;
async function stop(exitCode) {
  if (stopping) return;
  stopping = true;
  if (preview.exitCode === null && preview.signalCode === null) preview.kill('SIGTERM');
  await feed.close();
  process.exitCode = exitCode;
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
preview.once('exit', (code, signal) => void stop(stopping ? (process.exitCode ?? 0) : (code ?? (signal ? 1 : 0))));
preview.once('error', (error) => {
  console.error(`start: vite preview could not run: ${error.message}`);
  void stop(1);
});
