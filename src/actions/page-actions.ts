// Steps on the page as a whole: navigate, wait, evaluate, screenshot, scroll.
import type { CDPSession, Locator } from 'playwright-core';
import type { Page } from '../browsers/playwright.js';
import { NavisError } from '../errors.js';
import { withDeadline } from '../browsers/deadline.js';
import type { ActionHandler } from './executor.js';
import { locate } from './locate.js';

const navigate: ActionHandler<'navigate'> = async (action, step) => {
  let url: string;
  try {
    url = new URL(action.url).href;
  } catch {
    throw new NavisError('INVALID_REQUEST', `url '${action.url.slice(0, 200)}' is not an absolute URL (include the scheme, e.g. https://).`);
  }
  step.note(`navigate to ${url} until ${action.waitUntil ?? 'load'}`);
  const response = await step.page.goto(url, { waitUntil: action.waitUntil ?? 'load', timeout: step.remainingMs() });
  return { url: step.page.url(), status: response?.status() ?? null };
};

const wait: ActionHandler<'wait'> = async (action, step) => {
  const started = Date.now();
  if (action.selector !== undefined) {
    const state = action.state ?? 'visible';
    step.note(`wait for '${action.selector}' to be ${state}`);
    await step.page.locator(action.selector).first().waitFor({ state, timeout: step.remainingMs() });
    return { selector: action.selector, state, waitedMs: Date.now() - started };
  }
  step.note(`wait for text '${action.text}'`);
  await step.page.getByText(action.text!).first().waitFor({ state: 'visible', timeout: step.remainingMs() });
  return { text: action.text, waitedMs: Date.now() - started };
};

/** back / forward: one step through the tab's history; a tab with nowhere to go is a failure, not a no-op. */
const historyStep =
  (direction: 'back' | 'forward'): ActionHandler<'back' | 'forward'> =>
  async (action, step) => {
    const before = step.page.url();
    const waitUntil = action.waitUntil ?? 'load';
    step.note(`go ${direction} until ${waitUntil}`);
    const options = { waitUntil, timeout: step.remainingMs() };
    const response = direction === 'back' ? await step.page.goBack(options) : await step.page.goForward(options);
    if (!response && step.page.url() === before) {
      throw new NavisError('ACTION_FAILED', `there is no page to go ${direction} to in this tab's history (it is on ${before}).`);
    }
    return { url: step.page.url(), status: response?.status() ?? null };
  };

/** A script is either an expression (`document.title`) or a function body with `return`. */
function asFunctionBody(script: string): string {
  try {
    new Function(`return (${script}\n)`); // parses only; nothing runs here
    return `return (${script}\n);`;
  } catch {
    return script;
  }
}

/**
 * A CDP session per page, attached before a script runs: a script that overruns its deadline is
 * stopped through it (Runtime.terminateExecution reaches a busy page only over a session attached
 * beforehand). Kept for the page's life; undefined when it cannot be attached.
 */
const scriptStoppers = new WeakMap<Page, Promise<CDPSession | undefined>>();

function scriptStopper(page: Page): Promise<CDPSession | undefined> {
  let stopper = scriptStoppers.get(page);
  if (!stopper) {
    stopper = page
      .context()
      .newCDPSession(page)
      .catch(() => undefined);
    scriptStoppers.set(page, stopper);
  }
  return stopper;
}

/** How long a page may take to answer a trivial script before it counts as busy. */
const BUSY_PROBE_MS = 250;

/**
 * After a script overran its deadline: when the page is still busy running it (a loop), stop it,
 * so the next step or task finds the page usable. A script that only awaits something that never
 * comes leaves the page free and is left alone (stopping then would hit the page's next script).
 */
async function stopIfBusy(page: Page, stopper: CDPSession): Promise<void> {
  const busy = await withDeadline(page.evaluate(() => true), BUSY_PROBE_MS, 'busy').then(
    () => false,
    () => !page.isClosed(),
  );
  if (busy) await stopper.send('Runtime.terminateExecution').catch(() => {});
}

const evaluate: ActionHandler<'evaluate'> = async (action, step) => {
  step.note('evaluate script');
  const stopper = await scriptStopper(step.page);
  const body = asFunctionBody(action.script);
  const run = step.page.evaluate(async (source) => {
    // eslint-disable-next-line no-new-func
    const fn = new Function(`return (async () => {\n${source}\n})()`);
    let value: unknown;
    try {
      value = await fn();
    } catch (error) {
      return { ok: false as const, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
    // Only JSON comes back, so the response can always be sent: what JSON.stringify refuses
    // (cycles, BigInt) or leaves out (undefined, functions, symbols) is null.
    try {
      return { ok: true as const, json: JSON.stringify(value) ?? 'null' };
    } catch {
      return { ok: true as const, json: 'null' };
    }
  }, body);
  const outcome = await withDeadline(run, step.remainingMs(), `timed out after ${step.timeoutMs} ms waiting for the script to finish (a script still running then is stopped).`).catch(
    async (error: unknown) => {
      if (error instanceof NavisError && error.code === 'ACTION_TIMEOUT' && stopper) await stopIfBusy(step.page, stopper);
      throw error;
    },
  );
  if (!outcome.ok) throw new NavisError('ACTION_FAILED', `the script threw ${outcome.error}`);
  return { value: JSON.parse(outcome.json) as unknown };
};

const screenshot: ActionHandler<'screenshot'> = async (action, step) => {
  step.note(action.selector ? `screenshot of '${action.selector}'` : 'screenshot of the page');
  const buffer = action.selector
    ? await locate(step.page, action.selector).screenshot({ timeout: step.remainingMs() })
    : await step.page.screenshot({ fullPage: action.fullPage ?? false, timeout: step.remainingMs() });
  return { screenshot: buffer.toString('base64') };
};

const scroll: ActionHandler<'scroll'> = async (action, step) => {
  if (action.coordinates) {
    const { x, y } = action.coordinates;
    step.note(`scroll the page to ${x},${y}`);
    const scrolled = step.page.evaluate(([sx, sy]) => window.scrollTo(sx, sy), [x, y] as const);
    await withDeadline(scrolled, step.remainingMs(), `timed out after ${step.timeoutMs} ms scrolling to ${x},${y} (the page did not respond).`);
  } else if (action.selector !== undefined) {
    step.note(`scroll '${action.selector}' into view`);
    await locate(step.page, action.selector).scrollIntoViewIfNeeded({ timeout: step.remainingMs() });
  } else {
    step.note(`scroll to text '${action.text}'`);
    const target = step.page.getByText(action.text!).first();
    try {
      await target.waitFor({ state: 'attached', timeout: step.remainingMs() });
    } catch (error) {
      if ((error as Error).name !== 'TimeoutError') throw error;
      throw new NavisError('SELECTOR_NOT_FOUND', `text '${action.text}' is not on ${step.page.url()}.`);
    }
    await target.scrollIntoViewIfNeeded({ timeout: step.remainingMs() });
  }
  const position = step.page.evaluate(() => [window.scrollX, window.scrollY]);
  const [scrollX, scrollY] = await withDeadline(position, step.remainingMs(), `timed out after ${step.timeoutMs} ms reading the scroll position (the page did not respond).`);
  return { scrollX, scrollY };
};

const extract: ActionHandler<'extract'> = async (action, step) => {
  step.note(action.selector ? `read the text of '${action.selector}'` : 'read the page text');
  const target = action.selector ? locate(step.page, action.selector) : step.page.locator('body');
  // A form field's text is its value (a select's: the chosen option's label); a password is never
  // read back. Read with Playwright's own calls (its utility world): an evaluate in the page's main
  // world would first cost ~30 ms of set-up after every navigation (bench/sites). Whether the
  // element is itself a field is asked of the element: inputValue() alone would follow a <label>
  // to the field it labels (and read a password through it).
  const timeout = step.remainingMs();
  const field = target.and(step.page.locator('input, textarea, select'));
  const count = (locator: Locator) => withDeadline(locator.count(), Math.max(1, step.remainingMs()), 'busy').catch(() => 0);
  const [inner, fieldsThen, targetsThen] = await Promise.all([
    target.innerText({ timeout }).catch(async (error: Error) => {
      if (error.name === 'TimeoutError') throw error;
      return (await target.textContent({ timeout })) ?? ''; // not an HTML element (SVG)
    }),
    count(field),
    count(target),
  ]);
  // count() does not wait: for an element that appeared only while innerText waited, ask again.
  const isField = (targetsThen > 0 ? fieldsThen : await count(field)) > 0;
  let text = inner;
  if (isField) {
    const options = { timeout: step.remainingMs() };
    const [value, inputType, chosen] = await Promise.all([field.inputValue(options), field.getAttribute('type', options), field.locator('option:checked').allInnerTexts()]);
    text = inputType?.toLowerCase() === 'password' ? '' : (chosen[0] ?? value);
  }
  return { text: text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim() };
};

export const pageHandlers = { navigate, wait, evaluate, screenshot, scroll, extract, back: historyStep('back'), forward: historyStep('forward') };
