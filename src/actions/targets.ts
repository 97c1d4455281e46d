// Finding a step's element by its target (schemas.ts TargetSchema): the target keeps several
// locators (role+name, test id, label, placeholder, text, CSS path), tried in that order. With
// verification (a replayed natural-language step, ActionContext.verifyTargets), an element found
// must still have the target's role and name, so a relabelled or replaced element is reported as
// changed instead of being clicked. A target not found, or changed, is a TargetMissing: to the
// step cache that is the cached step no longer fitting the page, not the action failing.
import type { Locator, Page } from 'playwright-core';
import { NavisError } from '../errors.js';
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
  if (target.role && target.name) return `${target.role} "${target.name}"`;
  return target.label ?? target.placeholder ?? target.text ?? target.css ?? 'element';
}

const q = (s: string) => JSON.stringify(s);

/** Playwright selectors for a target, most robust first (the same engines as getByRole, getByLabel…). */
export function selectorsFor(target: Target): string[] {
  const out: string[] = [];
  if (target.role && target.name) out.push(`internal:role=${target.role}[name=${q(target.name)}s]`);
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

/**
 * The selector that finds the target now, preferring a visible match; waits up to `timeoutMs` for
 * the page to show it. With `verify`, an element whose role or accessible name differs from the
 * target's does not count. A TargetMissing when nothing fits by then.
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
  let lastSeen = '';
  for (;;) {
    for (const selector of selectors) {
      const visibleSelector = `${selector} >> visible=true >> nth=0`;
      const anySelector = `${selector} >> nth=0`;
      const found =
        (await page
          .locator(visibleSelector)
          .count()
          .catch(() => 0)) > 0
          ? visibleSelector
          : (await page
                .locator(anySelector)
                .count()
                .catch(() => 0)) > 0
            ? anySelector
            : undefined;
      if (!found) continue;
      // Found by role and exact name: Playwright's own role selector already verified both.
      const byRoleAndName = selector.startsWith('internal:role=');
      if (!opts.verify || !target.role || !target.name || byRoleAndName) return found;
      const seen = await describeLocated(page.locator(found)).catch(() => undefined);
      if (seen && seen.role === target.role && norm(seen.name) === norm(target.name)) return found;
      if (seen) lastSeen = `${seen.role} "${seen.name}"`;
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
