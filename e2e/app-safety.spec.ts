/**
 * Safety: stored content is only ever text. Markup and script payloads in
 * every field (agent and model names, messages in every shape, reasoning,
 * tool names and arguments, observations, testgen task, tests, reflections,
 * uncertainties, environment, errors; snippets; a live HUD feed's messages)
 * are shown as text everywhere the app shows them, and nothing runs.
 */
import { expect, test, type Page } from '@playwright/test';
import { WebSocketServer } from 'ws';
import { keepScreenshot, listRows, liveSession, openApp, searchBox, tab } from './app-support/app-page.js';
import { appUrlFor } from './app-support/feed.js';
import { hostileAtif, hostileFeed, hostileTestGen, IMG, PAYLOAD } from './app-support/hostile.js';

test.use({ viewport: { width: 1400, height: 1000 } });

/** What would show that a payload became markup: elements it could create, handler attributes, the flag it sets. */
async function injected(page: Page) {
  return page.evaluate(() => {
    const elements: Element[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        elements.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return {
      pwned: (window as { __pwned?: unknown }).__pwned,
      images: elements.filter((el) => el.localName === 'img').length,
      imgSrcX: elements.filter((el) => el.localName === 'img' && el.getAttribute('src') === 'x').length,
      // Scripts anywhere but the page's own module script in <head>.
      scripts: elements.filter((el) => el.localName === 'script' && el.parentElement !== document.head).length,
      handlers: elements.filter((el) => [...el.attributes].some((a) => /^on/i.test(a.name))).map((el) => el.localName),
      iframes: elements.filter((el) => el.localName === 'iframe').length,
    };
  });
}

async function expectNothingRan(page: Page, where: string): Promise<void> {
  expect(await injected(page), where).toEqual({
    pwned: undefined,
    images: 0,
    imgSrcX: 0,
    scripts: 0,
    handlers: [],
    iframes: 0,
  });
}

test('markup and script in every stored and streamed field are shown as text, and nothing runs', async ({
  page,
}, testInfo) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  // A real HUD socket that streams the payloads.
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket) => {
    for (const message of hostileFeed('xss-live', 'xss-live-run')) socket.send(JSON.stringify(message));
  });
  const port = (server.address() as { port: number }).port;

  try {
    await openApp(page, appUrlFor(`ws://127.0.0.1:${port}/ws`));
    // Streamed: the live panel.
    await expect(liveSession(page, 'xss-live')).toContainText('Failed');
    await expect(liveSession(page, 'xss-live')).toContainText(IMG);
    await expect(liveSession(page, 'xss-live-run')).toContainText('Complete');
    await expectNothingRan(page, 'live panel');

    // Stored: two documents with the payload everywhere.
    await page.evaluate(
      async ({ atif, testgen }) => {
        await window.trajectoryApp!.store.insertTrajectory(atif);
        await window.trajectoryApp!.store.insertTestGenTrajectory(testgen);
      },
      { atif: hostileAtif('xss-atif'), testgen: hostileTestGen('xss-testgen') },
    );
    await expect(listRows(page)).toHaveCount(4);
    await expect(listRows(page).filter({ hasText: IMG }).first()).toBeVisible();
    await expectNothingRan(page, 'list');

    // Every detail view.
    for (const id of ['xss-atif', 'xss-testgen', 'xss-live', 'xss-live-run']) {
      await page.locator(`trajectory-list [role=option][data-id="${id}"]`).click();
      await expect(page.locator('trajectory-detail .detail-head')).toContainText(id);
      await expect(page.locator('trajectory-detail').getByText(IMG).first()).toBeVisible();
      await expectNothingRan(page, `detail of ${id}`);
    }
    await page.locator('trajectory-list [role=option][data-id="xss-atif"]').click();
    // The long names make a tall header: scroll down to the steps, as a person would.
    await page.locator('trajectory-detail atif-timeline').scrollIntoViewIfNeeded();
    await expect(page.locator('trajectory-detail atif-timeline article.step')).toHaveCount(3);
    await expectNothingRan(page, 'steps');
    await keepScreenshot(page, testInfo, 'hostile-atif-detail');
    await page.locator('trajectory-list [role=option][data-id="xss-testgen"]').click();
    await expect(page.locator('trajectory-detail testgen-report li.test')).toContainText(PAYLOAD);
    await keepScreenshot(page, testInfo, 'hostile-testgen-detail');

    // Search snippets: the payload's words are highlighted, its markup shown as text.
    await searchBox(page).fill('onerror pwned');
    await expect(listRows(page).first().locator('.snippet mark').first()).toBeVisible();
    await expect(listRows(page).first().locator('.snippet')).toContainText('<img src=x');
    await expectNothingRan(page, 'search snippets');
    await keepScreenshot(page, testInfo, 'hostile-search');
    await searchBox(page).fill('');

    // Filter options, the dashboard's tables, and the export description carry agent and model names.
    await page.getByRole('combobox', { name: 'Agent' }).selectOption(PAYLOAD);
    await expect(listRows(page)).toHaveCount(2);
    await tab(page, 'Dashboard').click();
    await expect(page.locator('trajectory-dashboard table').first()).toContainText(IMG);
    await expectNothingRan(page, 'dashboard');
    await tab(page, 'Data').click();
    await expect(page.locator('trajectory-storage')).toContainText(IMG);
    await expectNothingRan(page, 'data tab');

    // Reloaded from the store (and the hostile agent name from the URL, which keeps the filter), it is all still text.
    await page.reload();
    await tab(page, 'Browse').click();
    await expect(page.getByRole('combobox', { name: 'Agent' })).toHaveValue(PAYLOAD);
    await expect(listRows(page)).toHaveCount(2);
    await expectNothingRan(page, 'filter from the URL');
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect(listRows(page)).toHaveCount(4);
    await expectNothingRan(page, 'after reload');
    expect(dialogs).toEqual([]);
  } finally {
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
