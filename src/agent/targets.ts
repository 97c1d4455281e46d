// Finding a step's element again: a Target keeps several locators (role+name, test id, label,
// placeholder, text, CSS path), tried in that order. When the target has a role and a name, the
// element found must still have them, so a relabelled or replaced element is reported as changed
// instead of being clicked.
import type { Page } from 'playwright-core';
import { describeLocated } from './snapshot.js';
import type { ElementInfo, Target } from './types.js';

export function targetOf(element: ElementInfo): Target {
  const target: Target = { css: element.css };
  if (element.role && element.role !== 'generic') target.role = element.role;
  if (element.name) target.name = element.name;
  if (element.label) target.label = element.label;
  if (element.placeholder) target.placeholder = element.placeholder;
  if (element.text && element.text.length <= 80) target.text = element.text;
  if (element.testId) target.testId = element.testId;
  return target;
}

/** In words, for results and errors: `button "Save"`. */
export function describeTarget(target: Target): string {
  if (target.role && target.name) return `${target.role} "${target.name}"`;
  return target.label ?? target.placeholder ?? target.text ?? target.css ?? 'element';
}

/** "clicked", "double-clicked", "right-clicked": for summaries. */
export function clickedWord(how: 'double' | 'right' | undefined): string {
  return how ? `${how}-clicked` : 'clicked';
}

const q = (s: string) => JSON.stringify(s);

/** Playwright selectors for a target, most robust first (the same engines as getByRole, getByLabel…). */
export function selectorsFor(target: Target): string[] {
  const out: string[] = [];
  if (target.role && target.name) out.push(`internal:role=${target.role}[name=${q(target.name)}s]`);
  if (target.testId) out.push(`[data-testid=${q(target.testId)}], [data-test=${q(target.testId)}], [data-qa=${q(target.testId)}]`);
  if (target.label) out.push(`internal:label=${q(target.label)}s`);
  if (target.placeholder) out.push(`internal:attr=[placeholder=${q(target.placeholder)}s]`);
  if (target.text) out.push(`internal:text=${q(target.text)}s`);
  if (target.css) out.push(target.css);
  return out;
}

const norm = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim().toLowerCase();

export type Resolution = { ok: true; selector: string } | { ok: false; reason: string };

/**
 * The selector that finds the target now, preferring a visible match; waits up to `timeoutMs` for
 * the page to show it. With `verify`, an element whose role or accessible name differs from the
 * target's does not count.
 */
export async function resolveTarget(page: Page, target: Target, opts: { timeoutMs: number; verify: boolean }): Promise<Resolution> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastSeen = '';
  for (;;) {
    for (const selector of selectorsFor(target)) {
      const visibleSelector = `${selector} >> visible=true >> nth=0`;
      const anySelector = `${selector} >> nth=0`;
      const found =
        (await page.locator(visibleSelector).count().catch(() => 0)) > 0
          ? visibleSelector
          : (await page.locator(anySelector).count().catch(() => 0)) > 0
            ? anySelector
            : undefined;
      if (!found) continue;
      // Found by role and exact name: Playwright's own role selector already verified both.
      const byRoleAndName = selector.startsWith('internal:role=');
      if (!opts.verify || !target.role || !target.name || byRoleAndName) return { ok: true, selector: found };
      const seen = await describeLocated(page.locator(found)).catch(() => undefined);
      if (seen && seen.role === target.role && norm(seen.name) === norm(target.name)) return { ok: true, selector: found };
      if (seen) lastSeen = `${seen.role} "${seen.name}"`;
    }
    if (Date.now() >= deadline) {
      return {
        ok: false,
        reason: lastSeen
          ? `${describeTarget(target)} changed: the element found there is now ${lastSeen}`
          : `${describeTarget(target)} is not on ${page.url()}`,
      };
    }
    await page.waitForTimeout(100);
  }
}
