/** Driving the trajectory browser page as a person would, and looking at what it shows. */
import { expect, type Page, type TestInfo } from '@playwright/test';

/**
 * The app pointed at a HUD feed nobody serves (port 9: the browser refuses it at once). A test that starts no feed
 * of its own must not record one it did not start, such as `npm start`'s demo feed on the HUD's default address.
 */
export const WITHOUT_FEED = '/?hud=ws://127.0.0.1:9/ws';

/** Opens the app and waits until its store is open. */
export async function openApp(page: Page, url = WITHOUT_FEED): Promise<void> {
  await page.goto(url);
  await expect(page.locator('#store-status')).toHaveAttribute('data-storage', /opfs|memory/, { timeout: 30_000 });
  // The storage badge shows before the app settles rows a closed tab left running; the page is ready once its
  // parts are on window.trajectoryApp (main.ts sets them last).
  await page.waitForFunction(() => window.trajectoryApp !== undefined, null, { timeout: 30_000 });
}

/** Keeps a screenshot of the page as a test artefact (attached to the report, and a file under test-results). */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: false });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/** The options of the trajectory list (only those rendered: the list is virtualized). */
export function listRows(page: Page) {
  return page.locator('trajectory-list [role=option]');
}

export function searchBox(page: Page) {
  return page.getByRole('searchbox', { name: 'Search trajectories' });
}

export function liveSession(page: Page, sessionId: string) {
  return page.locator(`hud-live-sessions [data-session-id="${sessionId}"]`);
}

export function tab(page: Page, name: 'Browse' | 'Dashboard' | 'Data' | 'Compare') {
  return page.getByRole('tab', { name });
}

/** Clicks `button` and returns the file the page downloads, as bytes, with its suggested name. */
export async function downloadOf(
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; bytes: Buffer; path: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  const { readFile } = await import('node:fs/promises');
  return { name: download.suggestedFilename(), bytes: await readFile(path), path };
}

/** Drops a file on `target` as a person dragging it from their desktop would. */
export async function dropFile(
  page: Page,
  target: ReturnType<Page['locator']>,
  name: string,
  bytes: Buffer,
): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ base64, name }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'application/vnd.sqlite3' }));
      return transfer;
    },
    { base64: bytes.toString('base64'), name },
  );
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}
