// Steps that act on one element or send input: click, type, press, hover, select, uploadFile.
// A click or press that makes the tab navigate waits for the page it opened (caused-navigation.ts),
// and its result carries what the page said back to it, a refused submit or an error alert
// (page-feedback.ts `pageSaid`).
import type { Locator } from 'playwright-core';
import fs from 'node:fs';
import { NavisError } from '../errors.js';
import { withDeadline } from '../browsers/deadline.js';
import type { ActionHandler } from './context.js';
import { actAndListen, type PageSaid } from './page-feedback.js';
import { describedAlongside, locate, LOOK_MS } from './locate.js';

/** What the page said back, as the step's result carries it (nothing when it said nothing). */
const heard = (said: PageSaid | undefined) => (said ? { pageSaid: said } : {});

const click: ActionHandler<'click'> = async (action, step) => {
  const options = { button: action.button ?? 'left', clickCount: action.clickCount ?? 1 } as const;
  if (action.coordinates) {
    const { x, y } = action.coordinates;
    const detail = `click at ${x},${y}`;
    step.note(detail);
    const { said } = await actAndListen(step, detail, () =>
      withDeadline(
        step.page.mouse.click(x, y, options),
        step.remainingMs(),
        `timed out after ${step.timeoutMs} ms clicking at ${x},${y} (the page did not respond).`,
      ),
    );
    return { coordinates: action.coordinates, url: step.page.url(), ...heard(said) };
  }
  const detail = `click '${action.selector}'`;
  step.note(detail);
  const target = locate(step.page, action.selector!);
  const aim = await whereToClick(target);
  const press = () =>
    aim === 'dispatch'
      ? target.dispatchEvent('click', undefined, { timeout: step.remainingMs() })
      : target.click({ ...options, ...(aim ? { position: aim } : {}), timeout: step.remainingMs() });
  const { result: element, said } = await actAndListen(step, detail, () => describedAlongside(target, step, press()));
  return { selector: action.selector, element, url: step.page.url(), ...heard(said) };
};

/** How long the look at where to click may wait for the element: not there yet, the click itself waits. */
const AIM_MS = 250;

/**
 * Where a person would click an element: its middle, unless something covers the middle (two
 * buttons overlapping), then a part of it that shows. When no part of it takes the pointer because
 * the element around it does (an icon drawn with CSS content), the click is given to the element
 * itself, as it is for an icon drawn with CSS content. Undefined: the middle (or the element is not on screen yet, for click's own waiting).
 */
async function whereToClick(target: Locator): Promise<{ x: number; y: number } | 'dispatch' | undefined> {
  // No named functions inside: the page gets this code as written (see page-script.ts).
  return target
    .evaluate(
      (el) => {
        const first = el.getBoundingClientRect();
        if (!first.width || !first.height) return undefined;
        // An icon drawn with CSS content may swap its image (and lose its box) when pointed at.
        if (getComputedStyle(el).content.startsWith('url(')) return 'dispatch' as const;
        if (first.bottom < 0 || first.right < 0 || first.top > innerHeight || first.left > innerWidth)
          el.scrollIntoView({ block: 'center', inline: 'center' });
        const box = el.getBoundingClientRect();
        const points: Array<[number, number]> = [[0.5, 0.5]];
        for (const fy of [0.5, 0.25, 0.75, 0.1, 0.9])
          for (const fx of [0.5, 0.25, 0.75, 0.1, 0.9]) points.push([fx, fy]);
        for (const [fx, fy] of points) {
          const hit = document.elementFromPoint(box.left + box.width * fx, box.top + box.height * fy);
          if (hit && (hit === el || el.contains(hit)))
            return fx === 0.5 && fy === 0.5 ? undefined : { x: box.width * fx, y: box.height * fy };
        }
        const middle = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return middle && middle.contains(el) ? ('dispatch' as const) : undefined;
      },
      undefined,
      { timeout: AIM_MS },
    )
    .catch(() => undefined);
}

const type: ActionHandler<'type'> = async (action, step) => {
  step.note(`type ${action.text.length} characters into '${action.selector}'`);
  const target = locate(step.page, action.selector);
  if ((action.clear ?? true) && action.delayMs === undefined) {
    // The common case: set the value at once (input and change events fire, as for a paste).
    await target.fill(action.text, { timeout: step.remainingMs() });
  } else {
    // Key by key (keydown/keypress/keyup per character), for pages that listen to keys. Clearing
    // selects what the field holds for the first key to replace: fill('') would press Delete,
    // a key the page would see that is not in the text.
    if (action.clear ?? true) {
      if (action.text === '') await target.fill('', { timeout: step.remainingMs() });
      else await target.selectText({ timeout: step.remainingMs() });
    }
    await target.pressSequentially(action.text, { delay: action.delayMs ?? 0, timeout: step.remainingMs() });
  }
  // Not done is not success: a field the page disabled or emptied while the text went in (a popup
  // that came up on focus) holds nothing. Formatting (masks, trimming) is the page's business.
  if (action.text !== '') {
    const after = await target
      .evaluate((el) =>
        el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement
          ? { value: el.value, disabled: el.disabled }
          : undefined,
      )
      .catch(() => undefined);
    if (after && after.value === '')
      throw new NavisError(
        'ACTION_FAILED',
        `typed into '${action.selector}' but it is empty afterwards${after.disabled ? ' (the page disabled it)' : ''}: the page did not take the text. Deal with what interrupted it (a popup, a dialog) and type again.`,
      );
  }
  return { selector: action.selector, typedCharacters: action.text.length };
};

const press: ActionHandler<'press'> = async (action, step) => {
  let said: PageSaid | undefined;
  if (action.selector !== undefined) {
    const detail = `press ${action.key} in '${action.selector}'`;
    step.note(detail);
    ({ said } = await actAndListen(step, detail, () =>
      locate(step.page, action.selector!).press(action.key, { timeout: step.remainingMs() }),
    ));
  } else {
    const detail = `press ${action.key}`;
    step.note(detail);
    ({ said } = await actAndListen(step, detail, () =>
      withDeadline(
        step.page.keyboard.press(action.key),
        step.remainingMs(),
        `timed out after ${step.timeoutMs} ms pressing ${action.key} (the page did not respond).`,
      ),
    ));
  }
  return { key: action.key, url: step.page.url(), ...heard(said) };
};

const hover: ActionHandler<'hover'> = async (action, step) => {
  step.note(`hover '${action.selector}'`);
  const target = locate(step.page, action.selector);
  const element = await describedAlongside(target, step, target.hover({ timeout: step.remainingMs() }));
  return { selector: action.selector, element };
};

const select: ActionHandler<'select'> = async (action, step) => {
  step.note(`select '${action.text}' in '${action.selector}'`);
  const target = locate(step.page, action.selector);
  try {
    // Playwright matches the option by value or label itself: one call on the happy path.
    const kept = action.add
      ? await target.evaluate((el) =>
          el instanceof HTMLSelectElement && el.multiple ? [...el.selectedOptions].map((o) => o.value) : [],
        )
      : [];
    const wanted = kept.length ? [...kept, action.text] : action.text;
    const selected = await target.selectOption(wanted, { timeout: step.remainingMs() });
    return { selector: action.selector, selected };
  } catch (error) {
    if ((await withDeadline(target.count(), LOOK_MS, 'busy').catch(() => 0)) === 0) throw error; // the executor says it matched nothing
    // Say why, when we can tell: not a <select>, or no such option.
    const why = await target
      .evaluate(
        (el, wanted) =>
          !(el instanceof HTMLSelectElement)
            ? 'not-select'
            : [...el.options].some((o) => o.value === wanted || o.label.trim() === wanted || o.text.trim() === wanted)
              ? 'ok'
              : 'no-option',
        action.text,
        { timeout: 1000 },
      )
      .catch(() => 'ok');
    if (why === 'not-select') throw new NavisError('ACTION_FAILED', `'${action.selector}' is not a <select> element.`);
    if (why === 'no-option')
      throw new NavisError('ACTION_FAILED', `'${action.selector}' has no option labelled or valued '${action.text}'.`);
    throw error;
  }
};

const uploadFile: ActionHandler<'uploadFile'> = async (action, step) => {
  const file = step.resolveFile(action.filename);
  step.note(`set '${action.selector}' to file ${action.filename}`);
  const target = locate(step.page, action.selector);
  await target.setInputFiles(file, { timeout: step.remainingMs() });
  return { selector: action.selector, filename: action.filename, size: fs.statSync(file).size };
};

const check: ActionHandler<'check'> = async (action, step) => {
  const checked = action.checked ?? true;
  step.note(`${checked ? 'check' : 'uncheck'} '${action.selector}'`);
  const target = locate(step.page, action.selector);
  await target.setChecked(checked, { timeout: step.remainingMs() });
  return { selector: action.selector, checked };
};

const focus: ActionHandler<'focus'> = async (action, step) => {
  step.note(`focus '${action.selector}'`);
  const target = locate(step.page, action.selector);
  const element = await describedAlongside(target, step, target.focus({ timeout: step.remainingMs() }));
  return { selector: action.selector, element };
};

export const inputHandlers = { click, type, press, hover, select, uploadFile, check, focus };
