/**
 * The compare views in the built app: two runs side by side (chosen with
 * "Compare with…" from a detail, then from the list), the divergence marked
 * and jumped to, changed arguments as a diff, totals, Markdown and JSON
 * exports; two testgen sessions; two batches paired by task, a row opening
 * its pair. The URL names the comparison, and a reload shows it again.
 */
import { expect, test } from '@playwright/test';
import { comparableRuns, testgenSession } from '../test/documents.js';
import { downloadOf, keepScreenshot, listRows, openApp, tab } from './app-support/app-page.js';
import { seedStore } from './app-support/seed.js';

test.use({ viewport: { width: 1400, height: 900 } });

const params = (url: string) => Object.fromEntries(new URL(url).searchParams);

test('two runs picked from the list alone: "Compare two runs…", then one row and another', async ({ page }) => {
  await openApp(page);
  const [a, b] = comparableRuns('pick-a', 'pick-b', 20);
  await seedStore(page, [a, b]);
  await expect(listRows(page)).toHaveCount(2);

  await page.getByRole('button', { name: 'Compare two runs…' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Select the first of the two' })).toBeVisible();
  await page.locator('trajectory-list [role=option][data-id="pick-b"]').click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Select the trajectory to compare with pick-b' }),
  ).toBeVisible();
  await page.locator('trajectory-list [role=option][data-id="pick-a"]').click();

  await expect(tab(page, 'Compare')).toHaveAttribute('aria-selected', 'true');
  await expect
    .poll(() => params(page.url()))
    .toMatchObject({ tab: 'compare', compare: 'runs', a: 'pick-b', b: 'pick-a' });
  await expect(page.locator('trajectory-compare #counts')).toBeVisible();
});

test('two runs side by side: picked from a detail and the list, divergence jumped to, arguments diffed, exported, in the URL', async ({
  page,
}, testInfo) => {
  await openApp(page);
  const [a, b] = comparableRuns('cmp-a', 'cmp-b', 1200);
  // Stored text is shown as text, never as markup.
  b.steps[1]!.message = '<img src=x onerror="window.__injected = true">';
  await seedStore(page, [a, b]);
  await expect(listRows(page)).toHaveCount(2);

  await page.locator('trajectory-list [role=option][data-id="cmp-a"]').click();
  await expect(page.locator('trajectory-detail')).toHaveAttribute('trajectory-id', 'cmp-a');
  await page.getByRole('button', { name: 'Compare with…' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Select the trajectory to compare with' })).toBeVisible();
  await page.locator('trajectory-list [role=option][data-id="cmp-b"]').click();

  await expect(tab(page, 'Compare')).toHaveAttribute('aria-selected', 'true');
  const view = page.locator('trajectory-compare');
  await expect(view.locator('#counts')).toContainText('only in A');
  await expect
    .poll(() => params(page.url()))
    .toMatchObject({ tab: 'compare', compare: 'runs', a: 'cmp-a', b: 'cmp-b' });

  // Totals at the top: B left out steps and added others.
  const totals = view.getByRole('table', { name: 'Totals' });
  await expect(totals.getByRole('row', { name: /Steps\b/ }).first()).toContainText('1,200');
  // The message of step 2 differs: that is where they part ways (row 2), marked and jumped to.
  const divergence = view.locator('.row.divergence');
  await view.getByRole('button', { name: 'Jump to the divergence' }).click();
  await expect(divergence).toBeVisible();
  await expect(divergence).toHaveAttribute('data-row', '1');
  await expect(divergence).toContainText('<img src=x onerror="window.__injected = true">');
  expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();

  // A changed argument, as a diff: row 51 is step 51, a bash call B ran with another command.
  await view
    .locator('lit-virtualizer')
    .evaluate((el) => (el as unknown as { element(i: number): HTMLElement | undefined }).element(50)?.scrollIntoView());
  const changed = view.locator('.row[data-row="50"] .arg-change');
  await expect(changed).toContainText('bash cmd');
  await expect(changed.locator('del')).toHaveText('"npm test"');
  await expect(changed.locator('ins')).toHaveText('"npm test -- --grep case_50"');
  await keepScreenshot(page, testInfo, 'compare-runs');

  const markdown = await downloadOf(page, () => view.getByRole('button', { name: 'Download Markdown' }).click());
  expect(markdown.name).toMatch(/^compare-cmp-a-cmp-b-.*\.md$/);
  expect(markdown.bytes.toString()).toContain('# Comparison of two runs');
  const json = await downloadOf(page, () => view.getByRole('button', { name: 'Download JSON' }).click());
  const comparison = JSON.parse(json.bytes.toString());
  expect(comparison).toMatchObject({ kind: 'atif', a: { id: 'cmp-a' }, b: { id: 'cmp-b' } });
  expect(comparison.summary.counts.deleted).toBe(2);

  // Reload: the same comparison.
  await page.reload();
  await expect(page.locator('#store-status')).toHaveAttribute('data-storage', /opfs|memory/, { timeout: 30_000 });
  await expect(tab(page, 'Compare')).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('trajectory-compare #counts')).toContainText('only in A');
  await expect(page.locator('trajectory-compare')).toHaveAttribute('a', 'cmp-a');
});

test('two testgen sessions, and two batches paired by task: downloaded, and a row opens its pair', async ({
  page,
}, testInfo) => {
  await openApp(page);
  const base = testgenSession('old-1', { taskId: 'task-1', modelName: 'old' });
  await seedStore(page, [
    { testgen: base },
    { testgen: testgenSession('old-2', { taskId: 'task-2', modelName: 'old', status: 'failed' }) },
    { testgen: testgenSession('old-3', { taskId: 'task-3', modelName: 'old' }) },
    {
      testgen: testgenSession('new-1', {
        taskId: 'task-1',
        modelName: 'new',
        comprehensivenessScore: 9,
        tests: [base.tests[0]!, { ...base.tests[1]!, expectedOutput: 'invalid month' }],
        totalTests: 2,
      }),
    },
    { testgen: testgenSession('new-2', { taskId: 'task-2', modelName: 'new' }) },
    { testgen: testgenSession('new-4', { taskId: 'task-4', modelName: 'new' }) },
  ]);
  await expect(listRows(page)).toHaveCount(6);

  await tab(page, 'Compare').click();
  await page.getByRole('button', { name: 'Two batches' }).click();
  const batch = page.locator('batch-compare');
  await batch.locator('#A-modelName').fill('old');
  await batch.locator('#B-modelName').fill('new');
  await batch.getByRole('button', { name: 'Compare' }).click();
  const rows = batch.getByRole('table', { name: 'Pairs' }).locator('tbody tr');
  await expect(rows).toHaveCount(4);
  // Sorted by what changed: the outcome flip first, keys on one side only last.
  await expect(rows.nth(0)).toHaveAttribute('data-change', 'only-b-succeeded');
  await expect(rows.nth(0)).toHaveAttribute('data-key', 'task-2');
  await expect(batch.locator('tr[data-key="task-3"]')).toHaveAttribute('data-change', 'only-in-a');
  await expect(batch.locator('tr[data-key="task-4"]')).toHaveAttribute('data-change', 'only-in-b');
  await expect.poll(() => params(page.url())).toMatchObject({ tab: 'compare', compare: 'batches', by: 'taskId' });
  expect(JSON.parse(params(page.url()).qa!)).toEqual({ modelName: 'old' });
  await keepScreenshot(page, testInfo, 'compare-batches');

  // The batch comparison downloads as Markdown (a table per pair) and as JSON (what the store answered).
  const markdown = await downloadOf(page, () => batch.getByRole('button', { name: 'Download Markdown' }).click());
  expect(markdown.name).toMatch(/^compare-batches-by-taskId-.*\.md$/);
  const text = markdown.bytes.toString();
  expect(text).toContain('# Comparison of two batches, paired by `taskId`');
  for (const key of ['task-1', 'task-2', 'task-3', 'task-4']) expect(text).toContain(key);
  const json = await downloadOf(page, () => batch.getByRole('button', { name: 'Download JSON' }).click());
  const comparison = JSON.parse(json.bytes.toString());
  expect(comparison.by).toBe('taskId');
  expect(comparison.pairs.map((p: { key: string; change: string }) => [p.key, p.change]).sort()).toEqual([
    ['task-1', 'both-succeeded'],
    ['task-2', 'only-b-succeeded'],
    ['task-3', 'only-in-a'],
    ['task-4', 'only-in-b'],
  ]);

  // The batch survives a reload.
  await page.reload();
  await expect(page.locator('#store-status')).toHaveAttribute('data-storage', /opfs|memory/, { timeout: 30_000 });
  await expect(page.locator('batch-compare tr[data-key="task-1"]')).toHaveAttribute('data-change', 'both-succeeded');

  // A row opens its pair: two testgen sessions side by side.
  await page.locator('batch-compare tr[data-key="task-1"]').getByRole('button', { name: 'Open pair' }).click();
  const view = page.locator('trajectory-compare');
  await expect(view).toHaveAttribute('a', 'old-1');
  await expect(view).toHaveAttribute('b', 'new-1');
  await expect(view.locator('#counts')).toHaveText(/1 same, 1 changed, 1 only in A, 0 only in B/);
  await expect(view.getByRole('table', { name: 'Totals' }).getByRole('row', { name: /Score/ })).toContainText('+1');
  await expect(view.locator('[data-op="changed"]')).toContainText('expectedOutput');
  await expect.poll(() => params(page.url())).toMatchObject({ compare: 'runs', a: 'old-1', b: 'new-1' });
});
