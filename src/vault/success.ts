// The success condition of an authenticate step: { condition: url | selector | text | networkIdle, value }.
import type { Page } from 'playwright-core';
import type { z } from 'zod';
import type { SuccessCondition as SuccessConditionSchema } from '../actions/schemas.js';

export type SuccessCondition = z.infer<typeof SuccessConditionSchema>;

/** Waits until the condition holds or `timeoutMs` passes. `url` matches when the page URL contains the value. */
export async function checkSuccess(
  page: Page,
  success: SuccessCondition,
  timeoutMs: number,
): Promise<{ ok: boolean; description: string }> {
  const value = success.value ?? '';
  const describe = {
    url: `page URL contains '${value}'`,
    selector: `'${value}' is visible`,
    text: `text '${value}' is visible`,
    networkIdle: 'the network is idle',
  }[success.condition];
  try {
    switch (success.condition) {
      case 'url':
        await page.waitForURL((url) => url.href.includes(value), { timeout: timeoutMs, waitUntil: 'commit' });
        break;
      case 'selector':
        await page.locator(value).first().waitFor({ state: 'visible', timeout: timeoutMs });
        break;
      case 'text':
        await page.getByText(value).first().waitFor({ state: 'visible', timeout: timeoutMs });
        break;
      case 'networkIdle':
        await page.waitForLoadState('networkidle', { timeout: timeoutMs });
        break;
    }
    return { ok: true, description: describe };
  } catch (error) {
    if ((error as Error).name !== 'TimeoutError') throw error;
    return { ok: false, description: describe };
  }
}

/** Whether the condition holds right now, without waiting; networkIdle cannot be told at a glance (false). */
export async function successHolds(page: Page, success: SuccessCondition): Promise<boolean> {
  const value = success.value ?? '';
  switch (success.condition) {
    case 'url':
      return page.url().includes(value);
    case 'selector':
      return page
        .locator(value)
        .first()
        .isVisible()
        .catch(() => false);
    case 'text':
      return page
        .getByText(value)
        .first()
        .isVisible()
        .catch(() => false);
    case 'networkIdle':
      return false;
  }
}
