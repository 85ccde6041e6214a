/** The dashboard: totals, charts over time by agent or model, tables, following the browser's filters. */
import { expect, test } from '@playwright/test';
import { keepScreenshot, tab } from './app-support/app-page.js';
import { recordDemoCycle } from './app-support/record.js';

test.use({ viewport: { width: 1400, height: 1100 } });

test('shows counts, tokens and cost over time by agent and by model, for the browser’s filters', async ({
  page,
}, testInfo) => {
  const sessions = await recordDemoCycle(page, 7_401);
  const dashboard = page.locator('trajectory-dashboard');
  await tab(page, 'Dashboard').click();

  await expect(dashboard.locator('.card', { hasText: 'Trajectories' }).locator('.value')).toHaveText(
    String(sessions.length),
  );
  const byAgent = dashboard.locator('table', { has: page.locator('caption', { hasText: 'By agent' }) });
  // testgen sessions are saved under the agent "testgen"; agent runs under the agent their start message names.
  const agentOf = (s: (typeof sessions)[number]) => {
    const start = s.messages.find((m) => m.type === 'atif_trajectory_start');
    return s.kind === 'testgen' ? 'testgen' : start?.type === 'atif_trajectory_start' ? start.agentName : null;
  };
  const agents = [...new Set(sessions.map(agentOf))].filter((a): a is string => a !== null);
  expect(agents.length).toBeGreaterThan(2);
  for (const agent of agents)
    await expect(byAgent.locator('tbody th', { hasText: new RegExp(`^${agent}$`) })).toHaveCount(1);

  // Three charts, drawn (their canvases hold painted pixels).
  const charts = dashboard.locator('stats-chart canvas');
  await expect(charts).toHaveCount(3);
  await expect(dashboard.getByRole('img', { name: 'Trajectories per day by agent' })).toBeVisible();
  const painted = () =>
    charts.evaluateAll((canvases) =>
      canvases.map((c) => {
        const canvas = c as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let opaque = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) opaque++;
        return opaque;
      }),
    );
  await expect.poll(async () => (await painted()).every((n) => n > 500)).toBe(true);
  await keepScreenshot(page, testInfo, 'dashboard');

  await dashboard.getByRole('button', { name: 'By model' }).click();
  await expect(dashboard.getByRole('img', { name: 'Tokens per day by model' })).toBeVisible();

  // The browser's filters apply here too.
  await tab(page, 'Browse').click();
  await page.getByRole('combobox', { name: 'Kind' }).selectOption('testgen');
  await tab(page, 'Dashboard').click();
  const testgen = sessions.filter((s) => s.kind === 'testgen').length;
  await expect(dashboard.locator('.card', { hasText: 'Trajectories' }).locator('.value')).toHaveText(String(testgen));
  await expect(dashboard).toContainText('matching the browser’s filters');
});
