// Issue 12, the action executor: a click lands on a part of its element that shows when another
// element covers its middle; scroll with a direction scrolls an element's own content; select can
// keep the options a multi-select already has; a type the page swallowed (the field disabled on
// focus) fails instead of answering success.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
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

async function runTask(actions: unknown[]): Promise<{ status: number; body: Record<string, any> }> {
  const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, {
    body: { url: `${fixtures.url}/actions-aim.html`, actions },
  });
  return { status: res.status, body: res.body };
}

test('a click whose middle is covered lands on the part of the element that shows', async () => {
  const { status, body } = await runTask([
    { type: 'click', selector: '#one' },
    { type: 'evaluate', script: 'document.body.dataset.clicked' },
  ]);
  assert.equal(status, 201, JSON.stringify(body));
  assert.equal(body.actionResults[1].value, 'one');
});

test('scroll with a direction and a selector scrolls that element, not the page', async () => {
  const { status, body } = await runTask([
    { type: 'scroll', selector: '#box', direction: 'bottom' },
    { type: 'evaluate', script: "const b = document.getElementById('box'); [b.scrollTop > 0, window.scrollY]" },
  ]);
  assert.equal(status, 201, JSON.stringify(body));
  assert.deepEqual(body.actionResults[1].value, [true, 0]);
});

test('scroll with a direction and coordinates is still two answers to one question: 400', async () => {
  const { status, body } = await runTask([{ type: 'scroll', coordinates: { x: 0, y: 10 }, direction: 'down' }]);
  assert.equal(status, 400, JSON.stringify(body));
});

test('select with add keeps the options a multi-select already has', async () => {
  const { status, body } = await runTask([
    { type: 'select', selector: '#many', text: 'Red' },
    { type: 'select', selector: '#many', text: 'Blue', add: true },
    { type: 'evaluate', script: "[...document.getElementById('many').selectedOptions].map((o) => o.text)" },
  ]);
  assert.equal(status, 201, JSON.stringify(body));
  assert.deepEqual(body.actionResults[2].value, ['Red', 'Blue']);
});

test('typing into a field the page disables on focus fails, saying the text did not go in', async () => {
  const { status, body } = await runTask([{ type: 'type', selector: '#grabby', text: 'hello' }]);
  assert.notEqual(status, 201, JSON.stringify(body));
  assert.match(JSON.stringify(body), /empty afterwards/);
});
