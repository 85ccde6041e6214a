/**
 * The app's state in its URL, in one place both ways: which tab, which
 * trajectory is open, the browser's search, filters and sort, and the
 * dashboard's range and grouping. A link
 * opens the same view; reload and back/forward restore it.
 *
 * Every field has one short parameter name and is left out while it has its
 * default, so that an untouched page has a bare URL. Parameters this module
 * does not own (the page's `hud`, say) are kept as they are. A view of
 * another helper (compare) adds its tab to APP_TABS and its own parameters
 * to the route here, and nowhere else.
 */
import { ORDER_BY, type OrderBy } from '../../schema/query.js';
import { isTrajectoryStatus } from '../../schema/status.js';
import { EMPTY_VIEW, type BrowserView } from './browser-view.js';
import type { GroupBy } from './chart-series.js';
import { isTimeRange, type TimeRange } from './time-range.js';
import {
  COMPARE_PARAMS,
  type CompareState,
  compareStateFromSearch,
  EMPTY_COMPARE,
  searchWithCompareState,
} from './compare-url.js';

export const APP_TABS = ['browse', 'dashboard', 'data', 'compare', 'team'] as const;
export type AppTab = (typeof APP_TABS)[number];

export interface AppRoute {
  tab: AppTab;
  /** The trajectory open in the browser tab. */
  selectedId: string | null;
  view: BrowserView;
  /** What the compare tab compares (data/compare-url.ts); in the URL only while that tab is shown. */
  compare: CompareState;
  /** What the dashboard shows: its time range and grouping. */
  dashboard: DashboardState;
}

export interface DashboardState {
  range: TimeRange;
  groupBy: GroupBy;
}

export const DEFAULT_DASHBOARD: DashboardState = { range: 'all', groupBy: 'agent' };

/** The URL parameter of each view field. */
const VIEW_PARAMS = {
  text: 'q',
  agentName: 'agent',
  modelName: 'model',
  kind: 'kind',
  status: 'status',
  taskId: 'task',
  createdFrom: 'from',
  createdTo: 'to',
  minCostUsd: 'min_cost',
  maxCostUsd: 'max_cost',
  minScore: 'min_score',
  maxScore: 'max_score',
  orderBy: 'sort',
  order: 'order',
} as const satisfies Record<keyof BrowserView, string>;

const TAB_PARAM = 'tab';
const ID_PARAM = 'id';
const RANGE_PARAM = 'range';
const GROUP_PARAM = 'group';

/** Every parameter the route owns. */
export const ROUTE_PARAMS: readonly string[] = [
  TAB_PARAM,
  ID_PARAM,
  RANGE_PARAM,
  GROUP_PARAM,
  ...Object.values(VIEW_PARAMS),
  ...COMPARE_PARAMS,
];

/** Field values a URL may not set (a hand-edited or stale link): they fall back to the default. */
function accepts(field: keyof BrowserView, value: string): boolean {
  switch (field) {
    case 'kind':
      return value === 'atif' || value === 'testgen';
    case 'status':
      return isTrajectoryStatus(value);
    case 'orderBy':
      return (ORDER_BY as readonly string[]).includes(value as OrderBy);
    case 'order':
      return value === 'asc' || value === 'desc';
    default:
      return true;
  }
}

/** The route a URL's query string describes; anything missing or invalid is the default. */
export function routeFromSearch(search: string): AppRoute {
  const params = new URLSearchParams(search);
  const tab = params.get(TAB_PARAM);
  const view: Record<string, string> = { ...EMPTY_VIEW };
  for (const [field, name] of Object.entries(VIEW_PARAMS) as Array<[keyof BrowserView, string]>) {
    const value = params.get(name);
    if (value !== null && accepts(field, value)) view[field] = value;
  }
  return {
    tab: (APP_TABS as readonly string[]).includes(tab ?? '') ? (tab as AppTab) : 'browse',
    selectedId: params.get(ID_PARAM) || null,
    view: view as unknown as BrowserView,
    compare: compareStateFromSearch(search) ?? EMPTY_COMPARE,
    dashboard: dashboardFromParams(params),
  };
}

function dashboardFromParams(params: URLSearchParams): DashboardState {
  const range = params.get(RANGE_PARAM) ?? '';
  const group = params.get(GROUP_PARAM);
  return {
    range: isTimeRange(range) ? range : DEFAULT_DASHBOARD.range,
    groupBy: group === 'agent' || group === 'model' ? group : DEFAULT_DASHBOARD.groupBy,
  };
}

/** `search` (a URL's query string) with the route's parameters replaced by `route`'s, others kept. */
export function searchWithRoute(search: string, route: AppRoute): string {
  const params = new URLSearchParams(search);
  for (const name of ROUTE_PARAMS) params.delete(name);
  if (route.tab !== 'browse') params.set(TAB_PARAM, route.tab);
  if (route.selectedId !== null) params.set(ID_PARAM, route.selectedId);
  if (route.dashboard.range !== DEFAULT_DASHBOARD.range) params.set(RANGE_PARAM, route.dashboard.range);
  if (route.dashboard.groupBy !== DEFAULT_DASHBOARD.groupBy) params.set(GROUP_PARAM, route.dashboard.groupBy);
  for (const [field, name] of Object.entries(VIEW_PARAMS) as Array<[keyof BrowserView, string]>) {
    const value = route.view[field];
    if (value !== EMPTY_VIEW[field]) params.set(name, value);
  }
  const text = params.toString();
  const withoutCompare = text === '' ? '' : `?${text}`;
  return route.tab === 'compare' ? searchWithCompareState(withoutCompare, route.compare) : withoutCompare;
}

/**
 * How a change reaches the history: a new entry for navigation (a tab, a
 * trajectory, a filter), the current one replaced while the person types
 * (each keystroke of a search is not a place to go back to).
 */
export function historyMode(from: AppRoute, to: AppRoute): 'push' | 'replace' | 'none' {
  if (searchWithRoute('', from) === searchWithRoute('', to)) return 'none';
  const withoutText = (route: AppRoute) => searchWithRoute('', { ...route, view: { ...route.view, text: '' } });
  const onlyText = withoutText(from) === withoutText(to);
  return onlyText ? 'replace' : 'push';
}
