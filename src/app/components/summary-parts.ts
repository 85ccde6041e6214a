/**
 * Small pieces of a trajectory's summary that several panels show the same
 * way: its title, status badge, figures, and a search snippet.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Snippet, TrajectoryStatus, TrajectorySummary } from '../../public-types.js';
import { STATUS_LABELS } from '../data/browser-view.js';
import { formatCost, formatCountOf, formatScore, formatTokens } from '../format/numbers.js';
import { snippetRuns } from '../format/snippet.js';

/** What a person calls the trajectory: the task of a testgen session, the agent of a run. */
export function summaryTitle(summary: TrajectorySummary): string {
  return summary.kind === 'testgen' ? (summary.taskId ?? summary.id) : summary.agentName;
}

/** A trajectory's status (schema/status.ts) as a badge. */
export function statusBadge(status: string | null | undefined): TemplateResult | typeof nothing {
  if (!status) return nothing;
  const known = status in STATUS_LABELS;
  const label = known ? STATUS_LABELS[status as TrajectoryStatus] : status;
  return html`<span class="badge ${known ? status : 'neutral'}">${label}</span>`;
}

export function kindBadge(kind: string): TemplateResult {
  return html`<span class="badge neutral">${kind === 'testgen' ? 'testgen' : 'ATIF'}</span>`;
}

/** Said of a document saved with warnings (it departs from the ATIF spec, and was kept as written). */
export function conformanceBadge(summary: TrajectorySummary): TemplateResult | typeof nothing {
  if (summary.conformant !== false) return nothing;
  return html`<span class="badge neutral" title="Saved as written, with warnings: it departs from the ATIF spec"
    >Non-conformant</span
  >`;
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
  // Unknown figures (null) are left out rather than shown as 0.
  if (summary.totalTokens !== null) parts.push(`${formatTokens(summary.totalTokens)} tokens`);
  if (summary.totalCostUsd !== null) parts.push(formatCost(summary.totalCostUsd));
  return parts.filter((p): p is string => p !== null).join(' · ');
}

/** Snippet text with its matches in <mark>: text nodes only, never markup from the data. */
export function renderSnippet(snippet: Snippet): TemplateResult {
  return html`${snippetRuns(snippet).map((run) => (run.marked ? html`<mark>${run.text}</mark>` : run.text))}`;
}
