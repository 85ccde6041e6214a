/**
 * An opened run's body, the same wherever the run was read from (the local store or a team server): a
 * testgen session's report, or an ATIF run's steps.
 */
import { html, type TemplateResult } from 'lit';
import type { TrajectorySummary } from '../../public-types.js';
import { isRecord } from '../../schema/json.js';
import './atif-timeline.js';
import './testgen-report.js';

/** `status` is the one to show: a recorder in this tab may know better than the stored summary. */
export function runBody(
  summary: TrajectorySummary,
  document: { trajectory: unknown; testgen?: unknown },
  status: string,
): TemplateResult {
  if (summary.kind === 'testgen') {
    return html`<testgen-report .data=${document.testgen ?? null} status=${status} .tokens=${summary.totalTokens}></testgen-report>`;
  }
  const steps = isRecord(document.trajectory) ? document.trajectory.steps : undefined;
  return html`<atif-timeline .steps=${Array.isArray(steps) ? steps : []}></atif-timeline>`;
}
