// Finds the element a step acts on. A selector that matches nothing within the step's deadline is
// SELECTOR_NOT_FOUND (404, seed 003); one that matches but cannot be acted on times out (408).
import type { Locator, Page } from 'playwright-core';
import { NavisError } from '../errors.js';
import { withDeadline } from '../browsers/deadline.js';
import type { StepContext } from './executor.js';

/** How long a quick look at the page (a count after a timeout) may take before it counts as unanswered. */
export const LOOK_MS = 1000;

/**
 * The element a step acts on. No separate wait for it to appear: the action's own wait does that
 * (one browser round trip less per step, bench/tasks); after a timeout, selectorNotFound() tells a
 * selector that matched nothing from an element that could not be acted on.
 */
export function locate(page: Page, selector: string): Locator {
  return page.locator(selector).first();
}

/**
 * After a step on `selector` timed out: SELECTOR_NOT_FOUND when the selector matches nothing now,
 * undefined when it matches (the step then timed out for another reason, 408).
 */
export async function selectorNotFound(page: Page, selector: string, timeoutMs: number): Promise<NavisError | undefined> {
  // count() has no timeout of its own: on a page whose script never yields it would never answer.
  const count = await withDeadline(page.locator(selector).count(), LOOK_MS, 'busy').catch(() => -1);
  if (count !== 0) return undefined;
  return new NavisError(
    'SELECTOR_NOT_FOUND',
    `selector '${selector}' matched nothing on ${page.url()} within ${timeoutMs} ms. Check the selector, or add a wait step for the element first.`,
    { selector },
  );
}

/**
 * A short description of an element for results: id and visible text (or aria-label). Never a
 * field's value. Read with Playwright's own calls (its utility world) rather than an evaluate in
 * the page's main world, which costs a ~30 ms set-up after every navigation (bench/tasks).
 */
async function describeElement(locator: Locator, step: StepContext, timeoutMs: number): Promise<Record<string, unknown> | undefined> {
  if (step.describeElements === false) return undefined;
  const options = { timeout: timeoutMs };
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

/** How long after its action an element description may still finish. */
const DESCRIBE_GRACE_MS = 200;

/**
 * The description of the element `action` acts on, read alongside the action: it settles while
 * Playwright checks that the element is visible and stable, before a click may navigate away, and
 * costs no round trip after it. If it has not come DESCRIBE_GRACE_MS after the action (the action
 * removed the element, or navigated), the result goes without it.
 */
export async function describedAlongside(target: Locator, step: StepContext, action: Promise<unknown>): Promise<Record<string, unknown> | undefined> {
  const described = describeElement(target, step, step.remainingMs());
  await action;
  return withDeadline(described, DESCRIBE_GRACE_MS, 'no description').catch(() => undefined);
}
