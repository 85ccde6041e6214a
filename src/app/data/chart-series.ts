/**
 * getStats() figures as chart series: one value per day (or week, or month,
 * as the range asks: `timeSeries`) for each of the largest groups (agents or
 * models), the rest summed as "other". Days with nothing are filled in, so
 * that a chart's time axis is honest.
 */
import type { TrajectoryStats } from '../../public-types.js';

export type GroupBy = 'agent' | 'model';
export type Metric = 'count' | 'totalTokens' | 'totalCostUsd';

export interface Series {
  label: string;
  /** One a day (or bucket): 0 where nothing ran, null where runs did but none's figure is known. */
  values: Array<number | null>;
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

/** The days an axis covers at least (a chosen range), YYYY-MM-DD: the data's own days are added to it. */
export interface DaySpan {
  first: string;
  last: string;
}

export function dailySeries(
  stats: TrajectoryStats,
  groupBy: GroupBy,
  metric: Metric,
  maxGroups = 6,
  span?: DaySpan,
): DailySeries {
  const cells = stats.byDayAgentModel.filter((c) => /^\d{4}-\d{2}-\d{2}$/.test(c.day));
  if (cells.length === 0) return { days: [], series: [] };
  const dataDays = [...new Set(cells.map((c) => c.day))].sort();
  const first = span && span.first < dataDays[0]! ? span.first : dataDays[0]!;
  const last = span && span.last > dataDays[dataDays.length - 1]! ? span.last : dataDays[dataDays.length - 1]!;
  const filled = daysBetween(first, last);
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
  const series = labels.map((label) => new Sums(label, days.length));
  const byLabel = new Map(series.map((s) => [s.label, s]));
  for (const cell of cells) {
    const name = groupName(cell, groupBy);
    const target = byLabel.get(shownSet.has(name) ? name : OTHER_LABEL);
    const i = dayIndex.get(cell.day);
    if (target && i !== undefined) target.add(i, cell[metric]);
  }
  return { days, series: series.map((s) => s.series()) };
}

/** A series being summed: a place that only unknown figures reached stays unknown (null), never 0. */
class Sums {
  private readonly values: Array<number | null>;
  private readonly known: boolean[];

  constructor(
    readonly label: string,
    length: number,
  ) {
    this.values = Array.from({ length }, () => 0);
    this.known = Array.from({ length }, () => false);
  }

  add(i: number, value: number | null): void {
    if (value === null) {
      if (!this.known[i]) this.values[i] = null;
      return;
    }
    this.values[i] = (this.known[i] ? (this.values[i] ?? 0) : 0) + value;
    this.known[i] = true;
  }

  series(): Series {
    return { label: this.label, values: this.values };
  }
}

/** How wide a bar of the time axis is: a day up to two months, a week up to about a year, then a month. */
export type Bucket = 'day' | 'week' | 'month';

export interface TimeSeries extends DailySeries {
  bucket: Bucket;
}

const DAY_MS = 86_400_000;

/** The bucket that keeps a chart readable over the days from `first` to `last` (YYYY-MM-DD). */
export function bucketFor(first: string, last: string): Bucket {
  const span = (Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS;
  if (!(span > 62)) return 'day';
  return span <= 400 ? 'week' : 'month';
}

/** The first day of the bucket a day falls in: the day, the Monday of its week, the first of its month. */
export function bucketStart(day: string, bucket: Bucket): string {
  if (bucket === 'day') return day;
  if (bucket === 'month') return `${day.slice(0, 7)}-01`;
  const t = Date.parse(`${day}T00:00:00Z`);
  const sinceMonday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}

function nextBucket(start: string, bucket: Bucket): string {
  const t = Date.parse(`${start}T00:00:00Z`);
  if (bucket === 'month') {
    const d = new Date(t);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);
  }
  return new Date(t + (bucket === 'week' ? 7 : 1) * DAY_MS).toISOString().slice(0, 10);
}

/** A bucket as the axis names it: its first day (`2026-03-02`, a day or a week's Monday), or its month (`2026-03`). */
export function bucketLabel(start: string, bucket: Bucket): string {
  return bucket === 'month' ? start.slice(0, 7) : start;
}

/**
 * Like `dailySeries`, in the bucket that suits the range (`bucketFor`): every
 * bucket from the first to the last filled in (at least over `span`), each
 * the sum of its days.
 */
export function timeSeries(
  stats: TrajectoryStats,
  groupBy: GroupBy,
  metric: Metric,
  maxGroups = 6,
  span?: DaySpan,
): TimeSeries {
  const daily = dailySeries(stats, groupBy, metric, maxGroups, span);
  const first = daily.days[0];
  const last = daily.days[daily.days.length - 1];
  if (first === undefined || last === undefined) return { ...daily, bucket: 'day' };
  const bucket = bucketFor(first, last);
  if (bucket === 'day') return { ...daily, bucket };
  const starts: string[] = [];
  for (let b = bucketStart(first, bucket); b <= last; b = nextBucket(b, bucket)) starts.push(b);
  const index = new Map(starts.map((s, i) => [s, i]));
  const series = daily.series.map((s) => {
    const sums = new Sums(s.label, starts.length);
    daily.days.forEach((day, i) => {
      const at = index.get(bucketStart(day, bucket));
      // A day where nothing ran (0) adds nothing, and must not make a bucket of unknown figures look known.
      if (at !== undefined && s.values[i] !== 0) sums.add(at, s.values[i] ?? null);
    });
    return sums.series();
  });
  return { days: starts.map((s) => bucketLabel(s, bucket)), series, bucket };
}
