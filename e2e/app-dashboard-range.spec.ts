/**
 * The dashboard over real date ranges: two years of runs read as months, a range picker narrows to the runs
 * that started in it (days, weeks), and the charts stay readable, as measured on the drawn chart: bars wide
 * enough to see, x labels that neither overlap nor leave the chart, at 1400 px and at 400 px.
 */
import { expect, type Locator, type Page, test } from '@playwright/test';
import { atifRun } from '../test/documents.js';
import { keepScreenshot, openApp, tab } from './app-support/app-page.js';
import { appUrlFor, freePort } from './app-support/feed.js';
import { seedStore } from './app-support/seed.js';

test.use({ viewport: { width: 1400, height: 1000 } });

const DAY_MS = 86_400_000;

/** What a chart drew: its width, its bars' widths, and each x label's box (px, in the canvas). */
interface DrawnChart {
  width: number;
  categories: number;
  barWidths: number[];
  labels: Array<{ text: string; left: number; right: number }>;
}

/** Reads the layout Chart.js computed for a `<stats-chart>`: the boxes it draws, measured with its own fonts. */
function drawnChart(chart: Locator): Promise<DrawnChart> {
  return chart.evaluate((element) => {
    interface LabelItem {
      label: string;
      font: { string: string };
      options: { translation: [number, number]; textAlign: string };
    }
    interface ChartJs {
      width: number;
      ctx: CanvasRenderingContext2D;
      data: { labels: unknown[] };
      scales: { x: { getLabelItems(): LabelItem[] } };
      getSortedVisibleDatasetMetas(): Array<{ type: string; data: Array<{ width?: number }> }>;
    }
    const chart = (element as unknown as { chart: ChartJs | null }).chart;
    if (!chart) throw new Error('the chart is not drawn');
    const labels = chart.scales.x.getLabelItems().map((item) => {
      chart.ctx.font = item.font.string;
      const width = chart.ctx.measureText(item.label).width;
      const [x] = item.options.translation;
      const left =
        item.options.textAlign === 'center' ? x - width / 2 : item.options.textAlign === 'right' ? x - width : x;
      return { text: item.label, left, right: left + width };
    });
    const barWidths = chart
      .getSortedVisibleDatasetMetas()
      .filter((meta) => meta.type === 'bar')
      .flatMap((meta) => meta.data.map((bar) => bar.width ?? 0));
    return { width: chart.width, categories: chart.data.labels.length, barWidths, labels };
  });
}

/** Bars at least 3 px wide; between 2 and 8 x labels, each inside the chart and 4 px or more from the next. */
async function expectReadable(chart: Locator): Promise<DrawnChart> {
  const drawn = await drawnChart(chart);
  for (const width of drawn.barWidths) expect(width).toBeGreaterThanOrEqual(3);
  expect(drawn.labels.length).toBeGreaterThanOrEqual(2);
  expect(drawn.labels.length).toBeLessThanOrEqual(8);
  for (const [i, label] of drawn.labels.entries()) {
    expect(label.left).toBeGreaterThanOrEqual(0);
    expect(label.right).toBeLessThanOrEqual(drawn.width);
    const next = drawn.labels[i + 1];
    if (next) expect(next.left - label.right, `${label.text} | ${next.text}`).toBeGreaterThanOrEqual(4);
  }
  return drawn;
}

function card(page: Page, name: string) {
  return page.locator('trajectory-dashboard .card', { hasText: name }).locator('.value');
}

test('two years of runs read as months; a range picker narrows to days and weeks; labels never overlap', async ({
  page,
}, testInfo) => {
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  const now = Date.now();
  // 82 runs, one every 9 days over two years (the newest today), two agents.
  const runs = Array.from({ length: 82 }, (_, i) =>
    atifRun(`span-${i}`, {
      agent: i % 2 ? 'codex' : 'claude-code',
      steps: 2,
      start: new Date(now - i * 9 * DAY_MS).toISOString(),
    }),
  );
  await seedStore(page, runs);
  await tab(page, 'Dashboard').click();
  const dashboard = page.locator('trajectory-dashboard');
  await expect(card(page, 'Trajectories')).toHaveText('82');
  const perMonth = dashboard.locator('stats-chart[label="Trajectories per month by agent"]');
  await expect(perMonth).toBeVisible();
  await expect(dashboard.locator('figcaption').first()).toHaveText('Trajectories per month, by agent');
  const months = await expectReadable(perMonth);
  expect(months.categories).toBeGreaterThanOrEqual(25);
  expect(months.categories).toBeLessThanOrEqual(26);
  await expectReadable(dashboard.locator('stats-chart[label="Tokens per month by agent"]'));
  await keepScreenshot(page, testInfo, 'dashboard-two-years');

  // The last 30 days: the runs that started in them (today, 9, 18 and 27 days ago), over 30 days.
  const range = dashboard.getByRole('combobox', { name: 'Runs started in' });
  await range.selectOption('30');
  await expect(card(page, 'Trajectories')).toHaveText('4');
  const perDay = dashboard.locator('stats-chart[label="Trajectories per day by agent"]');
  await expect(perDay).toBeVisible();
  expect((await expectReadable(perDay)).categories).toBe(30);

  // The last 12 months: weeks.
  await range.selectOption('365');
  await expect(card(page, 'Trajectories')).toHaveText(String(runs.filter((_, i) => i * 9 < 365).length));
  const perWeek = dashboard.locator('stats-chart[label="Trajectories per week by agent"]');
  await expect(perWeek).toBeVisible();
  await expectReadable(perWeek);
  await keepScreenshot(page, testInfo, 'dashboard-twelve-months');

  // At 400 px the charts are narrower: still readable, months and weeks alike.
  await page.setViewportSize({ width: 400, height: 900 });
  await expect.poll(async () => (await drawnChart(perWeek)).width).toBeLessThan(400);
  await expectReadable(perWeek);
  await range.selectOption('all');
  await expect(perMonth).toBeVisible();
  await expect.poll(async () => (await drawnChart(perMonth)).width).toBeLessThan(400);
  await expectReadable(perMonth);
  await keepScreenshot(page, testInfo, 'dashboard-two-years-400px');
});
