/** Saving documents straight into the app's store (no feed), for tests about what the app shows. */
import type { Page } from '@playwright/test';
import type { AtifTrajectory, TestGenData } from '../../src/public-types.js';

export type SeedItem = AtifTrajectory | { testgen: TestGenData };

/** Saves `items` through the page's own store and waits until the list has reloaded them. */
export async function seedStore(page: Page, items: SeedItem[]): Promise<void> {
  await page.evaluate(async (items) => {
    const store = window.trajectoryApp!.store;
    const result = await store.insertMany(items);
    if (result.rejected.length > 0) throw new Error(`rejected: ${JSON.stringify(result.rejected)}`);
  }, items);
}
