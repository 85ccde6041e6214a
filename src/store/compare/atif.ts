/** Two ATIF runs step by step: the alignment, and what it adds up to. */
import { isRecord } from '../../schema/json.js';
import type { TrajectorySummary } from '../../contract/results.js';
import { alignSequences, KeyTable, markMoves } from './align.js';
import { difference, durationMs } from './delta.js';
import {
  plainText,
  stepBrief,
  stepKeys,
  toolCallChanges,
  toolCallsOf,
  type LooseStep,
  type LooseToolCall,
} from './steps.js';
import type {
  AlignmentCounts,
  AtifComparison,
  RunDelta,
  RunTotals,
  StepAlignment,
  StepBrief,
  ToolUsage,
} from '../../contract/compare.js';

interface PreparedRun {
  steps: LooseStep[];
  calls: LooseToolCall[][];
  exact: Int32Array;
  loose: Int32Array;
  briefs: StepBrief[];
}

const messageOf = (step: LooseStep): string => plainText(step.message).trim();

function prepare(document: unknown, keys: KeyTable): PreparedRun {
  const steps = (isRecord(document) && Array.isArray(document.steps) ? document.steps : []).filter(isRecord);
  const exact = new Int32Array(steps.length);
  const loose = new Int32Array(steps.length);
  const calls: LooseToolCall[][] = [];
  const briefs: StepBrief[] = [];
  steps.forEach((step, i) => {
    const stepCalls = toolCallsOf(step);
    const text = messageOf(step);
    const key = stepKeys(step, stepCalls, text);
    exact[i] = keys.id(key.exact);
    loose[i] = keys.id(key.loose);
    calls.push(stepCalls);
    briefs.push(stepBrief(step, i, stepCalls, text));
  });
  return { steps, calls, exact, loose, briefs };
}

export function compareAtifRuns(
  a: { summary: TrajectorySummary; document: unknown },
  b: { summary: TrajectorySummary; document: unknown },
): AtifComparison {
  const keys = new KeyTable();
  const runA = prepare(a.document, keys);
  const runB = prepare(b.document, keys);
  const alignment: StepAlignment[] = alignSequences(runA, runB);
  const moved = markMoves(alignment, runA.exact, runB.exact);
  const counts: AlignmentCounts = { same: 0, changed: 0, inserted: 0, deleted: 0, moved };
  for (const row of alignment) {
    counts[row.op]++;
    if (row.op !== 'same' && row.op !== 'changed') continue;
    const callsA = runA.calls[row.a!]!;
    const callsB = runB.calls[row.b!]!;
    if (row.op === 'changed') {
      const changes = toolCallChanges(callsA, callsB);
      row.messageChanged = messageOf(runA.steps[row.a!]!) !== messageOf(runB.steps[row.b!]!);
      if (changes.length > 0) row.toolChanges = changes;
    }
    if (callsA.length > 1 && callOrder(callsA) !== callOrder(callsB)) row.toolOrderChanged = true;
  }
  const firstDivergence = alignment.findIndex((row) => row.op !== 'same');
  const totalsA = runTotals(runA, a.summary);
  const totalsB = runTotals(runB, b.summary);
  return {
    kind: 'atif',
    a: a.summary,
    b: b.summary,
    alignment,
    steps: { a: runA.briefs, b: runB.briefs },
    summary: {
      firstDivergence:
        firstDivergence < 0
          ? null
          : { row: firstDivergence, a: alignment[firstDivergence]!.a, b: alignment[firstDivergence]!.b },
      counts,
      a: totalsA,
      b: totalsB,
      delta: runDelta(totalsA, totalsB),
      tools: toolUsage(alignment, runA, runB),
    },
  };
}

function callOrder(calls: LooseToolCall[]): string {
  return calls.map((c) => `${c.name}\u0000${c.argumentsKey}`).join('\u0001');
}

function runTotals(run: PreparedRun, summary: TrajectorySummary): RunTotals {
  let toolCalls = 0;
  let errors = 0;
  let failedToolResults = 0;
  for (const brief of run.briefs) {
    toolCalls += brief.tools.length;
    if (brief.error) errors++;
    failedToolResults += brief.failedResults;
  }
  return {
    steps: run.steps.length,
    toolCalls,
    errors,
    failedToolResults,
    tokens: summary.totalTokens,
    costUsd: summary.totalCostUsd,
    durationMs: durationMs(summary),
  };
}

function runDelta(a: RunTotals, b: RunTotals): RunDelta {
  const delta = {} as RunDelta;
  for (const key of Object.keys(a) as Array<keyof RunTotals>) delta[key] = difference(a[key], b[key]);
  return delta;
}

/** Calls per tool name on each side, and how the alignment accounts for the difference. */
function toolUsage(alignment: StepAlignment[], runA: PreparedRun, runB: PreparedRun): ToolUsage[] {
  const usage = new Map<string, ToolUsage>();
  const of = (name: string): ToolUsage => {
    let entry = usage.get(name);
    if (!entry) {
      entry = { name, a: 0, b: 0, added: 0, removed: 0, changedArguments: 0 };
      usage.set(name, entry);
    }
    return entry;
  };
  for (const calls of runA.calls) for (const call of calls) of(call.name).a++;
  for (const calls of runB.calls) for (const call of calls) of(call.name).b++;
  for (const row of alignment) {
    if (row.op === 'inserted' && row.movedFrom === undefined) {
      for (const call of runB.calls[row.b!]!) of(call.name).added++;
    } else if (row.op === 'deleted' && row.movedTo === undefined) {
      for (const call of runA.calls[row.a!]!) of(call.name).removed++;
    } else if (row.toolChanges) {
      for (const change of row.toolChanges) {
        const entry = of(change.name);
        if (change.change === 'added') entry.added++;
        else if (change.change === 'removed') entry.removed++;
        else entry.changedArguments++;
      }
    }
  }
  const weight = (t: ToolUsage) => t.added + t.removed + t.changedArguments;
  return [...usage.values()].sort((x, y) => weight(y) - weight(x) || x.name.localeCompare(y.name));
}
