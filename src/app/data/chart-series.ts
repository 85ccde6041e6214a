/**
 * getStats() figures as chart series: one value per day for each of the
 * largest groups (agents or models), the rest summed as "other". Days with
 * nothing are filled in, so that a chart's time axis is honest.
 */
import type { TrajectoryStats } from '../../public-types.js';

export type GroupBy = 'agent' | 'model';
export type Metric = 'count' | 'totalTokens' | 'totalCostUsd';

export interface Series {
  label: string;
  values: number[];
}

export interface DailySeries {
  days: string[];
  series: Series[];
}

export const OTHER_LABEL = 'other';
export const NO_MODEL_LABEL = '(no model)';
/** Days filled in between the first and the last; beyond this, only the days that have data. */
const MAX_FILLED_DAYS = 400;

function groupName(cell: TrajectoryStats['byDayAgentModel'][number], groupBy: GroupBy): string {
  return groupBy === 'agent' ? cell.agentName : (cell.modelName ?? NO_MODEL_LABEL);
}

/** Every calendar day from `first` to `last` (YYYY-MM-DD, UTC arithmetic). */
export function daysBetween(first: string, last: string): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  const end = Date.parse(`${last}T00:00:00Z`);
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) return [first];
  const days: string[] = [];
  for (let t = start; t <= end && days.length <= MAX_FILLED_DAYS; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

export function dailySeries(stats: TrajectoryStats, groupBy: GroupBy, metric: Metric, maxGroups = 6): DailySeries {
  const cells = stats.byDayAgentModel.filter((c) => /^\d{4}-\d{2}-\d{2}$/.test(c.day));
  if (cells.length === 0) return { days: [], series: [] };
  const dataDays = [...new Set(cells.map((c) => c.day))].sort();
  const filled = daysBetween(dataDays[0]!, dataDays[dataDays.length - 1]!);
  const days = filled.length > MAX_FILLED_DAYS ? dataDays : filled;
  const dayIndex = new Map(days.map((d, i) => [d, i]));

  // Groups ranked by trajectory count whatever the metric, so that every chart lists (and colours) them alike.
  const totals = new Map<string, number>();
  for (const cell of cells)
    totals.set(groupName(cell, groupBy), (totals.get(groupName(cell, groupBy)) ?? 0) + cell.count);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
  const shown = ranked.length > maxGroups ? ranked.slice(0, maxGroups - 1) : ranked;
  const shownSet = new Set(shown);
  const labels = ranked.length > shown.length ? [...shown, OTHER_LABEL] : shown;
  const series = labels.map((label) => ({ label, values: days.map(() => 0) }));
  const byLabel = new Map(series.map((s) => [s.label, s]));
  for (const cell of cells) {
    const name = groupName(cell, groupBy);
    const target = byLabel.get(shownSet.has(name) ? name : OTHER_LABEL);
    const i = dayIndex.get(cell.day);
    if (target && i !== undefined) target.values[i] = (target.values[i] ?? 0) + cell[metric];
  }
  return { days, series };
}
