// Run Task (seed 003), the error table: every status with its {error, code} body, and for a failed
// action the index, step log and results of the actions before it; a failing task stops there.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
let sessionId: string;
before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer();
  sessionId = (await navis.createSession({}, { dialect: 'browser' })).id;
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

const fixture = (name: string) => `${fixtures.url}/${name}`;

const postTask = (body: unknown, opts: { id?: string; key?: string | null } = {}) =>
  navis.request('POST', `/browser/sessions/${opts.id ?? sessionId}/tasks`, { body, key: opts.key });

/** An error answer of the /browser dialect: the status, the code, and an `error` sentence. */
function assertError(
  res: { status: number; body: any; text: string },
  status: number,
  code: string,
  error?: RegExp,
): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body?.code, code, res.text);
  assert.equal(typeof res.body.error, 'string');
  if (error) assert.match(res.body.error, error);
}

/** A failed action's extra keys: its index, the step log up to it (earlier steps ok) and the earlier results. */
function assertFailedAt(body: any, index: number): void {
  assert.equal(body.failedActionIndex, index);
  // The task's own url, when it has one, is the first entry: a navigate step with index null.
  const start = body.stepLog[0]?.index === null ? body.stepLog[0] : undefined;
  if (start) assert.deepEqual([start.type, start.status], ['navigate', 'ok']);
  const log = body.stepLog.slice(start ? 1 : 0);
  assert.equal(log.length, index + 1);
  for (const entry of log.slice(0, index)) assert.equal(entry.status, 'ok', JSON.stringify(entry));
  const failed = log[index];
  assert.equal(failed.index, index);
  assert.equal(failed.status, 'failed');
  assert.equal(typeof failed.error, 'string');
  assert.equal(body.actionResults.length, index);
}

/** The browser pid of a session, read from the store while the session runs. */
function browserPid(id: string): number {
  const row = navis.navis.services.db.prepare('SELECT browser_pid FROM sessions WHERE id=?').get(id) as {
    browser_pid: number | null;
  };
  assert.ok(row.browser_pid, 'the session has no browser pid');
  return row.browser_pid;
}

describe('400: invalid body', () => {
  test('an unknown action type names the action and its type field', async () => {
    const res = await postTask({ actions: [{ type: 'navigate', url: fixture('actions.html') }, { type: 'teleport' }] });
    assertError(res, 400, 'INVALID_REQUEST', /actions\[1\]\.type/);
    assert.match(res.body.error, /unknown action type/);
  });

  test('a missing required field names the field', async () => {
    const res = await postTask({ actions: [{ type: 'type', selector: '#name' }] });
    assertError(res, 400, 'INVALID_REQUEST', /actions\[0\]\.text/);
  });

  test('every required field of the table is enforced', async () => {
    const missing: Array<[Record<string, unknown>, string]> = [
      [{ type: 'navigate' }, 'actions[0].url'],
      [{ type: 'press' }, 'actions[0].key'],
      [{ type: 'evaluate' }, 'actions[0].script'],
      [{ type: 'uploadFile', selector: '#upload' }, 'actions[0].filename'],
      [{ type: 'select', selector: '#color' }, 'actions[0].text'],
      [{ type: 'hover' }, 'actions[0].selector'],
      [{ type: 'click' }, 'actions[0]'],
      [{ type: 'wait' }, 'actions[0]'],
      [{ type: 'scroll' }, 'actions[0]'],
    ];
    for (const [action, field] of missing) {
      const res = await postTask({ actions: [action] });
      assert.equal(res.status, 400, `${JSON.stringify(action)}: ${res.text}`);
      assert.ok(res.body.error.includes(field), `${JSON.stringify(action)}: ${res.body.error}`);
    }
  });

  test('a click with both a selector and coordinates is refused as conflicting', async () => {
    const res = await postTask({ actions: [{ type: 'click', selector: '#greet', coordinates: { x: 10, y: 10 } }] });
    assertError(res, 400, 'INVALID_REQUEST', /conflicting/);
    assert.match(res.body.error, /actions\[0\]/);
  });

  test('an invalid waitUntil names the field, for the task and for a navigate action', async () => {
    assertError(
      await postTask({ url: fixture('actions.html'), waitUntil: 'sometime', actions: [] }),
      400,
      'INVALID_REQUEST',
      /'waitUntil'/,
    );
    assertError(
      await postTask({ actions: [{ type: 'navigate', url: fixture('actions.html'), waitUntil: 'sometime' }] }),
      400,
      'INVALID_REQUEST',
      /actions\[0\]\.waitUntil/,
    );
  });

  test('a selector that does not parse is a 400 naming it, before any action runs', async () => {
    await postTask({ url: fixture('actions.html'), actions: [] });
    const res = await postTask({
      actions: [
        { type: 'evaluate', script: "document.title = 'ran'" },
        { type: 'click', selector: '#greet[' },
      ],
    });
    assertError(res, 400, 'INVALID_REQUEST', /actions\[1\]\.selector/);
    assert.match(res.body.error, /'#greet\[' is not a valid selector/);
    const title = await postTask({ actions: [{ type: 'evaluate', script: 'document.title' }] });
    assert.equal(title.body.actionResults[0].value, 'actions fixture', 'the first action did not run');
  });

  test('a selector the page refuses (an unknown pseudo-class or engine) is a 400 naming it at its action', async () => {
    for (const selector of ['button:no-such-state', 'nosuch=thing']) {
      const res = await postTask({
        url: fixture('actions.html'),
        actions: [
          { type: 'evaluate', script: '1' },
          { type: 'click', selector, timeoutMs: 3000 },
        ],
      });
      assertError(res, 400, 'INVALID_REQUEST', /actions\[1\] \(click\)/);
      assert.ok(res.body.error.includes(`selector '${selector}' is not valid on this page`), res.body.error);
      assert.equal(res.body.selector, selector);
      assertFailedAt(res.body, 1);
      assert.doesNotMatch(res.body.error, /Call log|\bat \w+ \(/, 'no call log or stack lines');
      assert.ok(res.body.stepLog[1].durationMs < 2500, 'answered at once, not after its timeout');
    }
  });

  test('a navigate to a URL that is not absolute answers 400 at that action', async () => {
    const res = await postTask({
      actions: [
        { type: 'evaluate', script: '1' },
        { type: 'navigate', url: 'example.com/page' },
      ],
    });
    assertError(res, 400, 'INVALID_REQUEST', /absolute URL/);
    assertFailedAt(res.body, 1);
  });
});

describe('401: API key', () => {
  test('a task without an API key answers 401', async () => {
    const res = await postTask({ actions: [] }, { key: null });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'Invalid API key', code: 'UNAUTHORIZED' });
  });

  test('a task with a wrong API key answers 401', async () => {
    assertError(await postTask({ actions: [] }, { key: 'nv_wrong_key_0000000000000000' }), 401, 'UNAUTHORIZED');
  });
});

describe('404: not found', () => {
  test('an unknown session answers 404 SESSION_NOT_FOUND', async () => {
    const res = await postTask({ actions: [] }, { id: randomUUID() });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'Session not found', code: 'SESSION_NOT_FOUND' });
  });

  test('a selector that matches nothing answers 404 with the failed index, the step log and earlier results', async () => {
    const res = await postTask({
      actions: [
        { type: 'navigate', url: fixture('actions.html') },
        { type: 'type', selector: '#name', text: 'Ada' },
        { type: 'click', selector: '#nowhere', timeoutMs: 500 },
      ],
    });
    assertError(res, 404, 'SELECTOR_NOT_FOUND', /#nowhere/);
    assert.match(res.body.error, /actions\[2\]/);
    assert.equal(res.body.selector, '#nowhere');
    assertFailedAt(res.body, 2);
    assert.deepEqual(
      res.body.stepLog.map((e: any) => e.type),
      ['navigate', 'type', 'click'],
    );
    assert.deepEqual(res.body.actionResults[0], { url: fixture('actions.html'), status: 200 });
    assert.deepEqual(res.body.actionResults[1], { selector: '#name', typedCharacters: 3 });
  });

  test('an uploadFile of a file never uploaded answers 404 FILE_NOT_FOUND', async () => {
    const res = await postTask({
      url: fixture('actions.html'),
      actions: [{ type: 'uploadFile', selector: '#upload', filename: 'never-uploaded.txt' }],
    });
    assertError(res, 404, 'FILE_NOT_FOUND', /POST \/browser\/sessions\/\{id\}\/files/);
    assertFailedAt(res.body, 0);
  });
});

describe('408: action timeout', () => {
  test('a wait that never holds answers 408 ACTION_TIMEOUT', async () => {
    const res = await postTask({
      url: fixture('actions.html'),
      actions: [{ type: 'wait', selector: '#never', timeoutMs: 500 }],
    });
    assertError(res, 408, 'ACTION_TIMEOUT', /actions\[0\] \(wait\)/);
    assertFailedAt(res.body, 0);
    assert.match(res.body.stepLog[1].detail, /#never/);
  });

  test('a wait for text that never appears answers 408 ACTION_TIMEOUT', async () => {
    const res = await postTask({
      url: fixture('actions.html'),
      actions: [{ type: 'wait', text: 'No such words here', timeoutMs: 500 }],
    });
    assertError(res, 408, 'ACTION_TIMEOUT');
  });

  test('a click on a disabled button answers 408 once its timeoutMs runs out, saying it stayed disabled', async () => {
    const res = await postTask({
      url: fixture('actions.html'),
      actions: [{ type: 'click', selector: '#disabled', timeoutMs: 500 }],
    });
    assertError(res, 408, 'ACTION_TIMEOUT', /timeoutMs/);
    assert.match(
      res.body.error,
      /actions\[0\] \(click\): selector '#disabled' matched 1 element on .*, but it stayed disabled for 500 ms/,
    );
    assertFailedAt(res.body, 0);
  });

  test('a step on an element that exists but stays hidden says so, for an action and for a wait', async () => {
    const click = await postTask({
      url: fixture('actions.html'),
      actions: [{ type: 'click', selector: '#tooltip', timeoutMs: 500 }],
    });
    assertError(
      click,
      408,
      'ACTION_TIMEOUT',
      /selector '#tooltip' matched 1 element on .*, but it stayed hidden for 500 ms/,
    );
    const type = await postTask({
      actions: [
        { type: 'evaluate', script: "for (const input of document.querySelectorAll('input')) input.readOnly = true" },
        { type: 'type', selector: 'input', text: 'x', timeoutMs: 500 },
      ],
    });
    assertError(
      type,
      408,
      'ACTION_TIMEOUT',
      /selector 'input' matched \d+ elements on .*, but the first stayed read-only for 500 ms/,
    );
    const wait = await postTask({ actions: [{ type: 'wait', selector: '#tooltip', timeoutMs: 500 }] });
    assertError(
      wait,
      408,
      'ACTION_TIMEOUT',
      /timed out after 500 ms waiting for selector '#tooltip' to be visible: it matched 1 element on .*, but it stayed hidden/,
    );
    const text = await postTask({ actions: [{ type: 'wait', text: 'Tooltip shown', timeoutMs: 500 }] });
    assertError(
      text,
      408,
      'ACTION_TIMEOUT',
      /waiting for text 'Tooltip shown' to be visible: it matched 1 element on .*, but it stayed hidden/,
    );
    const never = await postTask({ actions: [{ type: 'wait', selector: '#never', timeoutMs: 500 }] });
    assertError(never, 408, 'ACTION_TIMEOUT', /waiting for selector '#never' to be visible: it matched nothing on /);
  });

  test("no answer carries Playwright's call log", async () => {
    const answers = [
      await postTask({
        url: fixture('actions.html'),
        actions: [{ type: 'click', selector: '#disabled', timeoutMs: 300 }],
      }),
      await postTask({ actions: [{ type: 'wait', selector: '#never', timeoutMs: 300 }] }),
      await postTask({ actions: [{ type: 'hover', selector: '#tooltip', timeoutMs: 300 }] }),
      await postTask({ actions: [{ type: 'navigate', url: 'http://127.0.0.1:1/' }] }),
      await postTask({ actions: [{ type: 'scroll', selector: '#nowhere', timeoutMs: 300 }] }),
    ];
    for (const res of answers) {
      assert.ok(res.status >= 400, res.text);
      for (const text of [
        res.body.error,
        ...res.body.stepLog.map((e: any) => e.error).filter((e: unknown) => e !== undefined),
      ]) {
        assert.doesNotMatch(text, /Call log|waiting for locator|\n|\u001b|^(locator|page)\.\w+:/, text);
      }
    }
  });

  test('a script that never stops answers 408, is stopped, and the next task finds the page usable', async () => {
    const res = await postTask({
      url: fixture('actions.html'),
      actions: [{ type: 'evaluate', script: 'while (true) {}', timeoutMs: 500 }],
    });
    assertError(res, 408, 'ACTION_TIMEOUT', /actions\[0\] \(evaluate\)/);
    const next = await postTask({
      actions: [
        { type: 'evaluate', script: '6 * 7' },
        { type: 'click', selector: '#greet', timeoutMs: 3000 },
      ],
    });
    assert.equal(next.status, 201, next.text);
    assert.equal(next.body.actionResults[0].value, 42);
  });

  test('a script awaiting what never comes answers 408 and the page keeps running its own scripts', async () => {
    const res = await postTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'evaluate', script: 'window.ticks = 0; setInterval(() => window.ticks++, 10); return true;' },
        { type: 'evaluate', script: 'await new Promise(() => {});', timeoutMs: 300 },
      ],
    });
    assertError(res, 408, 'ACTION_TIMEOUT');
    assertFailedAt(res.body, 1);
    const first = await postTask({ actions: [{ type: 'evaluate', script: 'window.ticks' }] });
    await new Promise((r) => setTimeout(r, 200));
    const later = await postTask({ actions: [{ type: 'evaluate', script: 'window.ticks' }] });
    assert.ok(
      later.body.actionResults[0].value > first.body.actionResults[0].value,
      `the page's timer stopped: ${first.text} ${later.text}`,
    );
  });

  test('a step on a page whose own script never yields answers 408, the script is stopped, and the next task works', async () => {
    const stuck = await navis.createSession({}, { dialect: 'browser' });
    try {
      const tasks = (body: unknown) => navis.request('POST', `/browser/sessions/${stuck.id}/tasks`, { body });
      // The page's own code, not a navis evaluate: it goes busy after the task that started it ended.
      const hang = await tasks({
        url: fixture('actions.html'),
        actions: [{ type: 'evaluate', script: 'setTimeout(() => { for (;;) {} }, 50); return true;' }],
      });
      assert.equal(hang.status, 201, hang.text);
      await new Promise((r) => setTimeout(r, 200));
      assertError(
        await tasks({ actions: [{ type: 'click', selector: '#greet', timeoutMs: 500 }] }),
        408,
        'ACTION_TIMEOUT',
        /busy running a script that never yielded: navis stopped it/,
      );
      const next = await tasks({ actions: [{ type: 'click', selector: '#greet', timeoutMs: 3000 }] });
      assert.equal(next.status, 201, next.text);
    } finally {
      await navis.request('DELETE', `/browser/sessions/${stuck.id}`);
    }
  });

  test('an action without timeoutMs still ends, with the default deadline', async () => {
    const res = await postTask({ url: fixture('actions.html'), actions: [{ type: 'wait', selector: '#never' }] });
    assertError(res, 408, 'ACTION_TIMEOUT', /10000 ms/);
  });
});

describe('422: action failed', () => {
  test('an evaluate that throws answers 422 with the thrown message', async () => {
    const res = await postTask({
      url: fixture('actions.html'),
      actions: [{ type: 'evaluate', script: "throw new Error('boom 42')" }],
    });
    assertError(res, 422, 'ACTION_FAILED', /boom 42/);
    assertFailedAt(res.body, 0);
  });

  test('a select of an option the list does not have answers 422', async () => {
    const res = await postTask({
      url: fixture('actions.html'),
      actions: [{ type: 'select', selector: '#color', text: 'Purple' }],
    });
    assertError(res, 422, 'ACTION_FAILED', /Purple/);
  });
});

describe('a failing task', () => {
  test('stops at the failing action: a later action has no effect', async () => {
    const res = await postTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'evaluate', script: "document.title = 'before'" },
        { type: 'click', selector: '#nowhere', timeoutMs: 300 },
        { type: 'evaluate', script: "document.title = 'after'" },
      ],
    });
    assertError(res, 404, 'SELECTOR_NOT_FOUND');
    assert.deepEqual(
      res.body.stepLog.map((e: any) => [e.index, e.type, e.status]),
      [
        [null, 'navigate', 'ok'],
        [0, 'evaluate', 'ok'],
        [1, 'click', 'failed'],
      ],
      'the url is the first step; nothing after the failing one ran',
    );
    const title = await postTask({ actions: [{ type: 'evaluate', script: 'document.title' }] });
    assert.equal(title.status, 201, title.text);
    assert.equal(title.body.actionResults[0].value, 'before');
  });
});

describe('410 and 503: ended sessions and dead browsers', () => {
  test('a terminated session answers 410 SESSION_ENDED', async () => {
    const session = await navis.createSession({}, { dialect: 'browser' });
    await navis.terminate(session.id);
    const res = await postTask({ actions: [] }, { id: session.id });
    assertError(res, 410, 'SESSION_ENDED', /terminated/);
    assert.equal(res.body.sessionId, session.id);
  });

  test('after its Chromium is killed, a session answers 503 BROWSER_GONE', async () => {
    const session = await navis.createSession({}, { dialect: 'browser' });
    process.kill(browserPid(session.id), 'SIGKILL');
    await navis.waitUntilEnded(session.id, { dialect: 'browser', what: 'the session to end with its browser' });
    const res = await postTask({ actions: [] }, { id: session.id });
    assertError(res, 503, 'BROWSER_GONE', /Create a new session/);
  });

  test('work queued behind a running task answers 410 when the session is terminated meanwhile (tasks and single actions alike)', async () => {
    const session = await navis.createSession({}, { dialect: 'browser' });
    // The first task holds the session until it is terminated; the next two wait in its queue.
    const running = postTask(
      {
        url: fixture('actions.html'),
        actions: [
          { type: 'evaluate', script: 'window.held = true' },
          { type: 'wait', selector: '#never', timeoutMs: 60_000 },
        ],
      },
      { id: session.id },
    );
    const queuedTask = postTask({ actions: [{ type: 'evaluate', script: '1' }] }, { id: session.id });
    const queuedAction = navis.request('POST', '/public/single-actions/run-action', {
      body: { session_id: session.id, action: 'extract the page text' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the first task is at its wait, the others queued
    await navis.terminate(session.id);
    assert.ok([410, 503].includes((await running).status));
    assertError(await queuedTask, 410, 'SESSION_ENDED', /terminated/);
    const action = await queuedAction;
    assert.equal(action.status, 410, action.text);
    assert.match(action.body.detail, /terminated/);
  });

  describe('the task running when the browser dies', () => {
    let client: Browser | undefined;
    after(async () => {
      await client?.close().catch(() => {});
    });

    test('answers 503 BROWSER_GONE at the step it was on', async () => {
      const session = await navis.createSession({}, { dialect: 'browser' });
      const pid = browserPid(session.id);
      const running = postTask(
        {
          url: fixture('actions.html'),
          actions: [
            { type: 'evaluate', script: 'window.taskStarted = true' },
            { type: 'wait', selector: '#never', timeoutMs: 120_000 },
          ],
        },
        { id: session.id },
      );
      // Watch the page over CDP until the task is at its long wait, then kill the browser.
      client = await chromium.connectOverCDP(session.cdpUrl);
      const page = client.contexts()[0].pages()[0];
      await page.waitForFunction(() => (window as { taskStarted?: boolean }).taskStarted === true, undefined, {
        timeout: 30_000,
      });
      process.kill(pid, 'SIGKILL');
      const res = await running;
      assertError(res, 503, 'BROWSER_GONE');
      assertFailedAt(res.body, 1);
      assert.deepEqual(res.body.actionResults, [{ value: true }]);
    });
  });
});
