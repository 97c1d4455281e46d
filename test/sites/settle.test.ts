// "Waits for the DOM to settle" (seed 002 step 5, src/actions/settle.ts) on real pages: a page quiet
// since load goes at once, one that keeps changing or fetching after load is waited for until it
// has been quiet for the window, one that never stops is used after the bound.
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { findChrome } from '../../src/browsers/find-chrome.js';
import { NavisError } from '../../src/errors.js';
import { openState } from '../../src/actions/settle.js';
import { testGuard } from '../helpers/guard.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';

const html = (body: string) => (_req: unknown, res: ServerResponse) => {
  res
    .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    .end(`<!doctype html><title>settle</title><body>${body}</body>`);
};

let fixtures: FixtureServer;
let browser: Browser;
before(async () => {
  fixtures = await startFixtureServer({
    routes: {
      '/static': html('<h1 id="out">ready</h1>'),
      // Counts to 10 after load, one step every 30 ms: settled only once it has stopped.
      '/counting': html(`<p id="out">0</p><script>
        addEventListener('load', () => { let n = 0; const tick = () => { document.getElementById('out').textContent = String(++n); if (n < 10) setTimeout(tick, 30); }; setTimeout(tick, 0); });
      </script>`),
      // Fetches its content after load; the answer takes 400 ms.
      '/fetching': html(`<p id="out">loading</p><script>
        addEventListener('load', () => fetch('/slow-data').then((r) => r.text()).then((t) => { document.getElementById('out').textContent = t; }));
      </script>`),
      '/slow-data': async (_req, res) => {
        await new Promise((r) => setTimeout(r, 400));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('data arrived');
      },
      '/restless': html(
        `<p id="out">0</p><script>let n = 0; setInterval(() => { document.getElementById('out').textContent = String(++n); }, 20);</script>`,
      ),
      '/broken': (_req, res) => {
        res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>');
      },
    },
  });
  browser = await chromium.launch({ executablePath: findChrome(process.env.CHROME_PATH), args: ['--no-sandbox'] });
});
after(async () => {
  await browser.close();
  await fixtures.close();
});

async function open(path: string, opts?: { quietMs?: number; maxMs?: number }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const result = await openState(
      page,
      `${fixtures.url}${path}`,
      { guard: testGuard(), waitUntil: 'load', timeoutMs: 30_000, failOnHttpError: true },
      opts,
    );
    return { result, text: await page.locator('#out').textContent() };
  } finally {
    await context.close();
  }
}

describe('openState: navigate, then wait for the DOM to settle', () => {
  test('a page where nothing changes after load is settled without waiting out the quiet window', async () => {
    const { result, text } = await open('/static');
    assert.equal(result.how, 'unchanged-since-load');
    assert.equal(result.settled, true);
    assert.equal(text, 'ready');
  });

  test('a page that keeps changing after load is settled once it has stopped, not before', async () => {
    // A quiet window well above the page's 30 ms steps: on a loaded machine a timer can fire late,
    // and a 100 ms gap would rightly count as quiet.
    const { result, text } = await open('/counting', { quietMs: 500 });
    assert.equal(result.how, 'quiet');
    assert.equal(text, '10', 'the steps would have started on a page still counting');
  });

  test('a request made after load is waited for, and what it brings is on the page', async () => {
    const { result, text } = await open('/fetching');
    assert.equal(result.how, 'quiet');
    assert.equal(text, 'data arrived');
  });

  test('a page that never goes quiet is used as it is after the bound', async () => {
    const { result } = await open('/restless', { maxMs: 400 });
    assert.equal(result.how, 'max-wait');
    assert.equal(result.settled, false);
  });

  test('an error status is a failure, named with the status', async () => {
    await assert.rejects(
      open('/broken'),
      (error: unknown) => error instanceof NavisError && /HTTP 500/.test(error.message),
    );
  });
});
