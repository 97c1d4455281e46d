// What the page said back to a click or key press (issue 12, "never a false success"): the
// browser's own form validation refusing a submit (the `invalid` events it fires on the controls
// it blocked on, with their validationMessage), and error alerts the input made appear (role=alert,
// role=alertdialog, aria-live=assertive) that were not shown before it. A role=status message is
// not an error. Read in the executor's click and press handlers and returned in the step's result
// (`pageSaid`): a typed task reports it and carries on (the click did happen, seed 003); a
// natural-language step fails on it (agent/steps.ts), so one reading serves both.
import type { Page } from '../browsers/playwright.js';
import { withDeadline } from '../browsers/deadline.js';
import { LOOK_MS } from './locate.js';
import type { StepContext } from './context.js';
import { followNavigation } from './caused-navigation.js';
import { installPageScript } from './targets.js';

/** What the page said: a refused submit, or an error alert it showed. */
export type PageSaid = { refused: { field: string; message: string } } | { alert: string };

/** How long after a form submit with no answer yet the page may take to show an error (a login checked by a request). */
const ANSWER_WAIT_MS = 1500;
/** Once the page changed after a submit, it has answered when it stays quiet this long. */
const QUIET_MS = 150;

/**
 * The page side, as plain JavaScript text (like page-script.ts, so no TypeScript tooling adds
 * helpers to it): WATCH remembers the alerts shown now and watches the input's `invalid` and
 * `submit` events and the DOM changes under alerts; READ waits for a submitted form's answer, then
 * says what is new. A toast marked as a success or an information is no error (react-toastify
 * marks every toast role=alert).
 */
const PAGE_SIDE = String.raw`
  const KEY = '__navisFeedback';
  const ALERTS = '[role=alert], [role=alertdialog], [aria-live=assertive]';
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim();
  // A status or log region (an autocomplete's "3 results are available") and a screen-reader-only
  // announcer (1px, clipped) speak to assistive technology; they are not the page refusing anything.
  const srOnly = (el) => { const r = el.getBoundingClientRect(); return r.width <= 1 || r.height <= 1; };
  const benign = (el) => el.matches('[role=status], [role=log]') || srOnly(el) || !!el.closest('[class*=success], [class*=info], [data-type=success], [data-type=info]');
  const shown = () => [...document.querySelectorAll(ALERTS)].filter((el) => el.checkVisibility() && norm(el.innerText) && !benign(el));
`;

const WATCH = `(() => {${PAGE_SIDE}
  if (window[KEY]) window[KEY].stop(); // a watch left by a look that timed out
  const state = { before: new Set(shown().map((el) => norm(el.innerText))), changed: new Set(), invalid: [], submittedAt: 0, changedAt: 0 };
  const observer = new MutationObserver((records) => {
    state.changedAt = performance.now();
    for (const record of records) {
      const node = record.target.nodeType === 1 ? record.target : record.target.parentElement;
      const alert = node && node.closest(ALERTS);
      if (alert) state.changed.add(alert);
      for (const added of record.addedNodes)
        if (added.nodeType === 1) for (const inner of added.querySelectorAll(ALERTS)) state.changed.add(inner);
    }
  });
  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  const onInvalid = (event) => state.invalid.push(event.target);
  const onSubmit = () => { state.submittedAt = performance.now(); };
  document.addEventListener('invalid', onInvalid, true);
  document.addEventListener('submit', onSubmit, true);
  window[KEY] = { state, stop() {
    observer.disconnect();
    document.removeEventListener('invalid', onInvalid, true);
    document.removeEventListener('submit', onSubmit, true);
    delete window[KEY];
  } };
})()`;

const READ = (waitMs: number) => `(async () => {${PAGE_SIDE}
  const watch = window[KEY];
  if (!watch) return undefined; // another document: the input opened a page
  const { state } = watch;
  const fresh = () => shown().find((el) => !state.before.has(norm(el.innerText)) || state.changed.has(el));
  if (state.submittedAt && !fresh()) {
    const until = performance.now() + ${waitMs};
    while (performance.now() < until && !fresh()) {
      if (state.changedAt > state.submittedAt && performance.now() - state.changedAt >= ${QUIET_MS}) break;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }
  watch.stop();
  const invalid = state.invalid.find((el) => el.validationMessage);
  if (invalid) {
    const field = (window.__navis && norm(window.__navis.describe(invalid).name)) || invalid.getAttribute('name') || invalid.tagName.toLowerCase();
    return { refused: { field, message: invalid.validationMessage } };
  }
  const alert = fresh();
  return alert ? { alert: norm(alert.innerText).slice(0, 300) } : undefined;
})()`;

/**
 * Runs `act` (a click's or key press's input) as followNavigation does, and says what the page
 * said back to it. A page that cannot be watched (busy, closing) just says nothing.
 */
export async function actAndListen<T>(
  step: StepContext,
  detail: string,
  act: () => Promise<T>,
): Promise<{ result: T; said?: PageSaid }> {
  const watching = await watchFeedback(step.page, step.remainingMs());
  const result = await followNavigation(step, detail, act);
  if (!watching || step.page.isClosed()) return { result };
  const waitMs = Math.min(ANSWER_WAIT_MS, step.remainingMs());
  const read = step.page.evaluate<PageSaid | undefined>(READ(waitMs));
  // A page that does not answer said nothing: the step's deadline deals with it (page-recovery.ts).
  const said = await withDeadline(read, waitMs + LOOK_MS, 'busy').catch(() => undefined);
  return said ? { result, said } : { result };
}

async function watchFeedback(page: Page, ms: number): Promise<boolean> {
  const look = (async () => {
    await installPageScript(page);
    await page.evaluate(WATCH);
    return true;
  })();
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), Math.min(ms, 1000)).unref());
  return Promise.race([look.catch(() => false), timeout]);
}

/** The page's answer in words, for a step that fails on it. */
export function describePageSaid(said: PageSaid): string {
  return 'refused' in said
    ? `the page refused: ${said.refused.field}: ${JSON.stringify(said.refused.message)}`
    : `the page said: ${JSON.stringify(said.alert)}`;
}
