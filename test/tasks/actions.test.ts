// Run Task (seed 003), the action table: every action type with its required and optional fields,
// each checked by what it did to the page; actionResults in order; tasks on one session queued.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { pngSize } from '../helpers/png.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';

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

/** POST /browser/sessions/{id}/tasks; asserts 201 and returns the task's result. */
async function runTask(body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, { body });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

/** The value of a script on the current page, read back with an evaluate action. */
async function read(script: string): Promise<any> {
  const task = await runTask({ actions: [{ type: 'evaluate', script }] });
  return task.actionResults[0].value;
}

const textOf = (selector: string) => read(`document.querySelector('${selector}').textContent`);
const valueOf = (selector: string) => read(`document.querySelector('${selector}').value`);

describe('navigate', () => {
  test('navigate opens the url and answers the final url and the HTTP status', async () => {
    const task = await runTask({
      actions: [{ type: 'navigate', url: fixture('actions-next.html'), waitUntil: 'domcontentloaded' }],
    });
    assert.deepEqual(task.actionResults, [{ url: fixture('actions-next.html'), status: 200 }]);
    assert.equal(task.url, fixture('actions-next.html'));
    assert.equal(await read('document.title'), 'next page');
  });

  test('navigate answers the status of a page that is not found', async () => {
    const task = await runTask({ actions: [{ type: 'navigate', url: fixture('missing.html') }] });
    assert.equal(task.actionResults[0].status, 404);
  });

  test('navigate takes every waitUntil of the table', async () => {
    for (const waitUntil of ['domcontentloaded', 'load', 'networkidle']) {
      const task = await runTask({
        actions: [{ type: 'navigate', url: fixture(`actions.html?${waitUntil}`), waitUntil }],
      });
      assert.equal(task.actionResults[0].url, fixture(`actions.html?${waitUntil}`));
      assert.equal(await read('document.readyState === "loading"'), false, waitUntil);
    }
  });
});

describe('back and forward (navis)', () => {
  test("back and forward move through the tab's history and answer the URL and status", async () => {
    const task = await runTask({
      actions: [
        { type: 'navigate', url: fixture('actions.html') },
        { type: 'navigate', url: fixture('actions-next.html') },
        { type: 'back' },
        { type: 'forward', waitUntil: 'domcontentloaded' },
      ],
    });
    assert.deepEqual(task.actionResults.slice(2), [
      { url: fixture('actions.html'), status: 200 },
      { url: fixture('actions-next.html'), status: 200 },
    ]);
    assert.equal(task.url, fixture('actions-next.html'));
  });

  test('forward with nowhere to go is a 422 saying so, and the page stays', async () => {
    const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, {
      body: { url: fixture('actions.html'), actions: [{ type: 'forward' }] },
    });
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.code, 'ACTION_FAILED');
    assert.match(res.body.error, /actions\[0\] \(forward\).*no page to go forward to/);
    assert.equal(await read('location.pathname'), '/actions.html');
  });
});

describe('click', () => {
  test('click by selector runs the element’s click handler', async () => {
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'type', selector: '#name', text: 'Ada' },
        { type: 'click', selector: '#greet' },
      ],
    });
    assert.equal(task.actionResults[1].selector, '#greet');
    assert.deepEqual(task.actionResults[1].element, { id: 'greet', text: 'Greet' });
    assert.equal(await textOf('#greeting'), 'Hello, Ada');
  });

  test('click waits for an element that appears later, within its timeoutMs, and still describes it', async () => {
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'click', selector: '#later' },
        { type: 'click', selector: '#slow', timeoutMs: 5000 },
      ],
    });
    assert.deepEqual(task.actionResults[1].element, { id: 'slow', text: 'Appeared later' });
  });

  test('click by coordinates hits the element under that point', async () => {
    const box = await runTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'type', selector: '#name', text: 'Grace' },
        {
          type: 'evaluate',
          script:
            "const r = document.querySelector('#greet').getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 };",
        },
      ],
    });
    const coordinates = box.actionResults[1].value;
    assert.equal(await textOf('#greeting'), '');
    const task = await runTask({ actions: [{ type: 'click', coordinates }] });
    assert.deepEqual(task.actionResults[0].coordinates, coordinates);
    assert.equal(await textOf('#greeting'), 'Hello, Grace');
  });

  test('after a click that follows a link, the response url is the new page', async () => {
    const task = await runTask({ url: fixture('actions.html'), actions: [{ type: 'click', selector: '#next' }] });
    assert.equal(task.url, fixture('actions-next.html'));
    assert.equal(await textOf('#arrived'), 'You arrived');
  });
});

describe('type', () => {
  test('type fills the field at once, replacing what it held, without key events', async () => {
    await runTask({
      url: fixture('keys-form.html'),
      actions: [{ type: 'evaluate', script: "document.querySelector('#counted').value = 'old'" }],
    });
    const task = await runTask({ actions: [{ type: 'type', selector: '#counted', text: 'hello' }] });
    assert.deepEqual(task.actionResults[0], { selector: '#counted', typedCharacters: 5 });
    assert.equal(await valueOf('#counted'), 'hello');
    assert.equal(await textOf('#keydowns'), '0');
  });

  test('type with delayMs types key by key: one keydown per character', async () => {
    await runTask({
      url: fixture('keys-form.html'),
      actions: [{ type: 'type', selector: '#counted', text: 'abcd', delayMs: 20 }],
    });
    assert.equal(await valueOf('#counted'), 'abcd');
    assert.equal(await textOf('#keydowns'), '4');
  });

  test('type with delayMs replaces what the field held, still one keydown per character', async () => {
    await runTask({
      url: fixture('keys-form.html'),
      actions: [
        { type: 'evaluate', script: "document.querySelector('#counted').value = 'old text'" },
        { type: 'type', selector: '#counted', text: 'new', delayMs: 10 },
      ],
    });
    assert.equal(await valueOf('#counted'), 'new');
    assert.equal(await textOf('#keydowns'), '3');
  });

  test('type with clear false appends to what the field holds', async () => {
    await runTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'type', selector: '#name', text: 'foo' },
        { type: 'type', selector: '#name', text: 'bar', clear: false },
      ],
    });
    assert.equal(await valueOf('#name'), 'foobar');
  });
});

describe('press', () => {
  test('press Enter in a field submits its form', async () => {
    const task = await runTask({
      url: fixture('keys-form.html'),
      actions: [
        { type: 'type', selector: '#q', text: 'navis' },
        { type: 'press', selector: '#q', key: 'Enter' },
      ],
    });
    assert.equal(task.actionResults[1].key, 'Enter');
    assert.equal(await textOf('#submitted'), 'submitted navis');
  });

  test('press without a selector sends the key to the focused input', async () => {
    await runTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'evaluate', script: "document.querySelector('#keys').focus()" },
        { type: 'press', key: 'x' },
      ],
    });
    assert.equal(await textOf('#lastkey'), 'x');
    assert.equal(await valueOf('#keys'), 'x');
  });
});

describe('scroll', () => {
  test('scroll by coordinates scrolls the page to that position', async () => {
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [{ type: 'scroll', coordinates: { x: 0, y: 500 } }],
    });
    assert.deepEqual(task.actionResults[0], { scrollX: 0, scrollY: 500 });
    assert.equal(await read('window.scrollY'), 500);
  });

  test('scroll by selector brings the element into view', async () => {
    const task = await runTask({ url: fixture('actions.html'), actions: [{ type: 'scroll', selector: '#bottom' }] });
    assert.ok(task.actionResults[0].scrollY > 2000, JSON.stringify(task.actionResults[0]));
    assert.equal(await read('window.scrollY'), task.actionResults[0].scrollY);
    assert.equal(
      await read(
        "(() => { const r = document.querySelector('#bottom').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()",
      ),
      true,
    );
  });

  test('scroll by text brings the text into view', async () => {
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [{ type: 'scroll', text: 'The bottom of the page' }],
    });
    assert.ok(task.actionResults[0].scrollY > 2000, JSON.stringify(task.actionResults[0]));
    assert.equal(
      await read(
        "(() => { const r = document.querySelector('#bottom').getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })()",
      ),
      true,
    );
  });
});

describe('wait', () => {
  test('wait for a selector holds once the element appears', async () => {
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'click', selector: '#later' },
        { type: 'evaluate', script: "document.querySelector('#slow') !== null" },
        { type: 'wait', selector: '#slow' },
        { type: 'evaluate', script: "document.querySelector('#slow').textContent" },
      ],
    });
    assert.equal(task.actionResults[1].value, false, '#slow was there before the wait');
    assert.equal(task.actionResults[2].selector, '#slow');
    assert.equal(task.actionResults[2].state, 'visible');
    assert.equal(task.actionResults[3].value, 'Appeared later');
  });

  test('wait for text holds once the text appears', async () => {
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'click', selector: '#later' },
        { type: 'wait', text: 'Appeared later' },
      ],
    });
    assert.equal(task.actionResults[1].text, 'Appeared later');
    assert.equal(await textOf('#slow'), 'Appeared later');
  });
});

describe('evaluate', () => {
  before(async () => {
    await runTask({ url: fixture('actions.html') });
  });

  test('an expression answers {value} with its value', async () => {
    const task = await runTask({ actions: [{ type: 'evaluate', script: 'document.title' }] });
    assert.deepEqual(task.actionResults, [{ value: 'actions fixture' }]);
  });

  test('a function body answers what it returns', async () => {
    assert.equal(await read("const h1 = document.querySelector('#title'); return h1.textContent.length * 2;"), 14);
  });

  test('an async body is awaited', async () => {
    assert.equal(
      await read("await new Promise((resolve) => setTimeout(resolve, 50)); return 'done after ' + document.title;"),
      'done after actions fixture',
    );
  });

  test('statements without return answer the value of the last one, as the DevTools console does', async () => {
    assert.equal(await read('1; 2'), 2);
    assert.equal(await read('const a = 1; a + 1'), 2);
    assert.equal(await read('const a = 1; a + 1'), 2, 'a const of one script does not collide with the next');
    assert.equal(await read('let sum = 0; for (const n of [1, 2, 3]) sum += n; sum'), 6);
    assert.equal(await read("document.body.dataset.seen = 'yes'; document.body.dataset.seen.toUpperCase()"), 'YES');
    assert.equal(
      await read('const later = new Promise((resolve) => setTimeout(() => resolve(5), 20)); later'),
      5,
      'a promise is awaited',
    );
    assert.equal(await read('let nothing = 1;'), null);
  });

  test('a script with await and no return still runs, and answers what it returns when it has one', async () => {
    assert.equal(await read("await new Promise((resolve) => setTimeout(resolve, 10)); window.awaited = 'yes'"), null);
    assert.equal(await read('window.awaited'), 'yes');
    assert.equal(await read("if (document.title) { return 'titled'; } return 'untitled';"), 'titled');
  });

  test('objects and arrays come back as JSON', async () => {
    assert.deepEqual(await read("({ list: [1, 'two', true, null], nested: { ok: true } })"), {
      list: [1, 'two', true, null],
      nested: { ok: true },
    });
  });

  test('changes a script makes stay on the page', async () => {
    await read("document.querySelector('#title').textContent = 'Changed'");
    assert.equal(await textOf('#title'), 'Changed');
  });

  test('a value JSON cannot carry answers null instead of failing the task', async () => {
    const scripts = [
      '(() => { const o = {}; o.self = o; return o; })()',
      '10n',
      'window',
      '() => 1',
      "Symbol('s')",
      'undefined',
    ];
    const task = await runTask({ actions: scripts.map((script) => ({ type: 'evaluate', script })) });
    assert.deepEqual(
      task.actionResults,
      scripts.map(() => ({ value: null })),
    );
  });
});

describe('screenshot action', () => {
  test('screenshot answers a base64 PNG of the viewport', async () => {
    const task = await runTask({ url: fixture('actions.html'), actions: [{ type: 'screenshot' }] });
    assert.deepEqual(pngSize(task.actionResults[0].screenshot), { width: 1280, height: 720 });
  });

  test('screenshot with a selector answers a PNG of just that element, smaller than the page', async () => {
    const task = await runTask({ url: fixture('actions.html'), actions: [{ type: 'screenshot', selector: '#title' }] });
    const element = pngSize(task.actionResults[0].screenshot);
    assert.ok(element.width < 1280 && element.height < 720, JSON.stringify(element));
    assert.ok(element.width > 0 && element.height > 0);
  });
});

describe('uploadFile', () => {
  test('a file uploaded to the session shows in the file input with its name and size', async () => {
    const upload = await fetch(`${navis.base}/browser/sessions/${sessionId}/files?filename=hello.txt`, {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'text/plain' },
      body: 'hello world',
    });
    assert.equal(upload.status, 201, await upload.clone().text());
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [{ type: 'uploadFile', selector: '#upload', filename: 'hello.txt' }],
    });
    assert.deepEqual(task.actionResults[0], { selector: '#upload', filename: 'hello.txt', size: 11 });
    assert.equal(await textOf('#uploaded'), 'hello.txt:11');
  });

  test('a file whose name is not ASCII reaches the page under that name', async () => {
    const name = '€rates-é.csv';
    const upload = await fetch(
      `${navis.base}/browser/sessions/${sessionId}/files?filename=${encodeURIComponent(name)}`,
      { method: 'POST', headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'text/csv' }, body: 'a,b' },
    );
    assert.equal(upload.status, 201, await upload.clone().text());
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [{ type: 'uploadFile', selector: '#upload', filename: name }],
    });
    assert.deepEqual(task.actionResults[0], { selector: '#upload', filename: name, size: 3 });
    assert.equal(await textOf('#uploaded'), `${name}:3`);
  });
});

describe('select', () => {
  test('select by the option’s label chooses it', async () => {
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [{ type: 'select', selector: '#color', text: 'Green' }],
    });
    assert.deepEqual(task.actionResults[0].selected, ['g']);
    assert.equal(await valueOf('#color'), 'g');
    assert.equal(await textOf('#chosen'), 'g');
  });

  test('select by the option’s value chooses it', async () => {
    await runTask({ url: fixture('actions.html'), actions: [{ type: 'select', selector: '#color', text: 'b' }] });
    assert.equal(await valueOf('#color'), 'b');
    assert.equal(await textOf('#chosen'), 'b');
  });
});

describe('hover', () => {
  test('hover shows the tooltip that appears on :hover', async () => {
    const display = "getComputedStyle(document.querySelector('#tooltip')).display";
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'evaluate', script: display },
        { type: 'hover', selector: '#hover-target' },
        { type: 'evaluate', script: display },
      ],
    });
    assert.equal(task.actionResults[0].value, 'none');
    assert.equal(task.actionResults[1].selector, '#hover-target');
    assert.equal(task.actionResults[2].value, 'block');
  });
});

describe('extract (navis)', () => {
  test("extract reads an element's text, a field's value, a select's chosen label, never a password, and the page text", async () => {
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'type', selector: '#name', text: 'Ada' },
        { type: 'select', selector: '#color', text: 'g' },
        {
          type: 'evaluate',
          script:
            "const p = document.createElement('input'); p.type = 'password'; p.id = 'secret'; p.value = 'hunter2'; document.body.append(p); return true;",
        },
        { type: 'extract', selector: '#greet' },
        { type: 'extract', selector: '#name' },
        { type: 'extract', selector: '#color' },
        { type: 'extract', selector: '#secret' },
        { type: 'extract' },
      ],
    });
    const texts = task.actionResults.slice(3).map((r: any) => r.text);
    assert.deepEqual(texts.slice(0, 4), ['Greet', 'Ada', 'Green', '']);
    assert.match(texts[4], /Show later/);
    assert.doesNotMatch(JSON.stringify(task), /hunter2/);
  });

  test('extract of a label reads the label, never the value of the field it labels', async () => {
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [
        {
          type: 'evaluate',
          script:
            'document.body.insertAdjacentHTML(\'beforeend\', \'<label id="wrap">PIN <input type="password" value="hunter2"></label><label id="for" for="code">Code</label><input id="code" value="1234"><label id="box"><input type="checkbox"> Remember me</label>\'); return true;',
        },
        { type: 'extract', selector: '#wrap' },
        { type: 'extract', selector: '#for' },
        { type: 'extract', selector: '#box' },
        { type: 'extract', selector: '#code' },
      ],
    });
    assert.deepEqual(
      task.actionResults.slice(1).map((r: any) => r.text),
      ['PIN', 'Code', 'Remember me', '1234'],
    );
    assert.doesNotMatch(JSON.stringify(task), /hunter2/);
  });

  test('extract waits for an element that appears later', async () => {
    const task = await runTask({
      url: fixture('actions.html'),
      actions: [
        { type: 'click', selector: '#later' },
        { type: 'extract', selector: '#slow', timeoutMs: 5000 },
      ],
    });
    assert.equal(task.actionResults[1].text, 'Appeared later');
  });

  test('extract of a selector that matches nothing answers 404 after its timeoutMs', async () => {
    const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, {
      body: { url: fixture('actions.html'), actions: [{ type: 'extract', selector: '#nothing-here', timeoutMs: 300 }] },
    });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.code, 'SELECTOR_NOT_FOUND');
    assert.equal(res.body.failedActionIndex, 0);
  });
});

describe('results and order', () => {
  test('actionResults has one entry per action, in order, and stepLog one ok entry each', async () => {
    const task = await runTask({
      actions: [
        { type: 'navigate', url: fixture('actions.html') },
        { type: 'evaluate', script: 'document.title' },
        { type: 'scroll', coordinates: { x: 0, y: 100 } },
        { type: 'hover', selector: '#hover-target' },
      ],
    });
    assert.equal(task.actionResults.length, 4);
    assert.deepEqual(task.actionResults[0], { url: fixture('actions.html'), status: 200 });
    assert.deepEqual(task.actionResults[1], { value: 'actions fixture' });
    assert.deepEqual(task.actionResults[2], { scrollX: 0, scrollY: 100 });
    assert.equal(task.actionResults[3].selector, '#hover-target');
    assert.deepEqual(
      task.stepLog.map((e: any) => [e.index, e.type, e.status]),
      [
        [0, 'navigate', 'ok'],
        [1, 'evaluate', 'ok'],
        [2, 'scroll', 'ok'],
        [3, 'hover', 'ok'],
      ],
    );
  });

  test('tasks sent together run one at a time, in arrival order, each answering its own results', async () => {
    await runTask({ url: fixture('actions.html'), actions: [{ type: 'evaluate', script: 'window.seen = []' }] });
    // The first task waits longest: were tasks not queued, the later ones would finish first.
    const waitsMs = [600, 300, 0];
    const pending: ReturnType<TestNavis['request']>[] = [];
    for (const [i, waitMs] of waitsMs.entries()) {
      const n = i + 1;
      pending.push(
        navis.request('POST', `/browser/sessions/${sessionId}/tasks`, {
          body: {
            actions: [
              { type: 'evaluate', script: `window.seen.push('start ${n}'); return ${n};` },
              {
                type: 'evaluate',
                script: `await new Promise((r) => setTimeout(r, ${waitMs})); window.seen.push('end ${n}'); return window.seen.slice();`,
              },
            ],
          },
        }),
      );
      await sleep(100); // not awaiting the answer, only spacing the sends so they arrive in this order
    }
    const answers = await Promise.all(pending);
    const expected = ['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3'];
    for (const [i, res] of answers.entries()) {
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.actionResults.length, 2);
      assert.equal(res.body.actionResults[0].value, i + 1);
      assert.deepEqual(res.body.actionResults[1].value, expected.slice(0, 2 * (i + 1)));
    }
    assert.deepEqual(await read('window.seen'), expected);
  });
});
