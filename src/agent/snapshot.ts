// What a planner sees of a page: the elements (see page-script.ts), URL, title and visible text.
import type { Locator, Page } from 'playwright-core';
import { PAGE_SCRIPT } from './page-script.js';
import type { PageSnapshot } from './types.js';

const DEFAULT_LIMIT = 400;

/** Installs navis's page script in the page's current document (idempotent). */
export async function installPageScript(page: Page): Promise<void> {
  await page.evaluate(PAGE_SCRIPT);
}

export async function takeSnapshot(page: Page, opts: { screenshot?: boolean; limit?: number } = {}): Promise<PageSnapshot> {
  await page.waitForLoadState('domcontentloaded').catch(() => {});
  await installPageScript(page);
  const snapshot = await page.evaluate<PageSnapshot>(`window.__navis.snapshot(${Number(opts.limit ?? DEFAULT_LIMIT)})`);
  if (opts.screenshot) snapshot.screenshot = (await page.screenshot()).toString('base64');
  return snapshot;
}

/** Role and accessible name of an element, computed as in a snapshot (to verify a replayed target). */
export async function describeLocated(locator: Locator): Promise<{ role: string; name: string; visible: boolean; checked?: boolean; tag: string }> {
  await installPageScript(locator.page());
  type Described = Awaited<ReturnType<typeof describeLocated>>;
  return locator.evaluate((el) => (window as unknown as { __navis: { describe(e: Element): Described } }).__navis.describe(el));
}
