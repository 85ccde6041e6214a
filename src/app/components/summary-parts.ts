/**
 * Small pieces of a trajectory's summary that several panels show the same
 * way: its title, status badge, figures, and a search snippet.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Snippet, TrajectorySummary } from '../../public-types.js';
import { formatCost, formatCountOf, formatScore, formatTokens } from '../format/numbers.js';
import { snippetRuns } from '../format/snippet.js';

/** What a person calls the trajectory: the task of a testgen session, the agent of a run. */
export function summaryTitle(summary: TrajectorySummary): string {
  return summary.kind === 'testgen' ? (summary.taskId ?? summary.id) : summary.agentName;
}

/** A trajectory's status (schema/status.ts) as a badge. */
export function statusBadge(status: string | null | undefined): TemplateResult | typeof nothing {
  if (!status) return nothing;
  const label =
    status === 'failed'
      ? 'Failed'
      : status === 'incomplete'
        ? 'Incomplete'
        : status === 'running'
          ? 'Running'
          : status === 'complete'
            ? 'Complete'
            : status;
  const cls = ['failed', 'incomplete', 'running', 'complete'].includes(status) ? status : 'neutral';
  return html`<span class="badge ${cls}">${label}</span>`;
}

export function kindBadge(kind: string): TemplateResult {
  return html`<span class="badge neutral">${kind === 'testgen' ? 'testgen' : 'ATIF'}</span>`;
}

/** The figures of a summary: steps or tests, tokens, cost, score. */
export function summaryFigures(summary: TrajectorySummary): string {
  const parts =
    summary.kind === 'testgen'
      ? [
          formatCountOf(summary.totalTests ?? 0, 'test', 'tests'),
          summary.comprehensivenessScore == null ? null : `score ${formatScore(summary.comprehensivenessScore)}`,
        ]
      : [formatCountOf(summary.stepCount, 'step', 'steps')];
  // A session that never finished reports no tokens (0): say nothing rather than "0 tokens".
  if (summary.totalTokens) parts.push(`${formatTokens(summary.totalTokens)} tokens`);
  if (summary.totalCostUsd !== null) parts.push(formatCost(summary.totalCostUsd));
  return parts.filter((p): p is string => p !== null).join(' · ');
}

/** Snippet text with its matches in <mark>: text nodes only, never markup from the data. */
export function renderSnippet(snippet: Snippet): TemplateResult {
  return html`${snippetRuns(snippet).map((run) => (run.marked ? html`<mark>${run.text}</mark>` : run.text))}`;
}
