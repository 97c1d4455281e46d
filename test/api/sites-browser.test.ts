// /api/sites as a real Chromium sees it: the docs page's form reaches navis through the guard,
// while a page of another origin on the same machine cannot change a manifest, keyless or not.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let browser: Browser;
let page: Page;
/** Another web site on 127.0.0.1 (another port), as a page the user happens to visit. */
let elsewhere: http.Server;
let elsewhereUrl: string;

before(async () => {
  navis = await startNavis({ poolSize: 0 });
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  page = await browser.newPage();
  elsewhere = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>elsewhere</title>'),
  );
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereUrl = `http://127.0.0.1:${(elsewhere.address() as { port: number }).port}/`;
  const manifest = {
    name: 'navis itself',
    baseUrl: navis.base,
    states: [
      {
        name: 'Health',
        url: '/healthz',
        actions: [
          {
            name: 'check',
            inputs: [
              { name: 'label', required: true },
              { name: 'times', type: 'number' },
              { name: 'loud', type: 'boolean' },
            ],
            steps: [{ type: 'wait', text: 'ok' }],
          },
        ],
      },
    ],
  };
  const res = await navis.request('PUT', '/api/sites/navis-self/manifest', { key: null, body: manifest });
  assert.equal(res.status, 201, res.text);
  // The manifest's site is navis itself: its browsers reach navis's own API only when the policy names it.
  const tenants = await navis.request('GET', '/admin/tenants');
  const defaultTenant = tenants.body.tenants.find((t: { name: string }) => t.name === 'default');
  const opened = await navis.request('PATCH', `/admin/tenants/${defaultTenant.id}`, {
    body: { network: { allowHosts: [new URL(navis.base).host] } },
  });
  assert.equal(opened.status, 200, opened.text);
});
after(async () => {
  await browser?.close();
  await navis?.close();
  await new Promise((resolve) => elsewhere?.close(resolve));
});

describe('the docs page in a browser', () => {
  test("its form POSTs the inputs as typed JSON, and the guard lets navis's own page through", async () => {
    await page.goto(`${navis.base}/api/sites/navis-self/docs`);
    await page.getByLabel('label').fill('hello');
    await page.getByLabel('times').fill('3');
    await page.getByLabel('loud').check();
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().endsWith('/actions/Health/check')),
      page.getByRole('button', { name: 'Run check' }).click(),
    ]);
    assert.equal(request.method(), 'POST');
    assert.equal(request.headers()['content-type'], 'application/json');
    assert.deepEqual(request.postDataJSON(), { label: 'hello', times: 3, loud: true });
    const answer = page.locator('pre.answer');
    await answer.filter({ hasNotText: 'Running…' }).waitFor({ timeout: 60_000 });
    // Through the guard to the action endpoint, which ran the step on /healthz.
    assert.match(await answer.innerText(), /^200 OK\n\{\n {2}"ok": true,\n {2}"state": "Health"/);
  });
});

describe('a page of another origin', () => {
  test('cannot PUT a manifest (the preflight is refused)', async () => {
    await page.goto(elsewhereUrl);
    const outcome = await page.evaluate(async (url) => {
      try {
        const res = await fetch(url, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'x', baseUrl: 'https://x.example', states: [] }),
        });
        return `status ${res.status}`;
      } catch (error) {
        return `blocked: ${String(error)}`;
      }
    }, `${navis.base}/api/sites/planted/manifest`);
    assert.match(outcome, /^blocked/);
    assert.equal((await navis.request('GET', '/api/sites/planted/manifest', { key: null })).status, 404);
  });

  test('a simple cross-origin POST (no preflight needed) is refused by the guard', async () => {
    await page.goto(elsewhereUrl);
    await page.evaluate(async (url) => {
      await fetch(url, {
        method: 'POST',
        mode: 'no-cors',
        headers: { 'content-type': 'text/plain' },
        body: '{}',
      }).catch(() => undefined);
    }, `${navis.base}/api/sites/navis-self/actions/Health/check`);
    const logged = navis.logs
      .map((line) => JSON.parse(line))
      .filter((l) => l.status === 403 && /origin 'http:\/\/127\.0\.0\.1:\d+' refused/.test(l.msg));
    assert.ok(logged.length > 0, 'the guard did not refuse the cross-origin POST');
  });
});
