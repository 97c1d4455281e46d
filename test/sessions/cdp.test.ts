// The CDP side of sessions with real Chromium: Playwright and raw CDP clients through the proxy,
// its token, several clients at once, and bring-your-own-browser sessions (seed 001 cdp_url).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import WebSocket from 'ws';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { isAlive, startNavis, type TestNavis, upgradeStatus } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
const ownBrowsers: OwnBrowser[] = [];
before(async () => {
  navis = await startNavis();
  fixtures = await startFixtureServer();
});
after(async () => {
  for (const b of ownBrowsers) b.kill();
  await navis.close();
  await fixtures.close();
});

/** A raw CDP client: one WebSocket, commands answered by id. */
async function rawCdp(url: string): Promise<{ send(method: string, params?: object): Promise<any>; close(): void }> {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    const waiter = waiting.get(msg.id);
    if (!waiter) return;
    waiting.delete(msg.id);
    if (msg.error) waiter.reject(new Error(msg.error.message));
    else waiter.resolve(msg.result);
  });
  ws.on('close', () => {
    for (const w of waiting.values()) w.reject(new Error('CDP socket closed'));
  });
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

interface OwnBrowser {
  pid: number;
  wsUrl: string;
  httpUrl: string;
  kill(): void;
}

/** A Chromium the "user" runs themselves, with a DevTools port navis is given as cdp_url. */
async function startOwnBrowser(): Promise<OwnBrowser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-own-browser-'));
  const child: ChildProcess = spawn(
    process.env.CHROME_PATH ?? '/usr/bin/chromium',
    [
      '--headless=new',
      '--no-sandbox',
      '--remote-debugging-port=0',
      `--user-data-dir=${userDataDir}`,
      '--no-first-run',
      'about:blank',
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const kill = () => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  };
  const browser: OwnBrowser = { pid: child.pid!, wsUrl: '', httpUrl: '', kill };
  ownBrowsers.push(browser);
  browser.wsUrl = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = stderr.match(/DevTools listening on (ws:\/\/\S+)/);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`Chromium exited during start (code ${code}): ${stderr}`)));
  });
  browser.httpUrl = `http://${new URL(browser.wsUrl).host}`;
  return browser;
}

test('Playwright connectOverCDP through the proxy drives the session pages at the configured screen size', async () => {
  const session = await navis.createSession({ screen_config: { width: 1024, height: 768 } });
  const browser = await chromium.connectOverCDP(session.cdp_url);
  try {
    const page = browser.contexts()[0].pages()[0];
    await page.goto(`${fixtures.url}/index.html`);
    assert.equal(await page.title(), 'navis fixture');
    assert.deepEqual(await page.evaluate(() => [window.innerWidth, window.innerHeight]), [1024, 768]);
    const opened = await browser.contexts()[0].newPage();
    assert.deepEqual(await opened.evaluate(() => [window.innerWidth, window.innerHeight]), [1024, 768]);
  } finally {
    await browser.close();
  }
  await navis.terminate(session.session_id);
});

test('a raw CDP client through the proxy gets the browser version and its targets', async () => {
  const session = await navis.createSession();
  const cdp = await rawCdp(session.cdp_url);
  try {
    const version = await cdp.send('Browser.getVersion');
    assert.match(version.product, /^(HeadlessChrome|Chrome|Chromium)\/\d+/);
    const { targetInfos } = await cdp.send('Target.getTargets');
    assert.ok(
      targetInfos.some((t: { type: string }) => t.type === 'page'),
      JSON.stringify(targetInfos),
    );
  } finally {
    cdp.close();
  }
  await navis.terminate(session.session_id);
});

test('the proxy answers 401 to a wrong token', async () => {
  const session = await navis.createSession();
  const url = new URL(session.cdp_url);
  url.searchParams.set('token', 'not-the-token');
  assert.equal(await upgradeStatus(url.href), 401);
  url.searchParams.delete('token');
  assert.equal(await upgradeStatus(url.href), 401);
  await navis.terminate(session.session_id);
});

test('two clients on one session at once see the same browser', async () => {
  const session = await navis.createSession();
  const playwright = await chromium.connectOverCDP(session.cdp_url);
  const raw = await rawCdp(session.cdp_url);
  try {
    const page = playwright.contexts()[0].pages()[0];
    await page.goto(`${fixtures.url}/index.html`);
    const { targetInfos } = await raw.send('Target.getTargets');
    assert.ok(
      targetInfos.some((t: { url: string }) => t.url === `${fixtures.url}/index.html`),
      JSON.stringify(targetInfos),
    );
    assert.equal(await page.title(), 'navis fixture');
  } finally {
    raw.close();
    await playwright.close();
  }
  await navis.terminate(session.session_id);
});

test('terminating a session closes the clients connected through the proxy', async () => {
  const session = await navis.createSession();
  const browser = await chromium.connectOverCDP(session.cdp_url);
  const disconnected = new Promise<void>((resolve) => browser.once('disconnected', () => resolve()));
  await navis.terminate(session.session_id);
  await disconnected;
  assert.equal(browser.isConnected(), false);
});

test('a session on the user own browser, by ws or http cdp_url, only disconnects from it on terminate', async () => {
  const own = await startOwnBrowser();
  const byWs = await navis.createSession({ cdp_url: own.wsUrl });
  assert.equal(byWs.cdp_url, own.wsUrl);
  const byHttp = await navis.createSession({ cdp_url: own.httpUrl });
  assert.equal(byHttp.cdp_url, own.httpUrl);

  await navis.terminate(byWs.session_id);
  await navis.terminate(byHttp.session_id);
  assert.equal(isAlive(own.pid), true);
  const again = await rawCdp(own.wsUrl);
  try {
    assert.match((await again.send('Browser.getVersion')).product, /Chrom/);
  } finally {
    again.close();
  }
});

test('a session on the user own browser ends as browser_disconnected when that browser goes away', async () => {
  const own = await startOwnBrowser();
  const session = await navis.createSession({ cdp_url: own.httpUrl });
  own.kill();
  const ended = await navis.waitUntilEnded(session.session_id, {
    dialect: 'public',
    what: 'the session to notice its browser is gone',
  });
  assert.equal(ended.status, 'terminated');
  assert.match(ended.end_reason, /^browser_disconnected/);
});

test('an unreachable cdp_url answers 400 saying what to check', async () => {
  const res = await navis.request('POST', '/public/sessions', {
    body: { cdp_url: 'ws://127.0.0.1:1/devtools/browser/x' },
  });
  assert.equal(res.status, 400);
  assert.match(res.body.detail, /^Could not connect to the browser at cdp_url/);
  assert.match(res.body.detail, /--remote-debugging-port/);
});
