// A task action may name its element by a `target` (the locators natural-language steps plan and
// cache) instead of a `selector`: resolved before the action runs, a 404 naming it when absent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
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

const postTask = (body: unknown) => navis.request('POST', `/browser/sessions/${sessionId}/tasks`, { body });

describe('actions with a target', () => {
  test('type and click find their elements by label and by role and name', async () => {
    const res = await postTask({
      url: `${fixtures.url}/actions.html`,
      actions: [
        { type: 'type', target: { label: 'Name', css: '#nowhere' }, text: 'Ada' },
        { type: 'click', target: { role: 'button', name: 'Greet' } },
        { type: 'extract', selector: '#greeting' },
      ],
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.actionResults[2].text, 'Hello, Ada');
  });

  test('a target on no element of the page answers 404 SELECTOR_NOT_FOUND naming it', async () => {
    const res = await postTask({
      url: `${fixtures.url}/actions.html`,
      actions: [{ type: 'click', target: { role: 'button', name: 'Launch' }, timeoutMs: 500 }],
    });
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.code, 'SELECTOR_NOT_FOUND');
    assert.match(res.body.error, /actions\[0\] \(click\): button "Launch" is not on/);
  });

  test('an action given both a selector and a target is a 400', async () => {
    const res = await postTask({ actions: [{ type: 'hover', selector: '#greet', target: { text: 'Greet' } }] });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error, /give only one of selector, target/);
  });
});
