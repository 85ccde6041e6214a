/**
 * What the compare views show, as URL query parameters, so that a comparison survives a reload and
 * can be shared (with the same data):
 *
 *   ?compare=runs&a=<id>&b=<id>
 *   ?compare=batches&by=taskId&qa=<filter JSON>&qb=<filter JSON>
 *
 * Pure functions of the query string; the page decides when to read and write it.
 */
import type { TrajectoryFilter } from '../../public-types.js';
import { isRecord } from '../../schema/json.js';

export type CompareState =
  | { mode: 'runs'; a: string; b: string }
  | { mode: 'batches'; queryA: TrajectoryFilter; queryB: TrajectoryFilter; by: string };

export const COMPARE_PARAMS = ['compare', 'a', 'b', 'qa', 'qb', 'by'] as const;

/** Nothing chosen yet: two runs, no ids. */
export const EMPTY_COMPARE: CompareState = Object.freeze({ mode: 'runs', a: '', b: '' });

function filterParam(text: string | null): TrajectoryFilter | null {
  if (text === null) return {};
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? (value as TrajectoryFilter) : null;
  } catch {
    return null;
  }
}

/** The comparison a query string names, or null when it names none (or names one unreadably). */
export function compareStateFromSearch(search: string): CompareState | null {
  const params = new URLSearchParams(search);
  const mode = params.get('compare');
  if (mode === 'runs') {
    const a = params.get('a') ?? '';
    const b = params.get('b') ?? '';
    return { mode, a, b };
  }
  if (mode === 'batches') {
    const queryA = filterParam(params.get('qa'));
    const queryB = filterParam(params.get('qb'));
    if (!queryA || !queryB) return null;
    return { mode, queryA, queryB, by: params.get('by') || 'taskId' };
  }
  return null;
}

/** `search` with the comparison's parameters set (or removed, for null); other parameters are kept. */
export function searchWithCompareState(search: string, state: CompareState | null): string {
  const params = new URLSearchParams(search);
  for (const name of COMPARE_PARAMS) params.delete(name);
  if (state?.mode === 'runs') {
    params.set('compare', 'runs');
    if (state.a) params.set('a', state.a);
    if (state.b) params.set('b', state.b);
  } else if (state?.mode === 'batches') {
    params.set('compare', 'batches');
    params.set('by', state.by);
    params.set('qa', JSON.stringify(state.queryA));
    params.set('qb', JSON.stringify(state.queryB));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
