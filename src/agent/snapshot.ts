// What a planner sees of a page: the elements (see actions/page-script.ts), URL, title and visible text.
import type { Page } from 'playwright-core';
import { installPageScript } from '../actions/targets.js';
import type { PageSnapshot } from './types.js';

const DEFAULT_LIMIT = 400;

export async function takeSnapshot(
  page: Page,
  opts: { screenshot?: boolean; limit?: number } = {},
): Promise<PageSnapshot> {
  await page.waitForLoadState('domcontentloaded').catch(() => {});
  await installPageScript(page);
  const snapshot = await page.evaluate<PageSnapshot>(`window.__navis.snapshot(${Number(opts.limit ?? DEFAULT_LIMIT)})`);
  if (opts.screenshot) snapshot.screenshot = (await page.screenshot()).toString('base64');
  return snapshot;
}
