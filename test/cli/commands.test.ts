/**
 * Every command of `trajectory-store`, run as a subprocess on temporary files:
 * what it prints, its exit code, and what the database file holds afterwards
 * (opened as the browser app opens it, from its bytes).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { openTrajectoryStore } from '../../src/node.js';
import { atifRun, testgenSession } from '../documents.js';
import {
  CLAUDE_SESSION,
  claudeCodeLog,
  CODEX_SESSION,
  codexLog,
  INSPECT_EVAL_ID,
  inspectEvalArchive,
  OTEL_TRACE,
  otelLog,
} from '../importers/agent-logs.js';
import { cli, jsonLines, openFile, tempFolder, writeFiles } from './run-cli.js';

// Each run starts Node and compiles the sources: seconds on a busy machine.
const SLOW = { timeout: 180_000 };

const streamed = [
  {
    __header__: true,
    schema_version: 'ATIF-v1.6',
    session_id: 'streamed-1',
    agent: { name: 'hud-agent', version: '1' },
    created_at: '2025-11-12T22:22:17',
  },
  { step_id: 1, source: 'user', message: 'stream me a kettle', timestamp: '2025-11-12T22:22:17' },
  { step_id: 2, source: 'agent', message: 'Streaming the kettle', timestamp: '2025-11-12T22:22:18' },
]
  .map((line) => JSON.stringify(line))
  .join('\n');

/** A folder of everything import reads: the four agent-log formats, ATIF in its three forms, testgen, and a stray JSON file. */
function logsFolder(root: string): string {
  const logs = join(root, 'logs');
  writeFiles(logs, {
    [`claude/-home-dev-shop/${CLAUDE_SESSION}.jsonl`]: claudeCodeLog(),
    [`codex/2025/10/02/rollout-2025-10-02T10-00-00-${CODEX_SESSION}.jsonl`]: codexLog(),
    'inspect/gsm8k.eval': inspectEvalArchive(),
    'otel/traces.json': otelLog(),
    'atif/one.json': JSON.stringify(atifRun('atif-one', { agent: 'openhands', text: 'Paint the fence teal' })),
    'atif/export.jsonl': `${JSON.stringify(atifRun('atif-two'))}\n${JSON.stringify({ testgen: testgenSession('tg-1') })}\n`,
    'atif/streamed.jsonl': streamed,
    'claude/sessions-index.json': JSON.stringify({ version: 1, entries: [] }),
    'README.md': '# not read',
  });
  return logs;
}

const ALL_IDS = [
  CLAUDE_SESSION,
  `${CLAUDE_SESSION}/agent-a1b2c3`,
  CODEX_SESSION,
  `${INSPECT_EVAL_ID}/1/1`,
  `${INSPECT_EVAL_ID}/2/1`,
  OTEL_TRACE,
  'atif-one',
  'atif-two',
  'tg-1',
  'streamed-1',
].sort();

describe('trajectory-store', () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = tempFolder();
    db = join(dir, 'trajectories.sqlite');
    const run = await cli(['import', logsFolder(dir), '--json'], dir);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ files: 8, inserted: 10, replaced: 0, rejected: [], warnings: [] });
    expect(summary.ignored).toEqual([
      {
        file: 'logs/claude/sessions-index.json',
        reason: 'not a format it reads (found a JSON object with the keys version, entries)',
      },
    ]);
  }, 180_000);

  test('import writes a database file that the browser app opens as a snapshot, every format in it', async () => {
    const store = await openFile(db);
    const page = await store.listTrajectories({ limit: 100 });
    expect(page.items.map((s) => s.id).sort()).toEqual(ALL_IDS);
    const claude = await store.getTrajectory(CLAUDE_SESSION);
    expect(claude?.trajectory).toMatchObject({ extra: { imported_from: { format: 'claude-code' } } });
    await store.close();
  });

  test('import again stores nothing twice, lists rejected items with their reasons, and exits 1', SLOW, async () => {
    writeFiles(dir, {
      'bad/broken.json': JSON.stringify([atifRun('fine-1'), { schema_version: 'ATIF-v1.6', agent: {}, steps: 'none' }]),
    });
    const run = await cli(['import', join(dir, 'bad'), join(dir, 'logs/atif/one.json')], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('2 files -> trajectories.sqlite: 1 inserted, 0 replaced, 1 unchanged');
    expect(run.stdout).toMatch(/rejected:\n {2}bad\/broken\.json \[1\] line 1: .*steps/);
  });

  test(
    'import reads what the library reads: a snapshot, an array, the streamed form without a header, a damaged line',
    SLOW,
    async () => {
      const source = await openTrajectoryStore();
      await source.insertTrajectory(atifRun('from-snapshot'));
      const { steps } = atifRun('no-header', { steps: 3, text: 'headerless kettle' });
      writeFiles(dir, {
        'mixed/snapshot.sqlite': await source.exportSnapshot(),
        'mixed/array.json': JSON.stringify([atifRun('array-1'), atifRun('array-2')], null, 2),
        'mixed/steps.jsonl': steps.map((step) => JSON.stringify(step)).join('\n'),
        'mixed/damaged.jsonl': `${JSON.stringify(atifRun('line-1'))}\n{"schema_version": "ATIF-v1.6", "ses\n${JSON.stringify(atifRun('line-3'))}\n`,
        'mixed/notes.json': '{"title": "not a trajectory"}',
      });
      const db = join(dir, 'mixed.sqlite');
      const run = await cli(['import', join(dir, 'mixed'), '--db', db, '--json'], dir);
      expect(run.code).toBe(1); // one item was rejected
      const summary = JSON.parse(run.stdout);
      expect(summary).toMatchObject({ files: 5, inserted: 5, merged: 1 });
      expect(summary.rejected).toEqual([
        {
          file: 'mixed/damaged.jsonl',
          index: 1,
          line: 2,
          issues: [{ path: '', message: expect.stringContaining('is not valid JSON') }],
        },
      ]);
      expect(summary.ignored).toEqual([
        { file: 'mixed/notes.json', reason: 'not a format it reads (found a JSON object with the keys title)' },
      ]);
      const store = await openFile(db);
      const ids = (await store.listTrajectories({ limit: 20 })).items.map((s) => s.id);
      expect(ids).toEqual(expect.arrayContaining(['from-snapshot', 'array-1', 'array-2', 'line-1', 'line-3']));
      expect(ids).toHaveLength(6); // and the headerless run, under an id from its content
      await store.close();
    },
  );

  test('--strict saves nothing when a file had warnings', SLOW, async () => {
    const before = readFileSync(db);
    writeFiles(dir, {
      'cut/rollout-cut.jsonl': codexLog().trimEnd().slice(0, -20).replace(CODEX_SESSION, 'cut-session'),
    });
    const run = await cli(['import', join(dir, 'cut'), '--strict'], dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('line 10: is cut off');
    expect(run.stdout).toContain('--strict: nothing was saved');
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  test('list prints a table, and JSON lines with --json and the filters', SLOW, async () => {
    const table = await cli(['list'], dir);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+AGENT\s+MODEL\s+STATUS\s+STEPS\s+TOKENS\s+COST\s+CREATED$/);
    expect(table.stdout).toMatch(
      new RegExp(`^${CODEX_SESSION}\\s+codex\\s+gpt-5-codex\\s+complete\\s+3\\s+6,290\\s+-\\s`, 'm'),
    );

    const codex = await cli(['list', '--agent', 'codex', '--status', 'complete', '--json'], dir);
    expect(jsonLines(codex.stdout).map((s) => [s.id, s.agentName, s.totalTokens])).toEqual([
      [CODEX_SESSION, 'codex', 6290],
    ]);

    const top = await cli(['list', '--order-by', 'totalTokens', '--limit', '2', '--json', '--since', '1d'], dir);
    expect(jsonLines(top.stdout).map((s) => s.id)).toEqual(['tg-1', CODEX_SESSION]); // 12,345 and 6,290 tokens
    expect(JSON.parse(top.stderr)).toHaveProperty('nextCursor');
  });

  test('search finds text inside tool results, with a snippet', SLOW, async () => {
    const run = await cli(['search', 'healthz', '--json'], dir);
    expect(run.code).toBe(0);
    const [hit, ...rest] = jsonLines(run.stdout);
    expect(rest).toEqual([]);
    expect(hit).toMatchObject({ id: CODEX_SESSION, snippet: { text: expect.stringContaining('healthz') } });
    const table = await cli(['search', '"Rainy, 18"'], dir);
    expect(table.stdout).toContain(OTEL_TRACE);
    expect(table.stdout.split('\n')[0]).toContain('MATCH');
  });

  test('show prints the transcript: steps, reasoning, tool calls, results and tokens', SLOW, async () => {
    const run = await cli(['show', CLAUDE_SESSION], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('── 2 agent (claude-sonnet-4-5)');
    expect(run.stdout).toContain('2,112 in / 40 out');
    expect(run.stdout).toContain('thinking: The discount is applied after tax');
    expect(run.stdout).toContain('→ Read({"file_path":"/home/dev/shop/cart.ts"})  [toolu_01]');
    expect(run.stdout).toContain('← result [toolu_01]: export const total');
    const json = await cli(['show', CODEX_SESSION, '--json'], dir);
    expect(JSON.parse(json.stdout).trajectory.session_id).toBe(CODEX_SESSION);
  });

  test('an unknown id is exit 3 and one line; with --json the typed code', SLOW, async () => {
    const run = await cli(['show', 'no-such-id'], dir);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('trajectory-store: no trajectory "no-such-id"\n');
    const json = await cli(['show', 'no-such-id', '--json'], dir);
    expect(JSON.parse(json.stderr)).toEqual({ error: { code: 'not_found', message: 'no trajectory "no-such-id"' } });
  });

  test('stats totals and groups by agent and model', SLOW, async () => {
    const run = await cli(['stats', '--json'], dir);
    const stats = JSON.parse(run.stdout);
    expect(stats.byAgent.find((g: { agentName: string }) => g.agentName === 'inspect-ai')).toMatchObject({ count: 2 });
    const table = await cli(['stats', '--agent', 'inspect-ai'], dir);
    expect(table.stdout).toMatch(/^2 trajectories · 8 steps · 510 tokens/);
    expect(table.stdout).toMatch(/openai\/gpt-4o-mini\s+2\s+8\s+510/);
  });

  test('export writes jsonl that import takes back, csv, and a sqlite snapshot of a selection', SLOW, async () => {
    const jsonl = await cli(['export', '--format', 'jsonl', '--agent', 'inspect-ai'], dir);
    expect(jsonl.code).toBe(0);
    expect(jsonLines(jsonl.stdout).map((d) => d.trajectory_id)).toEqual(
      expect.arrayContaining([`${INSPECT_EVAL_ID}/1/1`, `${INSPECT_EVAL_ID}/2/1`]),
    );
    const csv = await cli(['export', '--format', 'csv', '--text', 'kettle'], dir);
    expect(csv.stdout.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(csv.stdout).toContain('streamed-1');

    const out = join(dir, 'codex.sqlite');
    const snapshot = await cli(['export', '--format', 'sqlite', '--agent', 'codex', '--out', out], dir);
    expect(snapshot.code).toBe(0);
    const copy = join(dir, 'copy.sqlite');
    writeFileSync(join(dir, 'inspect.jsonl'), jsonl.stdout);
    const back = await cli(['import', out, join(dir, 'inspect.jsonl'), '--db', copy, '--json'], dir);
    expect(JSON.parse(back.stdout)).toMatchObject({ merged: 1, inserted: 2 });
    const store = await openFile(copy);
    expect((await store.listTrajectories()).items.map((s) => s.id).sort()).toEqual(
      [CODEX_SESSION, `${INSPECT_EVAL_ID}/1/1`, `${INSPECT_EVAL_ID}/2/1`].sort(),
    );
    await store.close();
  });

  test(
    'export --format csv --defuse-formulas writes formula-looking cells as text; other formats refuse it',
    SLOW,
    async () => {
      const formulas = join(dir, 'formulas.sqlite');
      writeFiles(dir, {
        'formula.json': JSON.stringify(atifRun('formula-run', { agent: '=HYPERLINK("x")', model: '+cmd' })),
      });
      expect((await cli(['import', join(dir, 'formula.json'), '--db', formulas], dir)).code).toBe(0);
      const plain = await cli(['export', '--format', 'csv', '--db', formulas], dir);
      expect(plain.stdout).toContain('"=HYPERLINK(""x"")"');
      const defused = await cli(['export', '--format', 'csv', '--defuse-formulas', '--db', formulas], dir);
      expect(defused.code).toBe(0);
      expect(defused.stdout).toContain(`"'=HYPERLINK(""x"")"`);
      expect(defused.stdout).toContain(",'+cmd,");
      const jsonl = await cli(['export', '--format', 'jsonl', '--defuse-formulas', '--db', formulas], dir);
      expect(jsonl.code).toBe(2);
      expect(jsonl.stderr).toContain('--defuse-formulas is for --format csv');
    },
  );

  test('delete removes trajectories and saves; a missing id is exit 3', SLOW, async () => {
    const run = await cli(['delete', 'atif-two', '--json'], dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ deleted: ['atif-two'], missing: [] });
    const store = await openFile(db);
    expect(await store.getTrajectory('atif-two')).toBeNull();
    await store.close();
    const missing = await cli(['delete', 'atif-two'], dir);
    expect(missing.code).toBe(3);
  });

  test('bad command lines are exit 2 with one line naming the problem', SLOW, async () => {
    const flag = await cli(['list', '--colour'], dir);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(
      /^trajectory-store: Unknown option '--colour'.*\(see trajectory-store list --help\)\n$/,
    );
    const command = await cli(['frobnicate'], dir);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "frobnicate"');
    const order = await cli(['list', '--order-by', 'vibes', '--json'], dir);
    expect(JSON.parse(order.stderr).error.code).toBe('usage');
  });

  test('--help of the command and of each subcommand', SLOW, async () => {
    const main = await cli(['--help'], dir);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('npx trajectory-store import ~/.claude/projects && npx trajectory-store view');
    for (const name of ['import', 'list', 'search', 'show', 'stats', 'export', 'delete', 'view']) {
      expect(main.stdout).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
    }
    const help = await cli(['export', '--help'], dir);
    expect(help.stdout).toMatch(/^Usage: trajectory-store export --format jsonl\|json\|csv\|sqlite/);
    expect(help.stdout).toContain('Exit codes:');
  });

  test('a database of another application is refused, untouched (exit 4)', SLOW, async () => {
    const store = await openFile(db);
    await store.close();
    const foreign = join(dir, 'foreign.sqlite');
    // A SQLite file with a table of its own and no trajectories: made by exporting then renaming inside SQLite is
    // not possible here, so take this project's empty database and give it another application id.
    const empty = await cli(['import', join(dir, 'logs/atif/one.json'), '--db', foreign], dir);
    expect(empty.code).toBe(0);
    const bytes = readFileSync(foreign);
    bytes.writeUInt32BE(0x12345678, 68); // the header's application_id
    writeFileSync(foreign, bytes);
    const run = await cli(['import', join(dir, 'logs/atif/one.json'), '--db', foreign], dir);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('was refused: it was written by another application (application_id 0x12345678)');
    expect(readFileSync(foreign).equals(bytes)).toBe(true);
    expect(existsSync(`${foreign}.lock`)).toBe(false);
  });
});
