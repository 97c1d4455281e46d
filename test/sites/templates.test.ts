// Site inputs through the one template module, end to end (seed 002): a value spliced into an
// evaluate step comes back byte-identical and never runs as code, a selector's template finds the
// element holding the value and no other, and a secret input redacts only whole occurrences of
// itself in the answer's free text — never its keys, booleans or fixed fields.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

const SLUG = 'templates-site';
const PAGE = `<!doctype html><title>Templates</title>
<button id="secret" onclick="document.title = 'secret clicked'">Secret</button>
<button data-label='a"b&#39;c&lt;/script&gt;' onclick="document.title = 'right one'">Right</button>
<input id="password" type="password">
<p id="status">status: ok, all fine</p>`;

let navis: TestNavis;
let fixture: FixtureServer;

before(async () => {
  fixture = await startFixtureServer({
    routes: { '/templates': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE) },
  });
  navis = await startNavis();
  const manifest = {
    name: 'Templates',
    baseUrl: fixture.url,
    states: [
      {
        name: 'Page',
        url: '/templates',
        actions: [
          {
            name: 'echo',
            inputs: [{ name: 'text', required: true }],
            steps: [
              { type: 'evaluate', script: "return '{{text}}'" },
              { type: 'evaluate', script: 'return "{{text}}"' },
              { type: 'evaluate', script: 'return `{{text}}`' },
              { type: 'evaluate', script: 'return {{text}}' },
              { type: 'evaluate', script: 'return typeof window.pwned' },
            ],
          },
          {
            name: 'press',
            inputs: [{ name: 'label', required: true }],
            steps: [
              { type: 'click', selector: 'button[data-label="{{label}}"]', timeoutMs: 2000 },
              { type: 'evaluate', script: 'return document.title' },
            ],
          },
          {
            name: 'sign_in',
            inputs: [{ name: 'password', required: true }],
            steps: [
              { type: 'type', selector: '#password', text: '{{password}}' },
              { type: 'wait', selector: '#status' },
              { type: 'extract', selector: '#status' },
              { type: 'evaluate', script: "return {ok: true, okay: 'ok', word: 'book', said: 'it is ok.'}" },
            ],
          },
        ],
      },
    ],
  };
  const put = await navis.request('PUT', `/api/sites/${SLUG}/manifest`, { body: manifest });
  assert.equal(put.status, 201, put.text);
});
after(async () => {
  await navis.close();
  await fixture.close();
});

/** The action's own steps (the state's URL comes first in `steps`, with index null). */
const actionSteps = (res: { body: any }) =>
  res.body.steps.filter((step: { index: number | null }) => step.index !== null);

const execute = (action: string, body: unknown) =>
  navis.request('POST', `/api/sites/${SLUG}/actions/Page/${action}`, { body });

describe('an input reaches an evaluate script as data', () => {
  for (const text of [
    `a"b'c</script>`,
    'back\\slash ${x} `tick` \n line \u2028 sep',
    "'); window.pwned = 1; ('",
    '`; window.pwned = 1; `',
  ]) {
    test(`${JSON.stringify(text)} comes back byte-identical from quoted and bare templates, and runs nothing`, async () => {
      const res = await execute('echo', { text });
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(
        actionSteps(res).map((step: { result: { value: unknown } }) => step.result.value),
        [text, text, text, text, 'undefined'],
      );
    });
  }
});

test('a selector template finds the element holding the value, and the value cannot widen it', async () => {
  const right = await execute('press', { label: `a"b'c</script>` });
  assert.equal(right.status, 200, right.text);
  assert.equal(actionSteps(right)[1].result.value, 'right one');

  const widened = await execute('press', { label: 'x"], #secret, [data-label="y' });
  assert.equal(widened.status, 500, widened.text);
  assert.match(widened.body.error, /^Action 'press' failed: steps\[0\] \(click\): /);
});

test('a secret input equal to a word of the answer redacts only whole occurrences in free text', async () => {
  const res = await execute('sign_in', { password: 'ok' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.ok, true);
  assert.deepEqual(
    res.body.steps.map((step: { type: string; status: string }) => [step.type, step.status]),
    [
      ['navigate', 'ok'],
      ['type', 'ok'],
      ['wait', 'ok'],
      ['extract', 'ok'],
      ['evaluate', 'ok'],
    ],
  );
  assert.equal(actionSteps(res)[2].result.text, 'status: [redacted], all fine');
  assert.deepEqual(actionSteps(res)[3].result.value, {
    ok: true,
    okay: '[redacted]',
    word: 'book',
    said: 'it is [redacted].',
  });
});
