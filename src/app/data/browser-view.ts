/**
 * What a person has chosen in the trajectory browser (search text, filters,
 * sort), kept as the form's strings, and its translation to store queries.
 * A field that does not parse (an empty or half-typed number) filters nothing.
 */
import type {
  ExportFormat,
  ExportOptions,
  OrderBy,
  Selection,
  TrajectoryFilter,
  TrajectoryQuery,
  TrajectoryStatus,
} from '../../public-types.js';

export interface BrowserView {
  /** Full-text search; empty: list everything. */
  text: string;
  agentName: string;
  modelName: string;
  kind: '' | 'atif' | 'testgen';
  /** Empty: any status. */
  status: '' | TrajectoryStatus;
  taskId: string;
  /** `YYYY-MM-DD` (a date input's value), local days, inclusive. */
  createdFrom: string;
  createdTo: string;
  minCostUsd: string;
  maxCostUsd: string;
  minScore: string;
  maxScore: string;
  /** Empty: best match first when searching, else newest first. */
  orderBy: '' | OrderBy;
  order: 'asc' | 'desc';
}

export const EMPTY_VIEW: BrowserView = Object.freeze({
  text: '',
  agentName: '',
  modelName: '',
  kind: '',
  status: '',
  taskId: '',
  createdFrom: '',
  createdTo: '',
  minCostUsd: '',
  maxCostUsd: '',
  minScore: '',
  maxScore: '',
  orderBy: '',
  order: 'desc',
});

/** Sort keys as a person reads them. */
export const ORDER_BY_LABELS: Readonly<Record<OrderBy, string>> = {
  createdAt: 'Saved',
  updatedAt: 'Last updated',
  firstStepAt: 'Started',
  lastStepAt: 'Last step',
  stepCount: 'Steps',
  totalTokens: 'Tokens',
  totalCostUsd: 'Cost',
  comprehensivenessScore: 'Score',
};

/** Statuses as a person reads them, in the order the filter offers them. */
export const STATUS_LABELS: Readonly<Record<TrajectoryStatus, string>> = {
  running: 'Running',
  complete: 'Complete',
  failed: 'Failed',
  incomplete: 'Incomplete',
};

function number(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** A local calendar day's first or last instant as ISO 8601, or undefined for anything but `YYYY-MM-DD`. */
function dayBound(day: string, end: boolean): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d, 0, 0, 0, 0);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The view's filters (not its search text or order). */
export function viewFilter(view: BrowserView): TrajectoryFilter {
  const filter: TrajectoryFilter = {};
  if (view.agentName) filter.agentName = view.agentName;
  if (view.modelName) filter.modelName = view.modelName;
  if (view.kind) filter.kind = view.kind;
  if (view.status) filter.status = view.status;
  if (view.taskId.trim()) filter.taskId = view.taskId.trim();
  const from = dayBound(view.createdFrom, false);
  const to = dayBound(view.createdTo, true);
  if (from) filter.createdFrom = from;
  if (to) filter.createdTo = to;
  const bounds = {
    minCostUsd: view.minCostUsd,
    maxCostUsd: view.maxCostUsd,
    minScore: view.minScore,
    maxScore: view.maxScore,
  };
  for (const [key, text] of Object.entries(bounds) as Array<[keyof typeof bounds, string]>) {
    const n = number(text);
    if (n !== undefined) filter[key] = n;
  }
  return filter;
}

/** The search text to send, or null to list instead. */
export function searchText(view: BrowserView): string | null {
  return view.text.trim() === '' ? null : view.text;
}

/** The sort the view asks for; none given: best match first when searching, newest first otherwise. */
export function viewOrdering(view: BrowserView): Pick<TrajectoryQuery, 'orderBy' | 'order'> {
  if (view.orderBy) return { orderBy: view.orderBy, order: view.order };
  return searchText(view) === null ? { orderBy: 'createdAt', order: 'desc' } : {};
}

/** The query of one page of the list (or of the search, with `searchText`). */
export function viewQuery(view: BrowserView, limit: number, cursor?: string): TrajectoryQuery {
  return { ...viewFilter(view), ...viewOrdering(view), limit, ...(cursor ? { cursor } : {}) };
}

/** What an export of the view asks for: the same rows, search included. */
/** The trajectories the view shows: its filters and search, for exports. */
export function viewSelection(view: BrowserView): Selection {
  const text = searchText(view);
  return { ...viewFilter(view), ...(text === null ? {} : { text }) };
}

export function viewExport(view: BrowserView, format: ExportFormat): ExportOptions {
  // A CSV download is opened in spreadsheets: its cells never run as formulas.
  return {
    ...viewSelection(view),
    ...viewOrdering(view),
    format,
    ...(format === 'csv' ? { defuseFormulas: true } : {}),
  };
}

/** True when the view shows fewer than every stored trajectory. */
export function isNarrowed(view: BrowserView): boolean {
  return searchText(view) !== null || Object.keys(viewFilter(view)).length > 0;
}

/** The view's filters and search as a short phrase, e.g. `agent "claude-code", search "timeout"`. */
export function describeView(view: BrowserView): string {
  const parts: string[] = [];
  const text = searchText(view);
  if (text !== null) parts.push(`search "${text.trim()}"`);
  const f = viewFilter(view);
  if (f.kind) parts.push(f.kind === 'testgen' ? 'test generation only' : 'agent runs only');
  if (f.status) parts.push(`${STATUS_LABELS[f.status].toLowerCase()} only`);
  if (f.agentName) parts.push(`agent "${f.agentName}"`);
  if (f.modelName) parts.push(`model "${f.modelName}"`);
  if (f.taskId) parts.push(`task "${f.taskId}"`);
  if (f.createdFrom || f.createdTo) parts.push(`saved ${view.createdFrom || '…'} to ${view.createdTo || '…'}`);
  if (f.minCostUsd !== undefined || f.maxCostUsd !== undefined)
    parts.push(`cost $${f.minCostUsd ?? 0} to ${f.maxCostUsd === undefined ? 'any' : `$${f.maxCostUsd}`}`);
  if (f.minScore !== undefined || f.maxScore !== undefined)
    parts.push(`score ${f.minScore ?? 1} to ${f.maxScore ?? 10}`);
  return parts.join(', ');
}
