/** Differences between two sides, where unknown stays unknown. */
import type { TrajectorySummary } from '../../contract/results.js';

/** B minus A; null when either is unknown. */
export function difference(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : b - a;
}

/** From the first to the last step's timestamp; null without both. */
export function durationMs(summary: Pick<TrajectorySummary, 'firstStepAt' | 'lastStepAt'>): number | null {
  if (!summary.firstStepAt || !summary.lastStepAt) return null;
  const ms = Date.parse(summary.lastStepAt) - Date.parse(summary.firstStepAt);
  return Number.isFinite(ms) ? ms : null;
}
