// What a planner sees of a page: the elements (see actions/page-script.ts), URL, title and visible text.
// Read within a deadline: a page that does not answer (busy in a script, or waiting for a navigation
// that never answers) is freed and the look fails with 408 (actions/page-recovery.ts).
import type { Page } from 'playwright-core';
import { pageCall } from '../actions/page-recovery.js';
import { installPageScript } from '../actions/targets.js';
import type { PageSnapshot } from './types.js';

const DEFAULT_LIMIT = 400;
/** How long one look at the page may take, unless the caller has less time left. */
export const SNAPSHOT_TIMEOUT_MS = 10_000;

export async function takeSnapshot(
  page: Page,
  opts: { screenshot?: boolean; limit?: number; timeoutMs?: number } = {},
): Promise<PageSnapshot> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? SNAPSHOT_TIMEOUT_MS;
  const left = () => Math.max(1, timeoutMs - (Date.now() - started));
  await page.waitForLoadState('domcontentloaded', { timeout: left() }).catch(() => {});
  const look = (async () => {
    await installPageScript(page);
    return page.evaluate<PageSnapshot>(`window.__navis.snapshot(${Number(opts.limit ?? DEFAULT_LIMIT)})`);
  })();
  const snapshot = await pageCall(page, look, left(), "reading the page's elements and text");
  if (opts.screenshot) snapshot.screenshot = (await page.screenshot({ timeout: left() })).toString('base64');
  return snapshot;
}
