// Finds the element a step acts on. A selector that matches nothing within the step's deadline is
// SELECTOR_NOT_FOUND (404, seed 003); one that matches but cannot be acted on times out (408).
import type { Locator, Page } from 'playwright-core';
import { NavisError } from '../errors.js';
import type { StepContext } from './executor.js';

export async function locate(page: Page, selector: string, step: StepContext): Promise<Locator> {
  const locator = page.locator(selector).first();
  try {
    await locator.waitFor({ state: 'attached', timeout: step.remainingMs() });
  } catch (error) {
    if ((error as Error).name !== 'TimeoutError') throw error;
    throw new NavisError(
      'SELECTOR_NOT_FOUND',
      `selector '${selector}' matched nothing on ${page.url()} within ${step.timeoutMs} ms. Check the selector, or add a wait step for the element first.`,
      { selector },
    );
  }
  return locator;
}

/**
 * A short description of an element for results: id and visible text (or aria-label). Never a
 * field's value. Read with Playwright's own calls (its utility world) rather than an evaluate in
 * the page's main world, which costs a ~30 ms set-up after every navigation (bench/tasks).
 */
export async function describeElement(locator: Locator): Promise<Record<string, unknown> | undefined> {
  const options = { timeout: 1000 };
  try {
    const [id, label, inner] = await Promise.all([
      locator.getAttribute('id', options),
      locator.getAttribute('aria-label', options),
      locator.innerText(options),
    ]);
    const text = (label || inner || '').replace(/\s+/g, ' ').trim().slice(0, 80);
    return { ...(id ? { id } : {}), ...(text ? { text } : {}) };
  } catch {
    return undefined;
  }
}
