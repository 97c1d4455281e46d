// The task of bench/tasks, shared with the benches that reuse it (remote, density, soak): on
// test/fixtures/actions.html, type a name, click Greet, wait for the greeting, read it back, pick an
// option, hover, take a screenshot. navis gets it as one Run Task body; raw playwright-core runs the
// same calls on a page. Both sides check what they read back, so a bench of a broken task fails
// instead of printing numbers.
import type { Page } from 'playwright-core';

/** The fixture page (test/fixtures/actions.html) and what the task does on it. */
export const GREETING_PAGE = '/actions.html';
const SEL = { name: '#name', greet: '#greet', greeting: '#greeting', color: '#color', hover: '#hover-target' } as const;
const OPTION_LABEL = 'Green';
const OPTION_VALUE = 'g';

/** The 8 steps, in order: navis's action types. */
export const GREETING_ACTIONS = [
  'navigate',
  'type',
  'click',
  'wait',
  'evaluate',
  'select',
  'hover',
  'screenshot',
] as const;
export type GreetingAction = (typeof GREETING_ACTIONS)[number];

/** The body of `POST /browser/sessions/{id}/tasks`; `name` differs per run so an earlier greeting cannot meet the wait. */
export function greetingTask(pageUrl: string, name: string) {
  return {
    actions: [
      { type: 'navigate', url: pageUrl, waitUntil: 'load' },
      { type: 'type', selector: SEL.name, text: name },
      { type: 'click', selector: SEL.greet },
      { type: 'wait', text: `Hello, ${name}` },
      { type: 'evaluate', script: `document.querySelector('${SEL.greeting}').textContent` },
      { type: 'select', selector: SEL.color, text: OPTION_LABEL },
      { type: 'hover', selector: SEL.hover },
      { type: 'screenshot' },
    ],
  };
}

/** What the benches read from navis's answer. */
export interface TaskAnswer {
  actionResults: Array<Record<string, unknown>>;
  stepLog: Array<{ type: string; durationMs: number; status: string }>;
}

/** Checks what a run read back. */
export function check(side: string, what: string, got: unknown, wanted: unknown): void {
  if (JSON.stringify(got) !== JSON.stringify(wanted))
    throw new Error(`${side}: ${what} was ${JSON.stringify(got)}, expected ${JSON.stringify(wanted)}`);
}

/** Checks navis's answer to greetingTask(…, name) and returns the screenshot's PNG. */
export function checkGreetingAnswer(answer: TaskAnswer, name: string): Buffer {
  check(
    'navis',
    'the step types',
    answer.stepLog.map((s) => s.type),
    GREETING_ACTIONS,
  );
  check('navis', 'the evaluated greeting', answer.actionResults[4].value, `Hello, ${name}`);
  check('navis', 'the selected option', answer.actionResults[5].selected, [OPTION_VALUE]);
  return Buffer.from(answer.actionResults[7].screenshot as string, 'base64');
}

/**
 * The same task in raw playwright-core on `page`. `mark` is called after each step (with its
 * action type) and once more between the screenshot and its base64 ('png'). Returns the PNG's base64.
 */
export async function rawGreetingTask(
  page: Page,
  pageUrl: string,
  name: string,
  timeout: number,
  mark: (after: GreetingAction | 'png') => void = () => {},
): Promise<string> {
  await page.goto(pageUrl, { waitUntil: 'load', timeout });
  mark('navigate');
  await page.locator(SEL.name).fill(name, { timeout });
  mark('type');
  await page.locator(SEL.greet).click({ timeout });
  mark('click');
  await page.getByText(`Hello, ${name}`).first().waitFor({ state: 'visible', timeout });
  mark('wait');
  const greeting = await page.evaluate((sel) => document.querySelector(sel)!.textContent, SEL.greeting);
  mark('evaluate');
  const selected = await page.locator(SEL.color).selectOption({ label: OPTION_LABEL }, { timeout });
  mark('select');
  await page.locator(SEL.hover).hover({ timeout });
  mark('hover');
  const png = await page.screenshot({ fullPage: false, timeout });
  mark('png');
  const base64 = png.toString('base64');
  mark('screenshot');
  check('raw', 'the evaluated greeting', greeting, `Hello, ${name}`);
  check('raw', 'the selected option', selected, [OPTION_VALUE]);
  return base64;
}
