// Run Task (seed 003), steps around navigations: a press or click that submits a form waits for
// the page it opened, so the next step reads that page; a navigate right after a failed one
// (connection refused) is a clean navigation, never "interrupted by another navigation to
// chrome-error://chromewebdata/".
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { slowSearchResults, startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
let sessionId: string;

before(async () => {
  fixtures = await startFixtureServer({
    routes: {
      '/search-results': slowSearchResults(['Blue Mug']),
      // Answers the form without a page: the navigation ends with nothing to wait for.
      '/no-content': (_req, res) => {
        res.writeHead(204);
        res.end();
      },
    },
  });
  navis = await startNavis({ poolSize: 1 });
  sessionId = (await navis.createSession({}, { dialect: 'browser' })).id;
});
after(async () => {
  await navis?.close();
  await fixtures?.close();
});

const postTask = (body: unknown) => navis.request('POST', `/browser/sessions/${sessionId}/tasks`, { body });

/** A 127.0.0.1 port nothing listens on (taken, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a press or click that submits a form waits for the page it opened: the next step reads the results, every run', async () => {
  const submits = [
    { type: 'press', key: 'Enter' },
    { type: 'press', key: 'Enter', selector: 'input[name="q"]' },
    { type: 'click', selector: 'button[type="submit"]' },
    { type: 'click', coordinates: { x: 0, y: 0 } }, // replaced by the button's position below
  ];
  const box = await postTask({
    url: `${fixtures.url}/search-form.html`,
    actions: [
      {
        type: 'evaluate',
        script:
          "const r = document.querySelector('button').getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }",
      },
    ],
  });
  assert.equal(box.status, 201, box.text);
  submits[3] = { type: 'click', coordinates: box.body.actionResults[0].value };
  for (let run = 0; run < 8; run++) {
    const submit = submits[run % submits.length];
    const res = await postTask({
      url: `${fixtures.url}/search-form.html`,
      actions: [
        { type: 'type', selector: 'input[name="q"]', text: 'mug' },
        { type: 'focus', selector: 'input[name="q"]' },
        submit,
        { type: 'extract' },
      ],
    });
    const what = `run ${run} (${JSON.stringify(submit)})`;
    assert.equal(res.status, 201, `${what}: ${res.text}`);
    assert.match(res.body.actionResults[3].text, /Results for mug/, what);
    assert.match(
      res.body.actionResults[2].url,
      /\/search-results\?q=mug$/,
      `${what}: the step answers the URL it navigated to`,
    );
  }
});

test('a click that causes no navigation, or one answered 204, does not wait for one', async () => {
  const res = await postTask({
    url: `${fixtures.url}/search-form.html`,
    actions: [
      {
        type: 'evaluate',
        script: "document.querySelector('form').addEventListener('submit', (e) => e.preventDefault()); true",
      },
      { type: 'click', selector: 'button[type="submit"]' },
      {
        type: 'evaluate',
        script:
          "document.querySelector('form').action = '/no-content'; document.querySelector('form').replaceWith(document.querySelector('form').cloneNode(true)); true",
      },
      { type: 'click', selector: 'button[type="submit"]' },
      { type: 'extract', selector: 'h1' },
    ],
  });
  assert.equal(res.status, 201, res.text);
  assert.ok(res.body.stepLog[1].durationMs < 2000, JSON.stringify(res.body.stepLog[1]));
  assert.ok(res.body.stepLog[3].durationMs < 2000, JSON.stringify(res.body.stepLog[3]));
  assert.equal(res.body.actionResults[4].text, 'Search the shop');
});

// Through navis's egress proxy an http:// connection that is refused is answered by the proxy (a
// 59x, no error page); an https:// one fails the tunnel, and Chromium commits its error page
// (chrome-error://chromewebdata/) just after page.goto has rejected: that is the page a navigation
// started at once would be interrupted by.
test('a navigate right after one that failed (connection refused) is clean, 10 times in a row', async () => {
  const port = await closedPort();
  for (let run = 0; run < 10; run++) {
    const scheme = run % 2 === 0 ? 'https' : 'http';
    const failed = await postTask({ actions: [{ type: 'navigate', url: `${scheme}://127.0.0.1:${port}/` }] });
    assert.equal(failed.status, 422, `run ${run} (${scheme}): ${failed.text}`);
    assert.equal(failed.body.code, 'ACTION_FAILED');
    const good = await postTask({ actions: [{ type: 'navigate', url: `${fixtures.url}/search-form.html` }] });
    assert.equal(good.status, 201, `run ${run} (${scheme}): ${good.text}`);
    assert.equal(good.body.url, `${fixtures.url}/search-form.html`);
  }
});

test("the same holds for a task's url after a failed one", async () => {
  const port = await closedPort();
  for (let run = 0; run < 5; run++) {
    const failed = await postTask({ url: `https://127.0.0.1:${port}/`, actions: [] });
    assert.equal(failed.status, 422, `run ${run}: ${failed.text}`);
    const good = await postTask({
      url: `${fixtures.url}/search-form.html`,
      actions: [{ type: 'extract', selector: 'h1' }],
    });
    assert.equal(good.status, 201, `run ${run}: ${good.text}`);
    assert.equal(good.body.actionResults[0].text, 'Search the shop');
  }
});
