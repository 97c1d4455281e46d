// Steps on the page as a whole: navigate, wait, evaluate, screenshot, scroll, extract, back, forward.
// evaluate, extract and screenshot draw on the answer's caps (answer.ts AnswerBudget).
import vm from 'node:vm';
import type { Locator } from 'playwright-core';
import { NavisError } from '../errors.js';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../json.js';
import { withDeadline } from '../browsers/deadline.js';
import { AnswerBudget, captureScreenshot } from './answer.js';
import type { ActionHandler, StepContext } from './context.js';
import { locate } from './locate.js';
import { navigate as navigatePage, stepHistory } from './navigate.js';
import { openState } from './settle.js';

const navigate: ActionHandler<'navigate'> = async (action, step) => {
  const waitUntil = action.waitUntil ?? 'load';
  const opts = { guard: step.guard, waitUntil, timeoutMs: step.remainingMs(), failOnHttpError: action.failOnHttpError };
  if (!action.settle) {
    step.note(`navigate to ${action.url.slice(0, 200)} until ${waitUntil}`);
    const response = await navigatePage(step.page, action.url, opts);
    return { url: step.page.url(), status: response?.status() ?? null };
  }
  const opened = await openState(step.page, action.url, opts, step.settle);
  step.note(
    `navigate to ${action.url.slice(0, 200)} until ${waitUntil}, then settled (${opened.how}, ${opened.waitedMs} ms)`,
  );
  return { url: step.page.url(), status: opened.status };
};

const wait: ActionHandler<'wait'> = async (action, step) => {
  const started = Date.now();
  if (action.selector !== undefined) {
    const state = action.state ?? 'visible';
    step.note(`wait for '${action.selector}' to be ${state}`);
    await step.page.locator(action.selector).first().waitFor({ state, timeout: step.remainingMs() });
    return { selector: action.selector, state, waitedMs: Date.now() - started };
  }
  if (action.ms !== undefined) {
    const pause = Math.min(action.ms, step.remainingMs());
    step.note(`pause ${action.ms} ms`);
    await step.page.waitForTimeout(pause);
    if (pause < action.ms)
      throw new NavisError(
        'ACTION_TIMEOUT',
        `timed out after ${step.timeoutMs} ms, before the pause of ${action.ms} ms was over. Raise timeoutMs or pause less.`,
      );
    return { waitedMs: Date.now() - started };
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
    const response = await stepHistory(step.page, direction, {
      guard: step.guard,
      waitUntil,
      timeoutMs: step.remainingMs(),
    });
    if (!response && step.page.url() === before) {
      throw new NavisError(
        'ACTION_FAILED',
        `there is no page to go ${direction} to in this tab's history (it is on ${before}).`,
      );
    }
    return { url: step.page.url(), status: response?.status() ?? null };
  };

/**
 * How a script runs, as the DevTools console and Playwright's page.evaluate(string) read it: an
 * expression answers its value (`document.title`, `({a: 1})`); statements answer the value of the
 * last one (`1; 2` is 2, `const a = 1; a + 1` is 2: indirect eval's completion value, with `var`
 * and function declarations landing on window as in the console); a script that only parses as a
 * function body (a top-level `return`, or `await`) runs as the body of an async function and
 * answers what it returns. Only parsed here, in navis; nothing runs until the page runs it.
 */
export function scriptForm(script: string): { form: 'statements' | 'body'; source: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- parses only; nothing runs here
    new Function(`return (${script}\n)`);
    return { form: 'body', source: `return (${script}\n);` };
  } catch {
    // not an expression
  }
  try {
    new vm.Script(script);
    return { form: 'statements', source: script };
  } catch {
    return { form: 'body', source: script };
  }
}

/** The answer a step's result goes into; a step run without one has the default caps to itself. */
const answerOf = (step: StepContext) => step.answer ?? new AnswerBudget();

const evaluate: ActionHandler<'evaluate'> = async (action, step) => {
  step.note('evaluate script');
  const { form, source: script } = scriptForm(action.script);
  const answer = answerOf(step);
  // The value is turned into JSON and measured in the page: JSON longer than the answer allows
  // stays there, only its length crosses over (a 500 MB string never reaches navis).
  const run = step.page.evaluate(
    async ([source, how, maxChars]) => {
      let value: unknown;
      try {
        // Runs in the page: the tenant's script is the point. Indirect eval runs in the global scope
        // and answers the completion value (the last statement's).
        // (No named function may be declared in here: the test loader's __name helper does not exist in the page.)
        const indirectEval = eval;
        value =
          how === 'statements'
            ? await indirectEval(source)
            : // eslint-disable-next-line @typescript-eslint/no-implied-eval -- as above
              await (new Function(`return (async () => {\n${source}\n})()`) as () => Promise<unknown>)();
      } catch (error) {
        return {
          ok: false as const,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        };
      }
      // Only JSON comes back, so the response can always be sent: what JSON.stringify refuses
      // (cycles, BigInt) or leaves out (undefined, functions, symbols) is null. A RangeError is a
      // value too large for one string (or nested too deep to write out): too large either way.
      let json: unknown;
      try {
        json = JSON.stringify(value) ?? 'null';
      } catch (error) {
        if (error instanceof RangeError) return { ok: true as const, chars: maxChars + 1, unwritable: true };
        json = 'null';
      }
      const text = typeof json === 'string' ? json : 'null';
      return text.length > maxChars ? { ok: true as const, chars: text.length } : { ok: true as const, json: text };
    },
    [script, form, answer.resultAllowance()] as const,
  );
  // A script still running at the deadline (a loop) is stopped by the executor (page-recovery.ts).
  const outcome = await withDeadline(
    run,
    step.remainingMs(),
    `timed out after ${step.timeoutMs} ms waiting for the script to finish.`,
  );
  if (!outcome.ok) throw new NavisError('ACTION_FAILED', `the script threw ${outcome.error}`);
  const what = "the script's value as JSON";
  const advice = 'Return less from the script (slice, filter or summarise it in the page)';
  if (outcome.json === undefined) {
    const why = outcome.unwritable ? ' (too large for one JavaScript string, or nested too deep to write out)' : '';
    throw answer.refusal(`${what}${why}`, outcome.chars, advice, { atLeast: true });
  }
  answer.carry(what, Buffer.byteLength(outcome.json), advice);
  const value = JSON.parse(outcome.json) as unknown;
  if (nestedDeeperThan(value, MAX_JSON_DEPTH))
    throw new NavisError(
      'ACTION_FAILED',
      `the script's value nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep, too deep to return. Return a flatter value, or JSON.stringify it in the page and return the string.`,
    );
  return { value };
};

const screenshot: ActionHandler<'screenshot'> = async (action, step) => {
  step.note(action.selector ? `screenshot of '${action.selector}'` : 'screenshot of the page');
  const element = action.selector !== undefined ? locate(step.page, action.selector) : undefined;
  const buffer = await captureScreenshot(
    step.page,
    { fullPage: action.fullPage ?? false, element, selector: action.selector },
    step.remainingMs(),
    answerOf(step),
  );
  return { screenshot: buffer.toString('base64') };
};

const scroll: ActionHandler<'scroll'> = async (action, step) => {
  if (action.coordinates) {
    const { x, y } = action.coordinates;
    step.note(`scroll the page to ${x},${y}`);
    const scrolled = step.page.evaluate(([sx, sy]) => window.scrollTo(sx, sy), [x, y] as const);
    await withDeadline(
      scrolled,
      step.remainingMs(),
      `timed out after ${step.timeoutMs} ms scrolling to ${x},${y} (the page did not respond).`,
    );
  } else if (action.direction && action.selector !== undefined) {
    // An element's own content: a text area read to its end, a list scrolled to its top.
    step.note(`scroll '${action.selector}' ${action.direction}`);
    await locate(step.page, action.selector).evaluate(
      (el, direction) => {
        if (direction === 'up' || direction === 'down')
          el.scrollBy(0, (direction === 'up' ? -0.8 : 0.8) * el.clientHeight);
        else el.scrollTo(0, direction === 'top' ? 0 : el.scrollHeight);
      },
      action.direction,
      { timeout: step.remainingMs() },
    );
  } else if (action.direction) {
    step.note(`scroll ${action.direction}`);
    const scrolled = step.page.evaluate((direction) => {
      if (direction === 'up' || direction === 'down')
        window.scrollBy(0, (direction === 'up' ? -0.8 : 0.8) * window.innerHeight);
      else window.scrollTo(0, direction === 'top' ? 0 : document.documentElement.scrollHeight);
    }, action.direction);
    await withDeadline(
      scrolled,
      step.remainingMs(),
      `timed out after ${step.timeoutMs} ms scrolling ${action.direction} (the page did not respond).`,
    );
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
  const [scrollX, scrollY] = await withDeadline(
    position,
    step.remainingMs(),
    `timed out after ${step.timeoutMs} ms reading the scroll position (the page did not respond).`,
  );
  return { scrollX, scrollY };
};

const extract: ActionHandler<'extract'> = async (action, step) => {
  step.note(action.selector ? `read the text of '${action.selector}'` : 'read the page text');
  const target = action.selector ? locate(step.page, action.selector) : step.page.locator('body');
  const answer = answerOf(step);
  const what = `the text of '${action.selector ?? 'body'}'`;
  const advice = 'Extract a smaller element (selector) or read a part with evaluate';
  await refuseTextPastAllowance(step, target, answer, what, advice);
  // A form field's text is its value (a select's: the chosen option's label); a password is never
  // read back. Read with Playwright's own calls (its utility world): an evaluate in the page's main
  // world would first cost ~30 ms of set-up after every navigation (bench/sites). Whether the
  // element is itself a field is asked of the element: inputValue() alone would follow a <label>
  // to the field it labels (and read a password through it).
  const timeout = step.remainingMs();
  const field = target.and(step.page.locator('input, textarea, select'));
  const count = (locator: Locator) =>
    withDeadline(locator.count(), Math.max(1, step.remainingMs()), 'busy').catch(() => 0);
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
    const [value, inputType, chosen] = await Promise.all([
      field.inputValue(options),
      field.getAttribute('type', options),
      field.locator('option:checked').allInnerTexts(),
    ]);
    text = inputType?.toLowerCase() === 'password' ? '' : (chosen[0] ?? value);
  }
  const tidy = text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  answer.carry(what, Buffer.byteLength(tidy), advice);
  return { text: tidy };
};

/**
 * Text past the answer's allowance is refused before it is read, so it never crosses over. First
 * a cheap bound on all the page's text (an evaluate without selector, no ~30 ms set-up in the
 * page's world); only when that is over, the element's own text is measured in the page.
 */
async function refuseTextPastAllowance(
  step: StepContext,
  target: Locator,
  answer: AnswerBudget,
  what: string,
  advice: string,
): Promise<void> {
  const allowance = answer.resultAllowance();
  const bound = step.page.evaluate(() => {
    const root = document.documentElement;
    if (!root) return 0;
    // innerText is the text nodes, a few line breaks or tabs per element, and (for a field) its value.
    let chars = 4 * root.getElementsByTagName('*').length;
    const texts = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (texts.nextNode()) chars += (texts.currentNode as Text).length;
    for (const field of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea'))
      chars += field.value.length;
    return chars;
  });
  const busy = `timed out after ${step.timeoutMs} ms measuring the page's text (the page did not respond).`;
  if ((await withDeadline(bound, step.remainingMs(), busy)) <= allowance) return;
  const chars = await target.evaluate(
    (el) =>
      el instanceof HTMLInputElement
        ? el.type === 'password'
          ? 0
          : el.value.length
        : el instanceof HTMLTextAreaElement
          ? el.value.length
          : el instanceof HTMLSelectElement
            ? 0 // the chosen option's label
            : el instanceof HTMLElement
              ? el.innerText.length
              : (el.textContent ?? '').length,
    undefined,
    { timeout: step.remainingMs() },
  );
  if (chars > allowance) throw answer.refusal(what, chars, advice, { atLeast: true });
}

export const pageHandlers = {
  navigate,
  wait,
  evaluate,
  screenshot,
  scroll,
  extract,
  back: historyStep('back'),
  forward: historyStep('forward'),
};
