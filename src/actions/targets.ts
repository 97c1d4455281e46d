// Finding a step's element by its target (schemas.ts TargetSchema): the target keeps several
// locators (role+name, test id, label, placeholder, text, CSS path), tried in that order. With
// verification (a replayed natural-language step, ActionContext.verifyTargets), an element found
// must still have the target's role and name, so a relabelled or replaced element is reported as
// changed instead of being clicked. A target not found, or changed, is a TargetMissing: to the
// step cache that is the cached step no longer fitting the page, not the action failing.
import type { Locator, Page } from 'playwright-core';
import { NavisError } from '../errors.js';
import { withDeadline } from '../browsers/deadline.js';
import { PAGE_SCRIPT } from './page-script.js';
import type { Target } from './schemas.js';

/** How long a step waits at most for its target's element to show up. */
export const TARGET_FIND_MS = 5000;

/** The target is not on the page, or the element there is not the one it names. */
export class TargetMissing extends NavisError {
  constructor(reason: string) {
    super('SELECTOR_NOT_FOUND', reason);
  }
}

/** In words, for results and errors: `button "Save"`. */
export function describeTarget(target: Target): string {
  if (target.role && target.name) {
    const which = target.nth !== undefined ? ` number ${target.nth + 1}` : '';
    return `${target.role} "${target.name}"${which}${target.item ? ` in "${target.item}"` : ''}`;
  }
  return target.label ?? target.placeholder ?? target.text ?? target.css ?? 'element';
}

const q = (s: string) => JSON.stringify(s);

/** Playwright selectors for a target, most robust first (the same engines as getByRole, getByLabel…). */
export function selectorsFor(target: Target): string[] {
  const out: string[] = [];
  const byRole = roleSelector(target);
  if (byRole) out.push(byRole);
  if (target.testId)
    out.push(`[data-testid=${q(target.testId)}], [data-test=${q(target.testId)}], [data-qa=${q(target.testId)}]`);
  if (target.label) out.push(`internal:label=${q(target.label)}s`);
  if (target.placeholder) out.push(`internal:attr=[placeholder=${q(target.placeholder)}s]`);
  if (target.text) out.push(`internal:text=${q(target.text)}s`);
  if (target.css) out.push(target.css);
  return out;
}

/** Installs navis's page script in the page's current document (idempotent). */
export async function installPageScript(page: Page): Promise<void> {
  await page.evaluate(PAGE_SCRIPT);
}

/** Role and accessible name of an element, computed as in a planner's snapshot (to verify a replayed target). */
export async function describeLocated(
  locator: Locator,
): Promise<{ role: string; name: string; visible: boolean; checked?: boolean; tag: string }> {
  await installPageScript(locator.page());
  type Described = Awaited<ReturnType<typeof describeLocated>>;
  return locator.evaluate((el) =>
    (window as unknown as { __navis: { describe(e: Element): Described } }).__navis.describe(el),
  );
}

const norm = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

const roleSelector = (target: Target) =>
  target.role && target.name ? `internal:role=${target.role}[name=${q(target.name)}s]` : undefined;

type Place = { nth: number; count: number; item: string };

/** Where `found` stands among the elements the target's role+name locator matches, and the item it sits in. */
async function placeOf(page: Page, target: Target, found: string): Promise<Place | undefined> {
  const byRole = roleSelector(target);
  if (!byRole) return undefined;
  await installPageScript(page);
  const handle = await page.locator(found).elementHandle({ timeout: 1000 });
  if (!handle) return undefined;
  try {
    return await page
      .locator(byRole)
      .evaluateAll(
        (els, el) =>
          (window as unknown as { __navis: { place(e: Element, m: Element[]): Place } }).__navis.place(el, els),
        handle,
      );
  } finally {
    await handle.dispose();
  }
}

/** How long finding a planned target's place among its look-alikes may take. */
const PLACE_MS = 2000;

/**
 * A freshly planned target with its place among look-alikes: when several elements share its role
 * and name, `nth` (and `item`) are set from the element the planner chose (its CSS path), so the
 * step acts on that element now and a replay finds the same position again. Unchanged otherwise.
 */
export async function placeTarget(page: Page, target: Target): Promise<Target> {
  const byRole = roleSelector(target);
  if (!byRole || !target.css || target.nth !== undefined) return target;
  // A page that does not answer within PLACE_MS: the step runs unplaced, and meets the page at its own deadline.
  const place = await withDeadline(placeOf(page, target, `${target.css} >> nth=0`), PLACE_MS, 'busy').catch(
    () => undefined,
  );
  if (!place || place.count < 2 || place.nth < 0) return target;
  return { ...target, nth: place.nth, ...(place.item ? { item: place.item } : {}) };
}

/**
 * The selector that finds the target now, preferring a visible match; waits up to `timeoutMs` for
 * the page to show it. A target with `nth` is found by its role+name locator at that position
 * first. With `verify`, an element whose role or accessible name differs from the target's does not
 * count, nor one that is not at the target's `nth` among its look-alikes or not in its `item`. A
 * TargetMissing when nothing fits by then.
 */
export async function resolveTarget(
  page: Page,
  target: Target,
  opts: { timeoutMs: number; verify: boolean },
): Promise<string> {
  const deadline = Date.now() + opts.timeoutMs;
  const selectors = selectorsFor(target);
  if (selectors.length === 0)
    throw new TargetMissing('the target names no role, label, placeholder, text, test id or CSS path to find it by');
  const positioned = target.nth !== undefined && roleSelector(target) !== undefined;
  let lastSeen = '';
  for (;;) {
    for (const selector of selectors) {
      const byRoleAndName = selector === roleSelector(target);
      // A test id or text several elements share says less than the CSS path the target also keeps.
      if (!byRoleAndName && selector !== target.css && target.css && (await count(page, selector)) > 1)
        if ((await count(page, target.css)) > 0) continue;
      const found =
        positioned && byRoleAndName ? await atPosition(page, selector, target.nth!) : await first(page, selector);
      if (!found) continue;
      if (!opts.verify || !target.role || !target.name) return found;
      const seen = byRoleAndName
        ? { role: target.role, name: target.name } // Playwright's own role selector already verified both
        : await describeLocated(page.locator(found)).catch(() => undefined);
      if (!seen) continue;
      if (seen.role !== target.role || norm(seen.name) !== norm(target.name)) {
        lastSeen = `${seen.role} "${seen.name}"`;
        continue;
      }
      if (!positioned) return found;
      const place = await placeOf(page, target, found).catch(() => undefined);
      if (place && place.nth === target.nth && norm(place.item) === norm(target.item)) return found;
      if (place) lastSeen = `${describePlace(target, place)}`;
    }
    if (Date.now() >= deadline) {
      throw new TargetMissing(
        lastSeen
          ? `${describeTarget(target)} changed: the element found there is now ${lastSeen}`
          : `${describeTarget(target)} is not on ${page.url()}`,
      );
    }
    await page.waitForTimeout(100);
  }
}

const count = (page: Page, selector: string) =>
  page
    .locator(selector)
    .count()
    .catch(() => 0);

/** The selector's first match, a visible one if any. */
async function first(page: Page, selector: string): Promise<string | undefined> {
  const visible = `${selector} >> visible=true >> nth=0`;
  if ((await count(page, visible)) > 0) return visible;
  const any = `${selector} >> nth=0`;
  return (await count(page, any)) > 0 ? any : undefined;
}

/** The selector's match at `nth` (the position a planned target was given among its look-alikes). */
async function atPosition(page: Page, selector: string, nth: number): Promise<string | undefined> {
  const at = `${selector} >> nth=${nth}`;
  return (await count(page, at)) > 0 ? at : undefined;
}

const describePlace = (target: Target, place: Place) =>
  `${target.role} "${target.name}" number ${place.nth + 1} of ${place.count}${place.item ? ` in "${place.item}"` : ''}`;
