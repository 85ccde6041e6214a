/** The app's route in its URL (pure functions; e2e/app-url.spec.ts covers the page). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DASHBOARD, historyMode, routeFromSearch, searchWithRoute } from '../src/app/data/app-route.js';
import { TIME_RANGES } from '../src/app/data/time-range.js';

describe("the dashboard's state in the URL", () => {
  it('round-trips every range and grouping, and leaves the defaults out', () => {
    for (const range of TIME_RANGES) {
      for (const groupBy of ['agent', 'model'] as const) {
        const route = { ...routeFromSearch('?hud=ws://x&tab=dashboard'), dashboard: { range, groupBy } };
        const search = searchWithRoute('?hud=ws://x', route);
        expect(routeFromSearch(search)).toEqual(route);
        const params = new URLSearchParams(search);
        expect(params.get('hud')).toBe('ws://x');
        expect(params.get('range')).toBe(range === 'all' ? null : range);
        expect(params.get('group')).toBe(groupBy === 'agent' ? null : groupBy);
      }
    }
    expect(searchWithRoute('', routeFromSearch(''))).toBe('');
  });

  it('a value it does not know is the default', () => {
    expect(routeFromSearch('?range=1000&group=team').dashboard).toEqual(DEFAULT_DASHBOARD);
    expect(routeFromSearch('?range=&group=').dashboard).toEqual(DEFAULT_DASHBOARD);
  });

  it('a new range or grouping is a history entry', () => {
    const from = routeFromSearch('?tab=dashboard');
    expect(historyMode(from, { ...from, dashboard: { ...from.dashboard, range: '30' } })).toBe('push');
    expect(historyMode(from, { ...from, dashboard: { ...from.dashboard, groupBy: 'model' } })).toBe('push');
    expect(historyMode(from, { ...from, dashboard: { ...from.dashboard } })).toBe('none');
  });
});
