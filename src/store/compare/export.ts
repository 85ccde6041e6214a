/**
 * A comparison as Markdown (for an issue, or pasting into a chat with a
 * model) and as JSON. Pure functions of the comparison: the store exports
 * them and the app's buttons call them on the comparison they show.
 */
import { canonicalJson } from './steps.js';
import type {
  AtifComparison,
  BatchComparison,
  BatchPair,
  BatchSide,
  StepAlignment,
  StepBrief,
  TestgenComparison,
  TrajectoryComparison,
} from '../../contract/compare.js';

export interface MarkdownOptions {
  /** Difference rows listed at most (the totals are always complete); default 200. */
  maxRows?: number;
}

const DEFAULT_MAX_ROWS = 200;

/** The comparison as indented JSON, exactly the object compareTrajectories or compareBatches returned. */
export function comparisonJson(comparison: TrajectoryComparison | BatchComparison): string {
  return `${JSON.stringify(comparison, null, 2)}\n`;
}

export function comparisonMarkdown(comparison: TrajectoryComparison, options: MarkdownOptions = {}): string {
  return comparison.kind === 'atif' ? atifMarkdown(comparison, options) : testgenMarkdown(comparison, options);
}

// ---- text helpers -----------------------------------------------------------------------------

/** Text safe in a table cell: no pipes or line breaks to break the row. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Inline code in a table cell: GFM reads `\|` there as a pipe inside the code. */
const codeCell = (text: string): string => code(text).replace(/\|/g, '\\|');

const table = (header: string[], rows: string[][]): string =>
  [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');

function num(value: number | null, digits = 0): string {
  if (value === null) return '—';
  return digits > 0 ? value.toFixed(digits) : Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function signed(value: number | null, digits = 0): string {
  if (value === null) return '—';
  const text = num(value, digits);
  return value > 0 ? `+${text}` : text;
}

function seconds(ms: number | null): string {
  return ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`;
}

function signedSeconds(ms: number | null): string {
  return ms === null ? '—' : `${ms > 0 ? '+' : ''}${(ms / 1000).toFixed(1)} s`;
}

function truncated(shown: number, total: number): string {
  return total > shown ? `\n\n…and ${total - shown} more (the JSON export has them all).` : '';
}

// ---- ATIF -------------------------------------------------------------------------------------

function runLabel(summary: AtifComparison['a']): string {
  return [summary.agentName, summary.modelName].filter(Boolean).join(' / ');
}

function stepLabel(brief: StepBrief | undefined): string {
  if (!brief) return '?';
  const tools = brief.tools.length > 0 ? ` ${brief.tools.join(', ')}` : '';
  return `#${brief.stepId} ${brief.source}${tools}`;
}

function stepText(brief: StepBrief | undefined): string {
  return brief?.text ? ` ${code(brief.text.length > 80 ? `${brief.text.slice(0, 79)}…` : brief.text)}` : '';
}

function alignmentLine(row: StepAlignment, c: AtifComparison): string {
  const a = row.a === null ? undefined : c.steps.a[row.a];
  const b = row.b === null ? undefined : c.steps.b[row.b];
  if (row.op === 'deleted') {
    const moved = row.movedTo === undefined ? '' : ` (moved: B ${stepLabel(c.steps.b[row.movedTo])})`;
    return `- **only in A** ${stepLabel(a)}${stepText(a)}${moved}`;
  }
  if (row.op === 'inserted') {
    const moved = row.movedFrom === undefined ? '' : ` (moved: A ${stepLabel(c.steps.a[row.movedFrom])})`;
    return `- **only in B** ${stepLabel(b)}${stepText(b)}${moved}`;
  }
  const lines = [`- **changed** A ${stepLabel(a)} ↔ B ${stepLabel(b)}`];
  if (row.messageChanged) lines.push(`  - message: A${stepText(a) || ' (empty)'} → B${stepText(b) || ' (empty)'}`);
  for (const change of row.toolChanges ?? []) {
    if (change.change !== 'arguments') {
      lines.push(`  - ${code(change.name)} ${change.change === 'added' ? 'called only in B' : 'called only in A'}`);
      continue;
    }
    for (const arg of change.arguments ?? []) {
      const before = arg.a === undefined ? '(absent)' : code(canonicalJson(arg.a));
      const after = arg.b === undefined ? '(absent)' : code(canonicalJson(arg.b));
      lines.push(`  - ${code(change.name)} ${code(arg.path || '(arguments)')}: ${before} → ${after}`);
    }
  }
  if (row.toolOrderChanged) lines.push('  - tool calls in another order');
  return lines.join('\n');
}

function atifMarkdown(c: AtifComparison, options: MarkdownOptions): string {
  const { summary } = c;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const totals = table(
    ['', 'A', 'B', 'B − A'],
    [
      ['run', codeCell(c.a.id), codeCell(c.b.id), ''],
      ['agent / model', cell(runLabel(c.a)), cell(runLabel(c.b)), ''],
      ['steps', num(summary.a.steps), num(summary.b.steps), signed(summary.delta.steps)],
      ['tool calls', num(summary.a.toolCalls), num(summary.b.toolCalls), signed(summary.delta.toolCalls)],
      ['steps with errors', num(summary.a.errors), num(summary.b.errors), signed(summary.delta.errors)],
      [
        'failed tool results',
        num(summary.a.failedToolResults),
        num(summary.b.failedToolResults),
        signed(summary.delta.failedToolResults),
      ],
      ['tokens', num(summary.a.tokens), num(summary.b.tokens), signed(summary.delta.tokens)],
      ['cost (USD)', num(summary.a.costUsd, 4), num(summary.b.costUsd, 4), signed(summary.delta.costUsd, 4)],
      [
        'duration',
        seconds(summary.a.durationMs),
        seconds(summary.b.durationMs),
        signedSeconds(summary.delta.durationMs),
      ],
    ],
  );
  const { counts } = summary;
  const divergence = summary.firstDivergence;
  const first = divergence
    ? `First divergence: alignment row ${divergence.row + 1}, A ${divergence.a === null ? '—' : stepLabel(c.steps.a[divergence.a])}, B ${divergence.b === null ? '—' : stepLabel(c.steps.b[divergence.b])}.`
    : 'The runs do the same thing step for step.';
  const tools = summary.tools.length
    ? `## Tool calls by name\n\n${table(
        ['tool', 'A', 'B', 'added', 'removed', 'changed arguments'],
        summary.tools.map((t) => [
          codeCell(t.name),
          num(t.a),
          num(t.b),
          num(t.added),
          num(t.removed),
          num(t.changedArguments),
        ]),
      )}\n\n`
    : '';
  const differing = c.alignment.filter((row) => row.op !== 'same');
  const shown = differing.slice(0, maxRows).map((row) => alignmentLine(row, c));
  return `# Comparison of two runs

${totals}

${first} Alignment: ${counts.same} same, ${counts.changed} changed, ${counts.deleted} only in A, ${counts.inserted} only in B (${counts.moved} of them moved).

${tools}## Differences

${shown.length ? shown.join('\n') : 'None.'}${truncated(shown.length, differing.length)}
`;
}

// ---- testgen ----------------------------------------------------------------------------------

function testgenMarkdown(c: TestgenComparison, options: MarkdownOptions): string {
  const { summary } = c;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const totals = table(
    ['', 'A', 'B', 'B − A'],
    [
      ['session', codeCell(c.a.id), codeCell(c.b.id), ''],
      ['task', codeCell(c.a.taskId ?? ''), codeCell(c.b.taskId ?? ''), ''],
      ['status', summary.a.status, summary.b.status, ''],
      ['score', num(summary.a.score), num(summary.b.score), signed(summary.delta.score)],
      ['tests', num(summary.a.tests), num(summary.b.tests), signed(summary.delta.tests)],
      ['rounds', num(summary.a.rounds), num(summary.b.rounds), signed(summary.delta.rounds)],
      ['tokens', num(summary.a.tokens), num(summary.b.tokens), signed(summary.delta.tokens)],
      [
        'duration',
        seconds(summary.a.durationMs),
        seconds(summary.b.durationMs),
        signedSeconds(summary.delta.durationMs),
      ],
    ],
  );
  const categories = table(
    ['category', 'tests A', 'tests B', 'rounds A', 'rounds B', 'added', 'removed', 'changed'],
    summary.categories.map((k) => [
      codeCell(k.category),
      num(k.testsA),
      num(k.testsB),
      num(k.roundsA),
      num(k.roundsB),
      num(k.added),
      num(k.removed),
      num(k.changed),
    ]),
  );
  const differing = c.tests.filter((row) => row.op !== 'same');
  const shown = differing.slice(0, maxRows).map((row) => {
    const what = row.op === 'added' ? 'only in B' : row.op === 'removed' ? 'only in A' : 'changed';
    const fields = row.changedFields ? ` (${row.changedFields.join(', ')})` : '';
    return `- **${what}** ${code(row.category)} ${code(row.input)}${fields}`;
  });
  const { counts } = summary;
  return `# Comparison of two test-generation sessions

${totals}

Tests: ${counts.same} same, ${counts.changed} changed, ${counts.removed} only in A, ${counts.added} only in B.

## By category

${categories}

## Differences

${shown.length ? shown.join('\n') : 'None.'}${truncated(shown.length, differing.length)}
`;
}

// ---- batches ----------------------------------------------------------------------------------

/** What changed in a pair, in words: the Markdown export and the app's batch table say it alike. */
export const PAIR_CHANGE_TEXT: Record<BatchPair['change'], string> = {
  'only-a-succeeded': 'only A succeeded',
  'only-b-succeeded': 'only B succeeded',
  'both-succeeded': 'both succeeded',
  'both-failed': 'both failed',
  unknown: 'outcome unknown',
  'only-in-a': 'only in A',
  'only-in-b': 'only in B',
};

function sideCell(side: BatchSide | null): string {
  if (!side) return '—';
  const parts = [side.status];
  if (side.score !== null) parts.push(`score ${num(side.score)}`);
  if (side.costUsd !== null) parts.push(`$${side.costUsd.toFixed(4)}`);
  if (side.runs > 1) parts.push(`${side.runs} runs`);
  return cell(parts.join(', '));
}

export function batchComparisonMarkdown(c: BatchComparison, options: MarkdownOptions = {}): string {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const { summary } = c;
  const totals = table(
    ['', 'A', 'B'],
    [
      ['trajectories', num(summary.a.trajectories), num(summary.b.trajectories)],
      [`distinct ${cell(c.by)}`, num(summary.a.keys), num(summary.b.keys)],
      ['without a key', num(summary.a.unkeyed), num(summary.b.unkeyed)],
      ['succeeded', num(summary.a.successes), num(summary.b.successes)],
      ['failed', num(summary.a.failures), num(summary.b.failures)],
      ['cost (USD)', num(summary.a.costUsd, 4), num(summary.b.costUsd, 4)],
      ['cost per success (USD)', num(summary.a.costPerSuccess, 4), num(summary.b.costPerSuccess, 4)],
      ['tokens', num(summary.a.tokens), num(summary.b.tokens)],
      ['mean score', num(summary.a.meanScore, 2), num(summary.b.meanScore, 2)],
    ],
  );
  const shown = c.pairs
    .slice(0, maxRows)
    .map((p) => [
      codeCell(p.key),
      PAIR_CHANGE_TEXT[p.change] ?? p.change,
      sideCell(p.a),
      sideCell(p.b),
      signed(p.scoreDelta),
      signed(p.costDelta, 4),
    ]);
  const score = summary.score;
  return `# Comparison of two batches, paired by ${code(c.by)}

${totals}

Pairs: ${summary.paired} (${summary.onlyASucceeded} only A succeeded, ${summary.onlyBSucceeded} only B succeeded, ${summary.bothSucceeded} both, ${summary.bothFailed} neither); ${summary.onlyInA} keys only in A, ${summary.onlyInB} only in B.
Scores: ${score.pairs} pairs scored on both sides, mean change ${signed(score.meanDelta, 2)} (${score.improved} better, ${score.worsened} worse, ${score.unchanged} the same).

## Pairs, most changed first

${table(['key', 'change', 'A', 'B', 'score Δ', 'cost Δ (USD)'], shown)}${truncated(shown.length, c.pairs.length)}
`;
}
