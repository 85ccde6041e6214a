/**
 * The list and its header agree with what was asked and what is stored: a search typed while a delete finishes
 * is the one the list shows (the delete's completion must not take the focus from the search box, where the
 * typing would be lost), and the header's count is the number of rows shown at every moment while rows arrive.
 */
import { expect, test } from '@playwright/test';
import { atifRun } from '../test/documents.js';
import { listRows, openApp, searchBox } from './app-support/app-page.js';
import { appUrlFor, freePort } from './app-support/feed.js';
import { seedStore } from './app-support/seed.js';

test.use({ viewport: { width: 1400, height: 1000 } });

declare global {
  interface Window {
    /** Lets the held delete go on (set by the test). */
    releaseDelete?: () => void;
  }
}

test('deleting a found trajectory and clearing the search at once lists every other one', async ({ page }) => {
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  const runs = Array.from({ length: 12 }, (_, i) =>
    atifRun(`race-${i}`, { text: i === 5 ? 'Rename the quokka module' : `Fix test number ${i}` }),
  );
  await seedStore(page, runs);
  await expect(listRows(page)).toHaveCount(runs.length);
  // The store's delete waits for the test's word before it starts: the one way to make sure the person is back in
  // the search box before it finishes, as happens on a busy machine (1 run in 3 on two shared cores).
  await page.evaluate(() => {
    const store = window.trajectoryApp!.store;
    const deleteNow = store.deleteTrajectory.bind(store);
    store.deleteTrajectory = (id) =>
      new Promise<void>((release) => (window.releaseDelete = release)).then(() => deleteNow(id));
  });

  await searchBox(page).fill('quokka');
  await searchBox(page).press('Enter');
  await expect(listRows(page)).toHaveCount(1);
  await listRows(page).first().click();
  await page.locator('trajectory-detail').getByRole('button', { name: 'Delete…' }).click();
  await page.getByRole('dialog', { name: 'Delete this trajectory?' }).getByRole('button', { name: 'Delete' }).click();

  // Back in the search box while the delete is under way; it finishes; then the person types.
  await searchBox(page).focus();
  await page.waitForFunction(() => window.releaseDelete !== undefined);
  await page.evaluate(() => window.releaseDelete!());
  await expect(page.locator('trajectory-list')).toContainText('Nothing matches this search');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Enter');

  await expect(searchBox(page)).toHaveValue('');
  await expect(listRows(page)).toHaveCount(runs.length - 1);
  await expect(page.locator('trajectory-list [data-id="race-5"]')).toHaveCount(0);
});

test('the header counts the rows the list shows, at every moment while trajectories arrive', async ({ page }) => {
  await openApp(page, appUrlFor(`ws://127.0.0.1:${await freePort()}/ws`));
  await seedStore(page, [atifRun('arrive-0')]);
  await expect(listRows(page)).toHaveCount(1);
  // Saves arrive one by one; at every frame the header's count and the list's rows are compared.
  const mismatches = await page.evaluate(
    async (runs) => {
      const store = window.trajectoryApp!.store;
      const deep = (selector: string) => {
        const find = (root: Document | ShadowRoot): Element | null => {
          const hit = root.querySelector(selector);
          if (hit) return hit;
          for (const el of root.querySelectorAll('*')) {
            const inner = el.shadowRoot ? find(el.shadowRoot) : null;
            if (inner) return inner;
          }
          return null;
        };
        return find(document);
      };
      const seen: string[] = [];
      let sampling = true;
      const sample = () => {
        const head = deep('.list-head')?.textContent ?? '';
        const list = deep('trajectory-list');
        const rows = list?.shadowRoot?.querySelectorAll('[role=option]').length ?? -1;
        const counted = /^(\d+) trajector/.exec(head.trim());
        if (counted && Number(counted[1]) !== rows) seen.push(`${head.trim()} over ${rows} rows`);
        if (sampling) requestAnimationFrame(sample);
      };
      requestAnimationFrame(sample);
      for (const run of runs) {
        await store.insertTrajectory(run);
        await new Promise((resolve) => setTimeout(resolve, 400));
      }
      await new Promise((resolve) => setTimeout(resolve, 1500));
      sampling = false;
      return seen;
    },
    Array.from({ length: 8 }, (_, i) => atifRun(`arrive-${i + 1}`)),
  );
  expect(mismatches).toEqual([]);
  await expect(listRows(page)).toHaveCount(9);
  await expect(page.locator('trajectory-browser .list-head')).toHaveText('9 trajectories');
});
