/**
 * Size: a 10,000-step agent run opens at once (only the steps in sight are
 * in the DOM), and a large store lists and scrolls page by page (never
 * loading everything).
 */
import { expect, test } from '@playwright/test';
import { keepScreenshot, listRows, openApp } from './app-support/app-page.js';
import { appUrlFor, freePort } from './app-support/feed.js';

test.use({ viewport: { width: 1400, height: 1000 } });

test('a 10,000-step trajectory opens quickly, rendering only the steps in sight', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  const STEPS = 10_000;
  await page.evaluate(async (count) => {
    const start = Date.UTC(2025, 10, 12, 9, 0, 0);
    const steps = Array.from({ length: count }, (_, i) => {
      const id = i + 1;
      const timestamp = new Date(start + i * 1500).toISOString();
      if (id === 1)
        return {
          step_id: 1,
          timestamp,
          source: 'user' as const,
          message: 'Port the billing service to the new queue API.',
        };
      return {
        step_id: id,
        timestamp,
        source: 'agent' as const,
        model_name: 'claude-sonnet-4',
        message: `Step ${id}: checking module ${id % 97}.`,
        reasoning_content: `Module ${id % 97} may still call the old API.`,
        tool_calls: [
          {
            tool_call_id: `call_${id}`,
            function_name: 'read_file',
            arguments: { path: `src/billing/module_${id % 97}.ts` },
          },
        ],
        observation: {
          results: [
            {
              source_call_id: `call_${id}`,
              content: `export function handler${id}() { return queue.publish(${id}); }`,
            },
          ],
        },
        metrics: { prompt_tokens: 1200 + id, completion_tokens: 80, cost_usd: 0.0004 },
      };
    });
    await window.trajectoryApp!.store.insertTrajectory({
      schema_version: 'ATIF-v1.6',
      session_id: 'long-run-10k',
      agent: { name: 'long-runner', version: '2.0.0', model_name: 'claude-sonnet-4' },
      steps,
    });
  }, STEPS);

  const row = page.locator('trajectory-list [role=option][data-id="long-run-10k"]');
  await expect(row).toContainText('10,000 steps');
  await row.click();
  const timeline = page.locator('trajectory-detail atif-timeline');
  await expect(timeline.locator('article.step[data-step="1"]')).toContainText('Port the billing service', {
    timeout: 20_000,
  });
  await expect(timeline.locator('article.step[data-step="2"]')).toContainText('read_file');
  await expect(timeline).toContainText('10,000 steps');
  const rendered = await timeline.locator('article.step').count();
  expect(rendered).toBeGreaterThan(1);
  expect(rendered).toBeLessThan(200);
  await keepScreenshot(page, testInfo, 'detail-10k-steps');

  // Jumping far down renders the steps there, still only a few.
  await timeline.getByRole('spinbutton', { name: 'Go to step' }).fill('9500');
  await timeline.getByRole('spinbutton', { name: 'Go to step' }).press('Enter');
  await expect(timeline.locator('article.step[data-step="9500"]')).toContainText('Step 9500: checking module');
  expect(await timeline.locator('article.step').count()).toBeLessThan(200);
});

/**
 * Saving is what takes time here (about 1,000 small trajectories a second on OPFS), so the suite lists
 * 20,000 by default; APP_E2E_LIST_SIZE=100000 runs it at full size (about two and a half minutes).
 */
const LIST_SIZE = Number(process.env.APP_E2E_LIST_SIZE ?? 20_000);

test(`${LIST_SIZE.toLocaleString('en-US')} trajectories list smoothly: pages load as the list scrolls, only rows in sight are in the DOM`, async ({
  page,
}) => {
  test.setTimeout(60_000 + LIST_SIZE * 2);
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  const TOTAL = LIST_SIZE;
  await page.evaluate(async (total) => {
    const store = window.trajectoryApp!.store;
    const BATCH = 10_000;
    for (let from = 0; from < total; from += BATCH) {
      const items = Array.from({ length: Math.min(BATCH, total - from) }, (_, k) => {
        const n = from + k;
        return {
          schema_version: 'ATIF-v1.6',
          session_id: `bulk-${String(n).padStart(6, '0')}`,
          agent: { name: `agent-${n % 5}`, version: '1.0.0', model_name: `model-${n % 3}` },
          steps: [{ step_id: 1, source: 'user' as const, message: `Task number ${n}` }],
        };
      });
      const result = await store.insertMany(items);
      if (result.rejected.length) throw new Error(JSON.stringify(result.rejected[0]));
    }
  }, TOTAL);

  await expect(page.locator('trajectory-browser .list-head')).toHaveText(
    `${TOTAL.toLocaleString('en-US')} trajectories`,
    { timeout: 60_000 },
  );
  const footer = page.locator('trajectory-list .footer');
  await expect(footer).toHaveText('100 trajectories loaded; scroll for more');
  expect(await listRows(page).count()).toBeLessThan(60);

  // Scrolling to the end of what is loaded brings the next pages, a page at a time.
  const listbox = page.getByRole('listbox', { name: 'Trajectories' });
  const loadedRows = async () => Number((await footer.textContent())?.match(/^([\d,]+)/)?.[1]?.replace(/,/g, '') ?? 0);
  /** The loaded count once loading has settled. */
  const settled = async () => {
    let last = -1;
    await expect
      .poll(
        async () => {
          const busy = await listbox.getAttribute('aria-busy');
          const now = await loadedRows();
          const stable = busy === 'false' && now === last;
          last = now;
          return stable;
        },
        { intervals: [300] },
      )
      .toBe(true);
    return last;
  };
  for (let i = 0; i < 3; i++) await listbox.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect.poll(loadedRows).toBeGreaterThanOrEqual(200);
  const loaded = await settled();
  expect(loaded).toBeLessThan(1_000);
  expect(await listRows(page).count()).toBeLessThan(80);

  // The keyboard's End goes to the last loaded row and loads the next page.
  await listbox.focus();
  await page.keyboard.press('End');
  await expect(listbox).toHaveAttribute('aria-activedescendant', `row-${loaded - 1}`);
  await expect.poll(loadedRows).toBeGreaterThan(loaded);
});
