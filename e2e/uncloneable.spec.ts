/**
 * Values that structured clone refuses (a function, a Symbol) cannot be posted to the store's worker: the
 * page refuses them itself with `validation` and their path, as the Node store does, instead of a raw
 * DataCloneError; insertMany reports such an item in `rejected` at its own index and saves the rest; a Date
 * is stored as its JSON text. (Issue 8, finding 8.)
 */
import { expect, test } from '@playwright/test';
import { idsIn, openStoreTab } from './support/pages.js';

test('a function or Symbol in a document is a validation error with its path, never a DataCloneError', async ({
  context,
}) => {
  const { page } = await openStoreTab(context);
  const outcome = await page.evaluate(async () => {
    const doc = window.ts.atifDocument('with-function');
    const single = await window.ts.errorOf(window.store.insertTrajectory({ ...doc, extra: { callback: () => 1 } }));
    const symbolic = window.ts.atifDocument('with-symbol');
    (symbolic.steps[1] as Record<string, unknown>).extra = { tag: Symbol('x') };
    const dated = { ...window.ts.atifDocument('dated'), extra: { at: new Date(Date.UTC(2025, 0, 2)) } };
    const many = await window.store.insertMany([window.ts.atifDocument('first'), symbolic, dated]);
    const query = await window.ts.errorOf(window.store.listTrajectories({ agentName: (() => 'x') as never }));
    return {
      single,
      many,
      query,
      dated: ((await window.store.getTrajectory('dated'))?.trajectory as { extra?: unknown } | undefined)?.extra,
    };
  });
  expect(outcome.single).toMatchObject({
    name: 'TrajectoryStoreError',
    code: 'validation',
    issues: [{ path: 'extra.callback', message: expect.stringContaining('a function') }],
  });
  expect(outcome.many.inserted).toBe(2);
  expect(outcome.many.rejected).toEqual([
    { index: 1, issues: [{ path: 'steps[1].extra.tag', message: expect.stringContaining('a Symbol') }] },
  ]);
  expect(outcome.query).toMatchObject({ code: 'validation', issues: [{ path: 'arguments[0].agentName' }] });
  expect(outcome.dated).toEqual({ at: '2025-01-02T00:00:00.000Z' });
  expect((await idsIn(page)).sort()).toEqual(['dated', 'first']);
});
