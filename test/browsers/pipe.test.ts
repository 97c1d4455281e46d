// navis's own Playwright connection over the DevTools pipe (src/browsers/pipe.ts): it drives the
// browser next to clients on the WebSocket, a Playwright disconnect leaves the browser running and
// usable (closing the pipe would quit Chromium), and the connection ends with the process.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { BrowserProcess } from '../../src/browsers/chromium.js';
import { findChrome } from '../../src/browsers/find-chrome.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';

let fixtures: FixtureServer;
let root: string;
const launched: BrowserProcess[] = [];

before(async () => {
  fixtures = await startFixtureServer();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-pipe-'));
});
after(async () => {
  await Promise.all(launched.map((b) => b.close(2000)));
  await fixtures.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function launch(): Promise<BrowserProcess> {
  const browser = await BrowserProcess.launch({
    executablePath: findChrome(process.env.CHROME_PATH),
    userDataDir: fs.mkdtempSync(path.join(root, 'profile-')),
    removeUserDataDir: true,
    width: 1280,
    height: 720,
    headless: true,
    timeoutMs: 30_000,
    env: { PATH: '/usr/bin:/bin', HOME: root },
    sandbox: false,
  });
  launched.push(browser);
  return browser;
}

describe('BrowserProcess.playwright() over the DevTools pipe', () => {
  test('one shared connection drives the default page, next to a client on the WebSocket', async () => {
    const browser = await launch();
    const first = browser.playwright();
    assert.equal(browser.playwright(), first, 'callers share one connection');
    const page = (await first).contexts()[0].pages()[0];
    await page.goto(`${fixtures.url}/actions.html`);
    assert.equal(await page.title(), await page.evaluate(() => document.title));

    const client = await chromium.connectOverCDP(browser.wsEndpoint);
    try {
      const seen = client
        .contexts()[0]
        .pages()
        .map((p) => p.url());
      assert.ok(seen.includes(`${fixtures.url}/actions.html`), `the client sees navis's page: ${seen.join(', ')}`);
    } finally {
      await client.close();
    }
  });

  test('a Playwright disconnect leaves the browser running, new pages start, and the next call reconnects', async () => {
    const browser = await launch();
    const connection = await browser.playwright();
    await connection.contexts()[0].pages()[0].goto(`${fixtures.url}/index.html`);
    await connection.close();
    assert.equal(connection.isConnected(), false);

    // Still alive, and a page opened now runs: the detached connection no longer holds new pages
    // waiting for a debugger (its auto-attach was turned off).
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(browser.hasExited, false, 'closing the Playwright connection must not quit Chromium');
    const client = await chromium.connectOverCDP(browser.wsEndpoint);
    try {
      const page = await client.contexts()[0].newPage();
      await page.goto(`${fixtures.url}/actions.html`, { timeout: 10_000 });
      assert.equal(await page.evaluate(() => 6 * 7), 42);
    } finally {
      await client.close();
    }

    const again = await browser.playwright();
    assert.notEqual(again, connection);
    const paths = await Promise.all(
      again
        .contexts()[0]
        .pages()
        .map((p) => p.evaluate(() => location.pathname)),
    );
    assert.deepEqual(
      paths.sort(),
      ['/actions.html', '/index.html'],
      'the new connection sees both pages and can run scripts in them',
    );
  });

  test('the connection ends when the browser exits', async () => {
    const browser = await launch();
    const connection = await browser.playwright();
    const disconnected = new Promise<void>((resolve) => connection.once('disconnected', () => resolve()));
    browser.kill();
    await browser.exited();
    await disconnected;
    assert.equal(connection.isConnected(), false);
  });
});
