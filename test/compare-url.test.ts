/** The compare tab's state in the app's URL (pure functions; the app's e2e test covers the page). */
import { describe, expect, it } from 'vitest';
import { routeFromSearch, searchWithRoute } from '../src/app/data/app-route.js';
import { compareStateFromSearch, EMPTY_COMPARE, searchWithCompareState } from '../src/app/data/compare-url.js';

describe('compare state in the URL', () => {
  it('round-trips two runs and two batches, keeping parameters it does not own', () => {
    const runs = { mode: 'runs', a: 'run a/1', b: 'run-b' } as const;
    const search = searchWithCompareState('?hud=ws://x', runs);
    expect(new URLSearchParams(search).get('hud')).toBe('ws://x');
    expect(compareStateFromSearch(search)).toEqual(runs);

    const batches = {
      mode: 'batches',
      queryA: { modelName: 'old', kind: 'testgen' },
      queryB: { modelName: 'new' },
      by: 'extra.task_name',
    } as const;
    expect(compareStateFromSearch(searchWithCompareState(search, batches))).toEqual(batches);
    expect(compareStateFromSearch(searchWithCompareState(search, null))).toBeNull();
  });

  it('reads a hand-edited or stale link as no comparison rather than failing', () => {
    expect(compareStateFromSearch('?compare=batches&qa=%7Bnot%20json')).toBeNull();
    expect(compareStateFromSearch('?compare=batches&qa=%5B1%5D')).toBeNull();
    expect(compareStateFromSearch('?compare=other')).toBeNull();
    expect(compareStateFromSearch('?compare=batches')).toEqual({
      mode: 'batches',
      queryA: {},
      queryB: {},
      by: 'taskId',
    });
  });

  it('is part of the app route while the compare tab is shown, and only then', () => {
    const route = routeFromSearch('?tab=compare&compare=runs&a=x&b=y&q=flaky');
    expect(route.tab).toBe('compare');
    expect(route.compare).toEqual({ mode: 'runs', a: 'x', b: 'y' });
    expect(route.view.text).toBe('flaky');
    expect(Object.fromEntries(new URLSearchParams(searchWithRoute('', route)))).toEqual({
      tab: 'compare',
      compare: 'runs',
      a: 'x',
      b: 'y',
      q: 'flaky',
    });
    expect(searchWithRoute('?a=x&b=y&compare=runs', { ...route, tab: 'browse' })).toBe('?q=flaky');
    expect(routeFromSearch('').compare).toEqual(EMPTY_COMPARE);
  });
});
