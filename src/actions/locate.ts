// Finds the element a step acts on, and says what went wrong with it in words: a selector that
// matches nothing within the step's deadline is SELECTOR_NOT_FOUND (404, seed 003); one that
// matches an element that stayed hidden or disabled times out (408) saying so; one the page
// refuses to parse is the caller's mistake (400).
import type { Locator, Page } from 'playwright-core';
import { NavisError } from '../errors.js';
import { withDeadline } from '../browsers/deadline.js';
import { browserMessage } from './browser-errors.js';
import type { StepContext } from './context.js';
import type { ActionType } from './schemas.js';

/** How long a quick look at the page (a count after a timeout) may take before it counts as unanswered. */
export const LOOK_MS = 1000;

/**
 * The element a step acts on. No separate wait for it to appear: the action's own wait does that
 * (one browser round trip less per step, bench/tasks); after a failure, selectorFailure() tells a
 * selector that matched nothing from an element that could not be acted on.
 */
export function locate(page: Page, selector: string): Locator {
  return page.locator(selector).first();
}

/** What the step needs of its element, besides being there (Playwright's actionability checks). */
const NEEDS: Partial<Record<ActionType, Array<'visible' | 'enabled' | 'editable'>>> = {
  click: ['visible', 'enabled'],
  check: ['visible', 'enabled'],
  select: ['visible', 'enabled'],
  type: ['visible', 'enabled', 'editable'],
  hover: ['visible'],
  scroll: ['visible'],
  screenshot: ['visible'],
};

const LACKS = { visible: 'stayed hidden', enabled: 'stayed disabled', editable: 'stayed read-only' };

/**
 * After a step on `selector` failed, what the selector says about it, or undefined when the
 * selector is not the story:
 *   - the page refuses the selector itself (a pseudo-class Chromium does not know, an unknown
 *     engine): 400 INVALID_REQUEST naming it, whatever the step was doing;
 *   - a timeout with nothing matched: 404 SELECTOR_NOT_FOUND;
 *   - a timeout with an element matched: 408 saying what it lacked (hidden, disabled, read-only),
 *     or that it matched but could not be acted on (covered, moving).
 */
export async function selectorFailure(
  page: Page,
  selector: string,
  type: ActionType,
  error: unknown,
  timeoutMs: number,
): Promise<NavisError | undefined> {
  // count() has no timeout of its own: on a page whose script never yields it would never answer.
  const counted = await withDeadline(page.locator(selector).count(), LOOK_MS, 'busy').then(
    (count) => ({ count }),
    (refusal: unknown) => ({ refusal }),
  );
  if ('refusal' in counted) {
    if (counted.refusal instanceof NavisError || page.isClosed()) return undefined; // busy, or gone: not the selector's doing
    return new NavisError(
      'INVALID_REQUEST',
      `selector '${selector}' is not valid on this page: ${browserMessage(counted.refusal)}. Check its syntax (CSS, or an engine such as text=, role=, xpath=).`,
      { selector },
    );
  }
  if ((error as Error)?.name !== 'TimeoutError') return undefined;
  const { count } = counted;
  if (count === 0) {
    return new NavisError(
      'SELECTOR_NOT_FOUND',
      `selector '${selector}' matched nothing on ${page.url()} within ${timeoutMs} ms. Check the selector, or add a wait step for the element first.`,
      { selector },
    );
  }
  const matched = `selector '${selector}' matched ${count === 1 ? '1 element' : `${count} elements`} on ${page.url()}, but ${count === 1 ? 'it' : 'the first'}`;
  const lack = await lacking(locate(page, selector), NEEDS[type] ?? []);
  if (lack) {
    return new NavisError(
      'ACTION_TIMEOUT',
      `${matched} ${LACKS[lack]} for ${timeoutMs} ms. Wait for it to be ready (a wait step), raise timeoutMs, or choose another element.`,
      { selector },
    );
  }
  return new NavisError(
    'ACTION_TIMEOUT',
    `${matched} could not be acted on within ${timeoutMs} ms (another element may cover it, or it kept moving). Raise timeoutMs, or add a wait step before it.`,
    { selector },
  );
}

/**
 * A wait step that ran out of time, in words: what the selector (or text) matched when it gave up.
 * Stays a 408: waiting was the step's point.
 */
export async function waitFailure(
  page: Page,
  what: { selector: string } | { text: string },
  state: 'attached' | 'visible' | 'hidden' | 'detached',
  timeoutMs: number,
): Promise<NavisError> {
  const target = 'selector' in what ? page.locator(what.selector) : page.getByText(what.text);
  const named = 'selector' in what ? `selector '${what.selector}'` : `text '${what.text}'`;
  const count = await withDeadline(target.count(), LOOK_MS, 'busy').catch(() => -1);
  const visible = count > 0 && (await withDeadline(target.first().isVisible(), LOOK_MS, 'busy').catch(() => false));
  const it =
    count < 0
      ? 'the page did not answer a look at it afterwards'
      : state === 'hidden'
        ? `it stayed visible on ${page.url()}`
        : state === 'detached'
          ? `it was still on ${page.url()}`
          : count === 0
            ? `it matched nothing on ${page.url()}`
            : state === 'visible' && !visible
              ? `it matched ${count === 1 ? '1 element' : `${count} elements`} on ${page.url()}, but ${count === 1 ? 'it' : 'the first'} stayed hidden`
              : `it matched ${count === 1 ? '1 element' : `${count} elements`} on ${page.url()}`;
  return new NavisError(
    'ACTION_TIMEOUT',
    `timed out after ${timeoutMs} ms waiting for ${named} to be ${state}: ${it}. Raise timeoutMs if it takes longer.`,
    'selector' in what ? { selector: what.selector } : undefined,
  );
}

/** The first of `needs` the element lacks now (a quick look, no waiting), if any. */
async function lacking(
  element: Locator,
  needs: Array<'visible' | 'enabled' | 'editable'>,
): Promise<'visible' | 'enabled' | 'editable' | undefined> {
  const look = { timeout: LOOK_MS };
  for (const need of needs) {
    const check =
      need === 'visible'
        ? element.isVisible()
        : need === 'enabled'
          ? element.isEnabled(look)
          : element.isEditable(look);
    // An element that cannot be asked (detached meanwhile, or not a field) lacks nothing we can name.
    const has = await withDeadline(check, LOOK_MS, 'busy').catch(() => true);
    if (!has) return need;
  }
  return undefined;
}

/**
 * A short description of an element for results: id and visible text (or aria-label). Never a
 * field's value. Read with Playwright's own calls (its utility world) rather than an evaluate in
 * the page's main world, which costs a ~30 ms set-up after every navigation (bench/tasks).
 */
async function describeElement(
  locator: Locator,
  step: StepContext,
  timeoutMs: number,
): Promise<Record<string, unknown> | undefined> {
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
export async function describedAlongside(
  target: Locator,
  step: StepContext,
  action: Promise<unknown>,
): Promise<Record<string, unknown> | undefined> {
  const described = describeElement(target, step, step.remainingMs());
  await action;
  return withDeadline(described, DESCRIBE_GRACE_MS, 'no description').catch(() => undefined);
}
