/**
 * The dashboard's time ranges: the runs that started in the last N days
 * (today included, by UTC day, as getStats files runs under days), or all.
 */
import type { DaySpan } from './chart-series.js';

export const TIME_RANGES = ['all', '7', '30', '90', '365', '730'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

export const TIME_RANGE_LABELS: Readonly<Record<TimeRange, string>> = {
  all: 'All time',
  '7': 'Last 7 days',
  '30': 'Last 30 days',
  '90': 'Last 90 days',
  '365': 'Last 12 months',
  '730': 'Last 2 years',
};

const DAY_MS = 86_400_000;

export function isTimeRange(value: string): value is TimeRange {
  return (TIME_RANGES as readonly string[]).includes(value);
}

/** The days a range covers, from N − 1 days ago to today; null for all time. */
export function rangeSpan(range: TimeRange, now: number = Date.now()): DaySpan | null {
  if (range === 'all') return null;
  const today = new Date(now).toISOString().slice(0, 10);
  const first = new Date(Date.parse(`${today}T00:00:00Z`) - (Number(range) - 1) * DAY_MS).toISOString().slice(0, 10);
  return { first, last: today };
}

/** The store's filter for a span: whole days, so that getStats answers from its rollup. */
export function startedWithin(span: DaySpan): { startedFrom: string; startedTo: string } {
  return { startedFrom: `${span.first}T00:00:00.000Z`, startedTo: `${span.last}T23:59:59.999Z` };
}
