import { describe, expect, test } from 'vitest';
import { openTrajectoryStore } from '../src/node.js';
import { CSV_COLUMNS, numberText } from '../src/store/export.js';
import { atifRun, openCore, rejection, testgenSession } from './fixtures.js';

async function filled() {
  const store = await openTrajectoryStore();
  const docs = [
    atifRun('a-1', { agent: 'codex', text: 'line one\nline two, with "quotes"' }),
    atifRun('a-2', { agent: 'aider', text: 'deploy the service' }),
    { ...atifRun('shared', { version: 'ATIF-v1.7', text: 'first of a run' }), trajectory_id: 't-1' },
    { ...atifRun('shared', { version: 'ATIF-v1.7', text: 'second of a run' }), trajectory_id: 't-2' },
  ];
  await store.insertMany([
    ...docs,
    { testgen: testgenSession('tg-1', { taskDescription: 'Tricky, "quoted"\r\ndescription' }) },
  ]);
  return { store, docs };
}

/** A minimal RFC 4180 reader, to check the writer against the standard rather than against itself. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('exportTrajectories', () => {
  test('jsonl: one document a line, which insertMany takes back to identical documents', async () => {
    const { store } = await filled();
    const jsonl = await store.exportTrajectories({ format: 'jsonl' });
    const lines = jsonl.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const copy = await openTrajectoryStore();
    const result = await copy.insertMany(lines.map((l) => JSON.parse(l)));
    expect(result).toMatchObject({ inserted: 5, rejected: [] });
    for (const id of ['a-1', 'a-2', 't-1', 't-2', 'tg-1']) {
      const [original, reimported] = await Promise.all([store.getTrajectory(id), copy.getTrajectory(id)]);
      expect(reimported!.trajectory, id).toStrictEqual(original!.trajectory);
      expect(reimported!.testgen, id).toStrictEqual(original!.testgen);
    }
  });

  test('json: an array of the same items; respects filters and search text', async () => {
    const { store, docs } = await filled();
    expect(JSON.parse(await store.exportTrajectories({ format: 'json', agentName: 'codex' }))).toEqual([docs[0]]);
    const found = JSON.parse(await store.exportTrajectories({ format: 'json', text: 'deploy' }));
    expect(found).toEqual([docs[1]]);
    expect(JSON.parse(await store.exportTrajectories({ format: 'json', kind: 'testgen' }))).toEqual([
      { testgen: testgenSession('tg-1', { taskDescription: 'Tricky, "quoted"\r\ndescription' }) },
    ]);
    expect(await store.exportTrajectories({ format: 'json', agentName: 'nobody' })).toBe('[]\n');
  });

  test('csv: RFC 4180 summaries with a header, CRLF lines and quoted fields', async () => {
    const { store } = await filled();
    await store.insertTrajectory(atifRun('odd', { agent: 'agent, "quoted"\r\nacross lines', model: 'm,1' }));
    const csv = await store.exportTrajectories({ format: 'csv', orderBy: 'createdAt', order: 'asc' });
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(7);
    const byId = new Map(rows.slice(1).map((r) => [r[0], Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]))]));
    expect(byId.get('tg-1')).toMatchObject({
      kind: 'testgen',
      taskId: 'regex-log',
      totalTests: '3',
      comprehensivenessScore: '8',
      status: 'complete',
      totalCostUsd: '',
    });
    expect(byId.get('a-1')).toMatchObject({ agentName: 'codex', stepCount: '4', totalTokens: '990' });
    expect(byId.get('odd')).toMatchObject({ agentName: 'agent, "quoted"\r\nacross lines', modelName: 'm,1' });
  });

  test('csv: sums of costs are written without float noise, at full precision', async () => {
    const store = await openTrajectoryStore();
    const run = atifRun('noisy', { steps: 3 });
    run.steps[1]!.metrics = { cost_usd: 0.1 };
    run.steps[2]!.metrics = { cost_usd: 0.2 };
    await store.insertTrajectory(run);
    const precise = atifRun('precise', { steps: 2 });
    precise.steps[1]!.metrics = { cost_usd: 0.000123456789 };
    await store.insertTrajectory(precise);
    expect((await store.getTrajectory('noisy'))?.summary.totalCostUsd).toBe(0.1 + 0.2); // the store keeps the sum
    const rows = parseCsv(await store.exportTrajectories({ format: 'csv' }));
    const cost = CSV_COLUMNS.indexOf('totalCostUsd');
    const byId = new Map(rows.slice(1).map((r) => [r[0], r[cost]]));
    expect(byId.get('noisy')).toBe('0.3');
    expect(byId.get('precise')).toBe('0.000123456789');
    expect(numberText(0.2499999999999888)).toBe('0.25');
    expect(numberText(12345)).toBe('12345');
  });

  test('csv: defuseFormulas puts a quote before text a spreadsheet would run as a formula, and nowhere else', async () => {
    const store = await openTrajectoryStore();
    const hostile = ['=HYPERLINK("http://x","y")', '+1+cmd|/C calc', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];
    for (const [i, name] of hostile.entries()) await store.insertTrajectory(atifRun(`hostile-${i}`, { agent: name }));
    const negative = atifRun('negative', { agent: 'plain' });
    negative.final_metrics = { total_cost_usd: 0.5, total_prompt_tokens: 10, total_completion_tokens: 5 };
    await store.insertTrajectory(negative);
    const column = (csv: string, name: (typeof CSV_COLUMNS)[number]) => {
      const rows = parseCsv(csv);
      const at = CSV_COLUMNS.indexOf(name);
      return new Map(rows.slice(1).map((r) => [r[0], r[at]]));
    };
    const plain = column(await store.exportTrajectories({ format: 'csv' }), 'agentName');
    const defused = column(await store.exportTrajectories({ format: 'csv', defuseFormulas: true }), 'agentName');
    hostile.forEach((name, i) => {
      expect(plain.get(`hostile-${i}`)).toBe(name);
      expect(defused.get(`hostile-${i}`)).toBe(`'${name}`);
    });
    expect(defused.get('negative')).toBe('plain');
    // Numbers are the store's own and stay numbers, signs included.
    const cost = column(await store.exportTrajectories({ format: 'csv', defuseFormulas: true }), 'totalCostUsd');
    expect(cost.get('negative')).toBe('0.5');
    // Not a CSV option elsewhere: JSONL is the stored documents, untouched.
    const jsonl = await store.exportTrajectories({ format: 'jsonl', defuseFormulas: true });
    expect(jsonl).toContain('"name":"=HYPERLINK(');
  });

  test('pages through large stores in order, every row once', async () => {
    const { core } = await openCore();
    core.insertMany(Array.from({ length: 1_234 }, (_, i) => atifRun(`r-${i}`, { steps: 1 })));
    const lines = core.exportTrajectories({ format: 'jsonl' }).trimEnd().split('\n');
    expect(lines).toHaveLength(1_234);
    expect(new Set(lines.map((l) => JSON.parse(l).session_id)).size).toBe(1_234);
  });

  test('refuses an unknown format', async () => {
    const store = await openTrajectoryStore();
    const error = await rejection(store.exportTrajectories({ format: 'xml' } as never));
    expect(error.issues).toEqual([{ path: 'format', message: expect.any(String) }]);
  });
});
