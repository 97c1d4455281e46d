// The live view (seed 001 metadata.live_url): the token guards page and socket, a second Chromium
// opens the page and drives the session's page through it, and the socket follows the session.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import WebSocket from 'ws';
import { BROWSER_LOST, LiveViewer } from '../../src/sessions/live-viewer.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, waitFor, type TestNavis, upgradeStatus } from '../helpers/navis.js';

const SCREEN = { width: 1280, height: 720 };

let navis: TestNavis;
let fixtures: FixtureServer;
/** The person watching: a Chromium of the test's own, apart from the session's. */
let viewerBrowser: Browser;
const connected: Browser[] = [];

before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer();
  viewerBrowser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
});
after(async () => {
  await Promise.all(connected.map((browser) => browser.close()));
  await viewerBrowser?.close();
  await navis?.close();
  await fixtures?.close();
});

interface Session {
  id: string;
  cdpUrl: string;
  liveUrl: string;
}

async function createSession(): Promise<Session> {
  const session = await navis.createSession({});
  return { id: session.session_id, cdpUrl: session.cdp_url, liveUrl: session.metadata.live_url };
}

/** The session's own page (through the CDP proxy), showing the fixture. */
async function sessionPageAt(session: Session, path = '/index.html'): Promise<Page> {
  const browser = await chromium.connectOverCDP(session.cdpUrl);
  connected.push(browser);
  const page = browser.contexts()[0].pages()[0] ?? (await browser.contexts()[0].newPage());
  await page.goto(`${fixtures.url}${path}`);
  return page;
}

/** The live view page in the viewer's browser, once it has drawn a frame. */
async function openLiveView(session: Session): Promise<Page> {
  const viewer = await viewerBrowser.newPage({ viewport: { width: 1000, height: 700 } });
  await viewer.goto(session.liveUrl);
  await viewer.waitForFunction(() => {
    const live = (window as unknown as { __navisLive: { frames: number; connected: boolean } }).__navisLive;
    return live.connected && live.frames > 0;
  });
  return viewer;
}

function liveState(viewer: Page): Promise<{ frames: number; connected: boolean }> {
  return viewer.evaluate(
    () => (window as unknown as { __navisLive: { frames: number; connected: boolean } }).__navisLive,
  );
}

/** Where a point of the session's screen is drawn in the live view. */
async function onCanvas(viewer: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const box = await viewer.locator('canvas').boundingBox();
  assert.ok(box && box.width > 0, 'the canvas is on screen');
  return { x: box.x + (x / SCREEN.width) * box.width, y: box.y + (y / SCREEN.height) * box.height };
}

function socketUrl(liveUrl: string, token?: string): string {
  const url = new URL(liveUrl);
  url.protocol = 'ws:';
  url.pathname += '/ws';
  if (token !== undefined) url.searchParams.set('token', token);
  return url.href;
}

/** A raw viewer socket that remembers every message and how it closed. */
function rawViewer(liveUrl: string) {
  const ws = new WebSocket(socketUrl(liveUrl));
  const messages: Array<{ type: string; [key: string]: unknown }> = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, closed, opened, frames: () => messages.filter((m) => m.type === 'frame').length };
}

test('the live view page opens with the session token and is refused without it or with a wrong one', async () => {
  const session = await createSession();
  const token = new URL(session.liveUrl).searchParams.get('token')!;
  const path = new URL(session.liveUrl).pathname;

  const page = await fetch(session.liveUrl);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  const html = await page.text();
  assert.match(html, /<canvas/);
  assert.doesNotMatch(html, /(src|href)="https?:/, 'nothing is loaded from elsewhere');

  assert.equal((await fetch(`${navis.base}${path}`)).status, 401);
  assert.equal((await fetch(`${navis.base}${path}?token=wrong`)).status, 401);
  assert.equal(await upgradeStatus(socketUrl(session.liveUrl, 'wrong')), 401);
  assert.equal(await upgradeStatus(socketUrl(session.liveUrl)), 101);

  // Request lines are left out: the test logger lacks createLogger's URL redaction (see app.ts).
  const leaks = navis.logs.filter((line) => !line.includes('"req":') && line.includes(token));
  assert.deepEqual(leaks, [], 'the token never reaches the logs');
});

test('the live view page receives frames and a click on it reaches the session page', async () => {
  const session = await createSession();
  const sessionPage = await sessionPageAt(session);
  const viewer = await openLiveView(session);

  const button = await onCanvas(viewer, 100 + 100, 100 + 40); // the middle of the fixture's button
  await viewer.mouse.click(button.x, button.y);
  await waitFor(async () => (await sessionPage.textContent('#clicks')) === '1', 'the click to reach the session page');
  await viewer.waitForFunction(() => document.getElementById('title')?.textContent === 'navis fixture');
  await viewer.close();
});

test('a live view page whose socket drops while the session lives reconnects', async () => {
  const session = await createSession();
  const viewer = await openLiveView(session);
  const token = new URL(session.liveUrl).searchParams.get('token')!;
  const running = navis.navis.services.sessions.byToken(session.id, 'live', token)!;
  const before = (await liveState(viewer)).frames;

  const [served] = [...running.sockets].filter((socket) => socket instanceof LiveViewer);
  served.close(BROWSER_LOST, 'browser connection lost');
  await viewer.waitForFunction(
    () => !(window as unknown as { __navisLive: { connected: boolean } }).__navisLive.connected,
  );
  await viewer.waitForFunction(
    (count) => {
      const live = (window as unknown as { __navisLive: { frames: number; connected: boolean } }).__navisLive;
      return live.connected && live.frames > count;
    },
    before,
    { timeout: 10_000 },
  );
  await viewer.close();
});

test('keys typed and text pasted in the live view reach the focused field of the session page', async () => {
  const session = await createSession();
  const sessionPage = await sessionPageAt(session);
  const viewer = await openLiveView(session);

  const field = await onCanvas(viewer, 100 + 100, 220 + 10);
  await viewer.mouse.click(field.x, field.y);
  await viewer.keyboard.type('hellp');
  await viewer.keyboard.press('Backspace');
  await viewer.keyboard.type('o');
  await waitFor(async () => (await sessionPage.inputValue('#text')) === 'hello', 'typed keys to reach the field');

  await viewer.evaluate(() => {
    const clipboard = new DataTransfer();
    clipboard.setData('text/plain', ' world');
    document.activeElement!.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }),
    );
  });
  await waitFor(
    async () => (await sessionPage.inputValue('#text')) === 'hello world',
    'pasted text to reach the field',
  );
  await viewer.close();
});

test('after terminating the session the live view socket is closed and the page says the session ended', async () => {
  const session = await createSession();
  const viewer = await openLiveView(session);
  const socket = rawViewer(session.liveUrl);
  await waitFor(() => socket.frames() > 0, 'a frame on the raw socket');

  await navis.terminate(session.id);
  assert.deepEqual(await socket.closed, { code: 4001, reason: 'session ended' });
  await viewer.waitForFunction(() => document.getElementById('state')?.textContent === 'session ended');
  assert.equal((await liveState(viewer)).connected, false);
  assert.equal(await upgradeStatus(socketUrl(session.liveUrl)), 410);
  await viewer.close();
});

test('several viewers of one session receive frames at the same time', async () => {
  const session = await createSession();
  const viewers = [rawViewer(session.liveUrl), rawViewer(session.liveUrl), rawViewer(session.liveUrl)];
  await waitFor(() => viewers.every((v) => v.frames() > 0), 'a frame on every viewer socket');
  for (const viewer of viewers) viewer.ws.close();
});

test('malformed viewer messages are ignored and the socket keeps working', async () => {
  const session = await createSession();
  const sessionPage = await sessionPageAt(session);
  const viewer = rawViewer(session.liveUrl);
  await viewer.opened;
  await waitFor(() => viewer.frames() > 0, 'a first frame');

  for (const junk of [
    'not json',
    '{}',
    '[]',
    'null',
    '{"type":"mouse","event":"mousePressed","x":"a","y":1}',
    '{"type":"key","event":"explode"}',
    '{"type":"text","text":""}',
    '{"type":"history","go":"sideways"}',
    '{"type":"history"}',
  ]) {
    viewer.ws.send(junk);
  }
  const click = { type: 'mouse', x: 200, y: 140, button: 'left', clickCount: 1 };
  viewer.ws.send(JSON.stringify({ ...click, event: 'mousePressed' }));
  viewer.ws.send(JSON.stringify({ ...click, event: 'mouseReleased' }));
  await waitFor(async () => (await sessionPage.textContent('#clicks')) === '1', 'the valid click after the junk');
  assert.equal(viewer.ws.readyState, WebSocket.OPEN);
  viewer.ws.close();
});

test('a viewer is told whether the session waits for a person; Done with nobody waiting says so and changes nothing', async () => {
  const session = await createSession();
  const viewer = rawViewer(session.liveUrl);
  await viewer.opened;
  await waitFor(() => viewer.messages.some((m) => m.type === 'pause'), 'the pause state on connect');
  assert.deepEqual(
    viewer.messages.find((m) => m.type === 'pause'),
    { type: 'pause', waiting: false },
  );
  viewer.ws.send(JSON.stringify({ type: 'done' }));
  await waitFor(
    () => viewer.messages.some((m) => m.type === 'error' && /nothing is waiting for Done/.test(String(m.message))),
    'the answer to Done',
  );
  assert.equal(viewer.ws.readyState, WebSocket.OPEN);
  viewer.ws.close();
});

test('the live view follows a tab the session page opens', async () => {
  const session = await createSession();
  const sessionPage = await sessionPageAt(session);
  const viewer = rawViewer(session.liveUrl);
  await waitFor(
    () => viewer.messages.some((m) => m.type === 'page' && String(m.url).endsWith('/index.html')),
    'the first page on the viewer',
  );

  await sessionPage.evaluate((url) => window.open(url), `${fixtures.url}/index.html?tab=2`);
  await waitFor(
    () => viewer.messages.some((m) => m.type === 'page' && String(m.url).endsWith('?tab=2')),
    'the new tab on the viewer',
  );
  viewer.ws.close();
});

test("the address bar opens a URL in the session's page, through the session's navigation guard", async () => {
  const session = await createSession();
  const page = await sessionPageAt(session);
  const viewer = await openLiveView(session);
  await viewer.getByLabel('Address').fill(`${fixtures.url}/actions.html`);
  await viewer.getByLabel('Address').press('Enter');
  await waitFor(() => page.url().endsWith('/actions.html'), 'the session page to open the address');
  await viewer.waitForFunction(() =>
    (document.getElementById('address') as HTMLInputElement).value.endsWith('/actions.html'),
  );
  await viewer.close();
});

test('back, forward and reload move the session page through its history, and the buttons say where it can go', async () => {
  const session = await createSession();
  const page = await sessionPageAt(session, '/index.html');
  await page.goto(`${fixtures.url}/actions.html`);
  const viewer = await openLiveView(session);
  const back = viewer.getByRole('button', { name: 'Back' });
  const forward = viewer.getByRole('button', { name: 'Forward' });
  await viewer.waitForFunction(() => !(document.getElementById('back') as HTMLButtonElement).disabled);
  assert.equal(await forward.isDisabled(), true, 'nothing ahead yet');

  await back.click();
  await waitFor(() => page.url().endsWith('/index.html'), 'the session page to go back');
  await viewer.waitForFunction(() => !(document.getElementById('forward') as HTMLButtonElement).disabled);
  await forward.click();
  await waitFor(() => page.url().endsWith('/actions.html'), 'the session page to go forward');
  await viewer.waitForFunction(() => (document.getElementById('forward') as HTMLButtonElement).disabled);

  await page.evaluate(() => ((window as unknown as { beforeReload?: boolean }).beforeReload = true));
  await viewer.getByRole('button', { name: 'Reload' }).click();
  await waitFor(
    async () =>
      (await page.evaluate(() => (window as unknown as { beforeReload?: boolean }).beforeReload).catch(() => true)) ===
      undefined,
    'the session page to reload',
  );
  assert.ok(page.url().endsWith('/actions.html'));
  await viewer.close();
});

test("back to a page the tenant's policy no longer allows is refused, as typing its address would be", async () => {
  const key = await navis.newTenant('live-c', { network: { allowPrivate: true } });
  const created = await navis.createSession({}, { key });
  const session = { id: created.session_id, cdpUrl: created.cdp_url, liveUrl: created.metadata.live_url };
  const page = await sessionPageAt(session, '/index.html');
  await page.goto(`${fixtures.url}/actions.html`);
  const viewer = await openLiveView(session);
  await viewer.waitForFunction(() => !(document.getElementById('back') as HTMLButtonElement).disabled);
  const tenants = await navis.request('GET', '/admin/tenants');
  const tenant = tenants.body.tenants.find((t: { name: string }) => t.name === 'live-c');
  const closed = await navis.request('PATCH', `/admin/tenants/${tenant.id}`, {
    body: { network: { allowPrivate: false } },
  });
  assert.equal(closed.status, 200, closed.text);

  await viewer.getByRole('button', { name: 'Back' }).click();
  await viewer.waitForFunction(() =>
    /is refused: .*network policy of tenant 'live-c'/.test(document.getElementById('error')?.textContent ?? ''),
  );
  assert.ok(page.url().endsWith('/actions.html'), 'the page stays where it was');
  await viewer.close();
  await navis.terminate(session.id, { key });
});

test('the address bar refuses what no navigation may open, says why, and leaves the page where it was', async () => {
  const session = await createSession();
  const page = await sessionPageAt(session);
  const viewer = await openLiveView(session);
  for (const url of ['file:///etc/passwd', 'chrome://version', 'javascript:alert(1)']) {
    await viewer.getByLabel('Address').fill(url);
    await viewer.getByLabel('Address').press('Enter');
    await viewer.waitForFunction(
      (shown) => document.getElementById('error')?.textContent?.includes(shown),
      url.split(':')[0] + ':',
    );
  }
  assert.ok(page.url().endsWith('/index.html'));
  await viewer.close();
});

test("a restricted tenant's address bar refuses private addresses with the host and the policy named", async () => {
  const key = await navis.newTenant('live-b');
  const created = await navis.createSession({}, { key });
  const session = { id: created.session_id, cdpUrl: created.cdp_url, liveUrl: created.metadata.live_url };
  const viewer = await openLiveView(session);
  await viewer.getByLabel('Address').fill(`${fixtures.url}/index.html`);
  await viewer.getByLabel('Address').press('Enter');
  await viewer.waitForFunction(() =>
    /is refused: .*network policy of tenant 'live-b'/.test(document.getElementById('error')?.textContent ?? ''),
  );
  await viewer.close();
  await navis.terminate(session.id, { key });
});
