// The rule planner against real pages: a tiny loop in this file takes a snapshot, asks the planner
// for the next step, runs it with plain Playwright calls by the target's CSS path, and repeats
// until done or fail (at most 20 steps). Each test checks what the page ended up showing and the
// planner's result or error.
import assert from 'node:assert/strict';
import { after, before, beforeEach, afterEach, describe, test } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { RulePlanner } from '../../src/agent/rules/index.js';
import { takeSnapshot } from '../../src/agent/snapshot.js';
import type { Action, Target } from '../../src/actions/schemas.js';
import type { PlannerDecision, StepRecord } from '../../src/agent/types.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';

/** "Tomorrow" is 2025-03-15 in every test. */
const NOW = new Date(2025, 2, 14, 10, 0);
const MAX_STEPS = 20;

let browser: Browser;
let fixtures: FixtureServer;
let context: BrowserContext;
let page: Page;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  fixtures = await startFixtureServer();
});
after(async () => {
  await browser?.close();
  await fixtures?.close();
});
beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
  page.setDefaultTimeout(5000);
});
afterEach(async () => {
  await context.close();
});

const open = (name: string) => page.goto(`${fixtures.url}/agent/${name}`);

/** Runs one planned step the simple way: by the target's CSS path. */
async function execute(step: Action): Promise<StepRecord> {
  const at = (target: Target | undefined) => page.locator(target?.css ?? 'body').first();
  switch (step.type) {
    case 'navigate':
      await page.goto(step.url);
      break;
    case 'back':
      await page.goBack();
      break;
    case 'forward':
      await page.goForward();
      break;
    case 'click':
      await at(step.target).click({ clickCount: step.clickCount, button: step.button });
      break;
    case 'type':
      await at(step.target).fill(step.text);
      break;
    case 'select':
      await at(step.target).selectOption({ label: step.text });
      break;
    case 'check':
      await at(step.target).setChecked(step.checked ?? true);
      break;
    case 'press':
      if (step.target) await at(step.target).press(step.key);
      else await page.keyboard.press(step.key);
      break;
    case 'hover':
      await at(step.target).hover();
      break;
    case 'focus':
      await at(step.target).focus();
      break;
    case 'scroll':
      if (step.target) await at(step.target).scrollIntoViewIfNeeded();
      else
        await page.evaluate(
          (direction) =>
            window.scrollTo(
              0,
              direction === 'top'
                ? 0
                : direction === 'bottom'
                  ? document.body.scrollHeight
                  : window.scrollY + (direction === 'up' ? -500 : 500),
            ),
          step.direction,
        );
      break;
    case 'wait':
      if (step.target) await at(step.target).waitFor();
      else if (step.text) await page.getByText(step.text).first().waitFor();
      else await page.waitForTimeout(step.ms ?? 0);
      break;
    case 'extract': {
      const extracted = step.target ? await at(step.target).innerText() : await page.locator('body').innerText();
      return { step, summary: `read ${step.description ?? 'the page'}`, extracted };
    }
    default:
      throw new Error(`the rule planner planned a ${step.type} step`);
  }
  return { step, summary: step.type };
}

interface Run {
  decision: PlannerDecision;
  history: StepRecord[];
}

/** The planner loop: snapshot → next → execute, until done or fail. */
async function run(instruction: string): Promise<Run> {
  const planner = new RulePlanner({ now: () => NOW });
  const history: StepRecord[] = [];
  for (let i = 0; i <= MAX_STEPS; i++) {
    const snapshot = await takeSnapshot(page);
    const decision = await planner.next({ instruction, page: snapshot, history, variables: {} });
    if (decision.type !== 'step') return { decision, history };
    history.push(await execute(decision.step));
  }
  throw new Error(`no decision after ${MAX_STEPS} steps: ${JSON.stringify(history.map((record) => record.step))}`);
}

async function done(instruction: string): Promise<{ result: string; history: StepRecord[] }> {
  const { decision, history } = await run(instruction);
  assert.equal(decision.type, 'done', JSON.stringify(decision));
  return { result: (decision as { result: string }).result, history };
}

async function failure(instruction: string): Promise<string> {
  const { decision } = await run(instruction);
  assert.equal(decision.type, 'fail', JSON.stringify(decision));
  return (decision as { error: string }).error;
}

const status = () => page.locator('#status').innerText();
const valueOf = (selector: string) => page.locator(selector).inputValue();
const checked = (value: string) => page.locator(`[name=attendees][value=${value}]`).isChecked();

describe('calendar form', () => {
  test('types, selects, checks several boxes and clicks Save, and says so', async () => {
    await open('calendar.html');
    const { result } = await done(
      "Type 'Internal sync' into Title, select 15:00 in Time, check Alice and Bob, then click Save and wait for 'Saved'",
    );
    assert.equal(await valueOf('#title'), 'Internal sync');
    assert.equal(await valueOf('#time'), '15:00');
    assert.deepEqual([await checked('Alice'), await checked('Bob'), await checked('Carol')], [true, true, true]);
    assert.match(await status(), /^Saved "Internal sync" on no date at 15:00 with Alice, Bob, Carol$/);
    assert.equal(
      result,
      "Typed 'Internal sync' into Title, selected '15:00' in Time, checked Alice, checked Bob, clicked Save, waited for 'Saved'",
    );
  });

  test('seed 000: "Create a meeting called Internal sync for tomorrow at 3pm" fills title, date and time, then saves', async () => {
    await open('calendar.html');
    const { result } = await done('Create a meeting called Internal sync for tomorrow at 3pm');
    assert.equal(await valueOf('#title'), 'Internal sync');
    assert.equal(await valueOf('#date'), '2025-03-15');
    assert.equal(await valueOf('#time'), '15:00');
    await page.getByText('Saved "Internal sync"').waitFor();
    assert.equal(
      result,
      "Typed 'Internal sync' into Title, typed '2025-03-15' into Date, selected '15:00' in Time, clicked Save",
    );
  });

  test('unchecking and an already checked box: only what changes becomes a step', async () => {
    await open('calendar.html');
    const { result, history } = await done('check Carol and uncheck Bob, then uncheck Carol');
    assert.equal(await checked('Carol'), false);
    assert.equal(history.length, 1);
    assert.equal(result, 'Carol was already checked, Bob was already unchecked, unchecked Carol');
  });

  test('the meeting instruction finds a form behind a Create button, a mm/dd/yyyy date field and 12-hour options', async () => {
    await open('schedule.html');
    const { result } = await done('Create a meeting called Internal sync for tomorrow at 3pm');
    assert.equal(await status(), 'Scheduled Internal sync on 03/15/2025 at 3:00 PM');
    assert.equal(
      result,
      "Clicked Create, typed 'Internal sync' into Event title, typed '03/15/2025' into Start date, selected '3:00 PM' in Start time, clicked Save",
    );
  });

  test('the meeting instruction on a page without such a form fails and names the fields it saw', async () => {
    await open('login.html');
    const error = await failure('Create a meeting called Internal sync for tomorrow at 3pm');
    assert.equal(
      error,
      `could not find "the meeting's title" to type 'Internal sync' into; text fields on the page: "Username", "Password"`,
    );
  });

  test('"select X" with no dropdown named picks the one that has the option', async () => {
    await open('calendar.html');
    const { result } = await done('select 4pm');
    assert.equal(await valueOf('#time'), '16:00');
    assert.equal(result, "Selected '16:00' in Time");
  });

  test('steps replayed before planning count: only the rest is planned', async () => {
    await open('calendar.html');
    const replayed = await execute({
      type: 'type',
      target: { role: 'textbox', name: 'Title', css: '#title' },
      text: 'Internal sync',
    });
    const planner = new RulePlanner({ now: () => NOW });
    const history = [{ ...replayed, summary: "typed 'Internal sync' into Title" }];
    const first = await planner.next({
      instruction: "type 'Internal sync' into Title, then click Save",
      page: await takeSnapshot(page),
      history,
      variables: {},
    });
    assert.equal(first.type, 'step');
    assert.deepEqual(first.type === 'step' && first.step.type === 'click' && first.step.target?.name, 'Save');
    history.push(await execute((first as { step: Action }).step));
    const last = await planner.next({
      instruction: "type 'Internal sync' into Title, then click Save",
      page: await takeSnapshot(page),
      history,
      variables: {},
    });
    assert.deepEqual(last, { type: 'done', result: "Typed 'Internal sync' into Title, clicked Save" });
  });

  test('"enter X" with no field named goes into the field clicked just before', async () => {
    await open('calendar.html');
    await done('click the Notes field and enter Bring the slides');
    assert.equal(await valueOf('#notes'), 'Bring the slides');
  });

  test('a link on the page is opened by its text', async () => {
    await open('calendar.html');
    await done('open the Login link, then type alice into Username');
    assert.match(page.url(), /\/agent\/login\.html$/);
    assert.equal(await valueOf('[name=username]'), 'alice');
  });

  test('navigating to a name that is neither an address nor a link fails and lists the links', async () => {
    await open('calendar.html');
    const error = await failure('Navigate to Google Calendar');
    assert.match(error, /could not navigate to "Google Calendar": it is not an address/);
    assert.match(error, /links on the page: "Calendar", "Login", "Todos"/);
  });

  test('an address without a scheme on 127.0.0.1 opens over http', async () => {
    await open('calendar.html');
    const host = fixtures.url.replace(/^http:\/\//, '');
    const { history } = await done(`go to ${host}/agent/todos.html`);
    assert.deepEqual(history[0].step, { type: 'navigate', url: `http://${host}/agent/todos.html` });
    assert.equal(await page.title(), 'Todos');
  });
});

describe('login form', () => {
  test('typing into the password field is a secret and the result does not show it', async () => {
    await open('login.html');
    const { result, history } = await done(
      'enter alice in the username field, type "s3cret" into Password, check Remember me and press Submit',
    );
    assert.equal(await status(), 'Welcome, alice (remembered)');
    const typed = history.map((record) => record.step).filter((step) => step.type === 'type');
    assert.deepEqual(
      typed.map((step) => step.type === 'type' && !!step.secret),
      [false, true],
    );
    assert.equal(
      result,
      "Typed 'alice' into Username, typed a password into Password, checked Remember me, clicked Submit",
    );
    assert.doesNotMatch(result, /s3cret/);
  });

  test('a password never shows in thoughts or in errors', async () => {
    await open('login.html');
    const planner = new RulePlanner();
    const decision = await planner.next({
      instruction: "type 's3cret' into Password",
      page: await takeSnapshot(page),
      history: [],
      variables: {},
    });
    assert.equal(decision.type === 'step' && decision.thought, 'typed a password into Password');
    const error = await failure("type 's3cret' into the PIN field");
    assert.match(
      error,
      /^could not find "the PIN field" to type a password into; text fields on the page: "Username", "Password"/,
    );
    assert.doesNotMatch(error, /s3cret/);
  });

  test('"log in as … with password …" fills both fields and clicks the submit button', async () => {
    await open('login.html');
    await done('log in as alice with password s3cret');
    assert.equal(await status(), 'Welcome, alice');
  });

  test('focus and a key: Space ticks the focused checkbox', async () => {
    await open('login.html');
    await done('focus Remember me, then press Space');
    assert.equal(await page.locator('[name=remember]').isChecked(), true);
  });

  test('a target that is not on the page fails and lists the buttons', async () => {
    await open('login.html');
    const error = await failure('type alice into Username and click Sumbit');
    assert.equal(error, 'could not find "Sumbit" to click; buttons on the page: "Submit", "Cancel"');
  });

  test('an instruction with no known action fails before any step and says what is understood', async () => {
    await open('login.html');
    const { decision, history } = await run('make me a sandwich');
    assert.equal(history.length, 0);
    assert.equal(decision.type, 'fail');
    assert.match(
      (decision as { error: string }).error,
      /^could not understand "make me a sandwich": .*click\/press\/tap/,
    );
  });

  test('"the text field" is refused when the page has several', async () => {
    await open('login.html');
    const error = await failure('type hello into the text field');
    assert.match(error, /could not tell which element "the text field" means .*"Username", "Password"/);
  });
});

describe('reading', () => {
  test('extracts the list of todo items, not the done ones', async () => {
    await open('todos.html');
    const { result } = await done('extract the list of todo items');
    assert.equal(result, 'Buy milk\nWalk the dog\nWrite the report');
  });

  test('reads the first item', async () => {
    await open('todos.html');
    const { result } = await done('read the first item');
    assert.equal(result, 'Buy milk');
  });

  test('gets the text of the price', async () => {
    await open('todos.html');
    const { result } = await done('get the text of the price');
    assert.equal(result, '$19.99');
  });

  test('lists all the headings, one extract each', async () => {
    await open('todos.html');
    const { result, history } = await done('list all the headings');
    assert.equal(result, 'My day\nTodos\nDone\nProduct');
    assert.equal(history.length, 4);
  });

  test('reads the page title', async () => {
    await open('todos.html');
    const { result } = await done('get the page title');
    assert.equal(result, 'Todos');
  });

  test('types into the only search box and presses Enter', async () => {
    await open('todos.html');
    const { result } = await done('type "oat milk" into the search box and press Enter');
    assert.equal(await page.locator('#searched').innerText(), 'Searched for "oat milk"');
    assert.equal(result, "Typed 'oat milk' into Search todos, pressed Enter");
  });

  test('scrolls to the bottom and back to the top', async () => {
    await open('todos.html');
    await done('scroll to the bottom');
    assert.ok((await page.evaluate(() => window.scrollY)) > 1000);
    await done('scroll to the top');
    assert.equal(await page.evaluate(() => window.scrollY), 0);
  });
});

describe('targets that are hidden at first', () => {
  test('a button behind a tab: opens the tab, then clicks', async () => {
    await open('hidden.html');
    const { result } = await done('find and click Export CSV');
    assert.equal(await status(), 'Clicked Export CSV');
    assert.equal(result, 'Opened the Reports tab, clicked Export CSV');
  });

  test('the tab whose panel holds the button is opened first', async () => {
    await open('hidden.html');
    const { result } = await done('click Invite someone');
    assert.equal(await status(), 'Clicked Invite someone');
    assert.equal(result, 'Opened the People tab, clicked Invite someone');
  });

  test('a button in a collapsed <details>', async () => {
    await open('hidden.html');
    await done('click Reset everything');
    assert.equal(await status(), 'Clicked Reset everything');
  });

  test('an item of a menu whose button says nothing about it', async () => {
    await open('hidden.html');
    const { result } = await done('click Archive');
    assert.equal(await status(), 'Clicked Archive');
    assert.equal(result, 'Opened the More menu, clicked Archive');
  });

  test('a button two levels down a tree', async () => {
    await open('hidden.html');
    const { history } = await done('click Download Q1 report');
    assert.equal(await status(), 'Clicked Download Q1 report');
    assert.equal(history.length, 3);
  });

  test('hover shows a tooltip', async () => {
    await open('hidden.html');
    await done('hover over Help');
    assert.equal(await page.locator('#tooltip').innerText(), 'Help is on the way');
  });

  test('a target nowhere on the page fails after looking behind every opener', async () => {
    await open('hidden.html');
    const { decision, history } = await run('click Delete workspace');
    assert.equal(decision.type, 'fail');
    assert.ok(history.length <= 8, `${history.length} exploration clicks`);
    assert.match(
      (decision as { error: string }).error,
      /^could not find "Delete workspace" to click; buttons on the page: .*\(also looked behind "Reports"/,
    );
  });
});
