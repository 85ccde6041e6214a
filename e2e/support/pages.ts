/** Opening test pages and stores in them, and watching what the pages print. */
import type { BrowserContext, Page } from '@playwright/test';
import type { OpenOptions, StoreInfo } from '../../src/public-types.js';

export const STORE_PAGE = '/e2e/pages/store.html';
export const RAW_POOL_PAGE = '/e2e/pages/raw-pool.html';

/** Everything a page and its workers print, kept for assertions. */
export function consoleOf(page: Page): string[] {
  const lines: string[] = [];
  page.on('console', (message) => lines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));
  return lines;
}

/** A new tab on the store page, with the store opened in it as `window.store`. */
export async function openStoreTab(
  context: BrowserContext,
  options: OpenOptions = {},
): Promise<{ page: Page; info: StoreInfo; console: string[] }> {
  const page = await context.newPage();
  const console = consoleOf(page);
  await page.goto(STORE_PAGE);
  const info = await openStoreIn(page, options);
  return { page, info, console };
}

/** Opens the store in a page already on the store page. */
export async function openStoreIn(page: Page, options: OpenOptions = {}): Promise<StoreInfo> {
  return page.evaluate(async (options) => {
    window.store = await window.ts.openTrajectoryStore(options);
    return window.store.info();
  }, options);
}

export async function countIn(page: Page): Promise<number> {
  return page.evaluate(async () => (await window.store.info()).trajectoryCount);
}

/** Every stored id, page by page. */
export async function idsIn(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const result = await window.store.listTrajectories({
        limit: 1000,
        orderBy: 'createdAt',
        order: 'asc',
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...result.items.map((item) => item.id));
      cursor = result.nextCursor;
    } while (cursor);
    return ids;
  });
}

/** The lines that show a tab failing to get at the database. */
export function accessHandleErrors(lines: string[]): string[] {
  return lines.filter((line) => /NoModificationAllowedError|Access Handles cannot be created/i.test(line));
}

/** The size of the room a database keeps back for deletes under a full quota (src/worker/quota-reserve.ts); 0 when none. */
export async function quotaReserveIn(page: Page, name = 'trajectories'): Promise<number> {
  return page.evaluate(async (name) => {
    let directory = await navigator.storage.getDirectory();
    try {
      for (const part of ['.trajectory-store', ...name.split('/')])
        directory = await directory.getDirectoryHandle(part);
      return (await (await directory.getFileHandle('quota-reserve')).getFile()).size;
    } catch {
      return 0;
    }
  }, name);
}
