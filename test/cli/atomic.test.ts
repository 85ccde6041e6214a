/**
 * Writes to the database file are atomic and serialized: a command killed at
 * any moment leaves the file as it was or as it is after, never half-written;
 * two writers wait for each other; a lock left by a killed command is taken over.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, expect, test } from 'vitest';
import { atifRun } from '../documents.js';
import { cli, finished, openFile, startCli, tempFolder } from './run-cli.js';

const SLOW = { timeout: 240_000 };

let dir: string;
let db: string;

function jsonlOf(prefix: string, count: number): string {
  const path = join(dir, `${prefix}.jsonl`);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(JSON.stringify(atifRun(`${prefix}-${i}`, { steps: 6 })));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

async function idsIn(path: string): Promise<string[]> {
  const store = await openFile(path);
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listTrajectories({ limit: 1000, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((s) => s.id));
    cursor = page.nextCursor;
  } while (cursor);
  await store.close();
  return ids.sort();
}

const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 30_000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  if (!condition()) throw new Error(`never saw ${what}`);
};

beforeEach(async () => {
  dir = tempFolder();
  db = join(dir, 'trajectories.sqlite');
  const seed = await cli(['import', jsonlOf('seed', 3)], dir);
  expect(seed.code).toBe(0);
}, 120_000);

test(
  'killed while writing the file, the import leaves the file as it was, whole; the next command takes over its lock',
  SLOW,
  async () => {
    const before = readFileSync(db);
    const big = jsonlOf('big', 2000);
    const child = startCli(['import', big], dir);
    const done = finished(child);
    // The moment the new file is being written beside the old one.
    await until(
      () => readdirSync(dir).some((name) => name.startsWith('trajectories.sqlite.tmp-')) || child.exitCode !== null,
      'the temporary file',
    );
    child.kill('SIGKILL');
    const run = await done;
    const ids = await idsIn(db);
    if (run.signal === 'SIGKILL') expect(readFileSync(db).equals(before)).toBe(true);
    else expect(ids).toHaveLength(2003); // it had finished: the file is the new one, whole
    expect([3, 2003]).toContain(ids.length);

    expect(existsSync(`${db}.lock`)).toBe(run.signal === 'SIGKILL');
    const next = await cli(['import', jsonlOf('after', 2), '--wait', '0'], dir);
    expect(next.code).toBe(0);
    expect((await idsIn(db)).filter((id) => id.startsWith('after-'))).toHaveLength(2);
  },
);

test(
  'killed part-way through reading its input, the import leaves the file before or after, and it opens',
  SLOW,
  async () => {
    const before = await idsIn(db);
    const child = startCli(['import', jsonlOf('mid', 1500)], dir);
    const done = finished(child);
    await until(() => existsSync(`${db}.lock`) || child.exitCode !== null, 'the lock');
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGKILL');
    await done;
    const after = await idsIn(db);
    expect([before.length, before.length + 1500]).toContain(after.length);
  },
);

test('Ctrl-C during an import ends it with exit 130, the file untouched and the lock gone', SLOW, async () => {
  const before = readFileSync(db);
  const child = startCli(['import', jsonlOf('int', 1500)], dir);
  const done = finished(child);
  await until(() => existsSync(`${db}.lock`), 'the lock');
  child.kill('SIGINT');
  const run = await done;
  if (run.code === 130) {
    expect(run.stderr).toContain('interrupted (SIGINT)');
    expect(readFileSync(db).equals(before)).toBe(true);
  } else {
    expect(run.code).toBe(0); // it finished before the signal came
  }
  expect(existsSync(`${db}.lock`)).toBe(false);
});

test('two imports at once wait for each other: both saved, neither lost', SLOW, async () => {
  // --wait well beyond the default 30 s: what is tested is that they wait, not how fast a loaded machine imports.
  const importing = (prefix: string) => cli(['import', jsonlOf(prefix, 300), '--wait', '200'], dir);
  const [a, b] = await Promise.all([importing('a'), importing('b')]);
  expect([a.code, b.code]).toEqual([0, 0]);
  const ids = await idsIn(db);
  expect(ids.filter((id) => id.startsWith('a-'))).toHaveLength(300);
  expect(ids.filter((id) => id.startsWith('b-'))).toHaveLength(300);
});

test('a writer that cannot get the lock within --wait fails clearly with exit 5', SLOW, async () => {
  writeFileSync(`${db}.lock`, String(process.pid)); // held by a live process: this one
  const run = await cli(['delete', 'seed-0', '--wait', '0'], dir);
  expect(run.code).toBe(5);
  expect(run.stderr).toBe(
    `trajectory-store: ${db} is being written by another trajectory-store command (pid ${process.pid}); try again, or wait longer with --wait SECONDS\n`,
  );
  const read = await cli(['list', '--json'], dir); // readers need no lock
  expect(read.code).toBe(0);
});
