// What a tenant can do with CDP (issue 10, table rows 3 and 6, items 3 and 4), as a restricted
// second tenant ("tenant B") against real Chromium: a bring-your-own cdp_url may not lead into
// another navis browser; over its own cdp_url the CDP firewall keeps files, URLs and side doors
// shut while Playwright keeps working; downloads land in the session's files, within their limit.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { attachToPage, devtoolsAddressOf, evaluateIn, rawCdp } from '../helpers/cdp.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, waitFor, type TestNavis } from '../helpers/navis.js';

const KiB = 1024;
/** NAVIS_MAX_SESSION_FILES_BYTES of this file's navis: small, so one download can pass it. */
const MAX_SESSION_FILES_BYTES = 256 * KiB;
const REPORT_CSV = 'region,total\nnorth,12\nsouth,30\n';
/** The CDP error message in an error Playwright's CDPSession throws ("cdpSession.send: Protocol error (M): …"). */
const cdpMessage = (error: Error) => error.message.replace(/^[\s\S]*?Protocol error \([^)]*\): /, '');
/** The refusal of a file path outside the session's files (cdp-firewall.ts). */
const FILES_RULE =
  /^navis refused (DOM\.setFileInputFiles|Input\.dispatchDragEvent): files may come only from this session's files/;

let navis: TestNavis;
let fixtures: FixtureServer;
/** host:port of the fixture server, the one private address tenant B may reach. */
let fixtureHost: string;
/** Tenant B: no private addresses, only the fixture server's port (network.allowHosts). */
let keyB: string;
/** The default tenant's session: the other tenant's browser B must not reach. */
let sessionA: Record<string, any>;
/** Requests for big.bin whose connection ended before the whole body was sent (a cancelled download). */
let bigCut = 0;

/** A DevTools /json/version answer naming `wsUrl`, as a fixture route. */
const versionNaming = (wsUrl: () => string) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ Browser: 'Chrome/156.0.0.0', 'Protocol-Version': '1.3', webSocketDebuggerUrl: wsUrl() }));
};

/** /download/<name>: attachments; big.bin (1 MiB) comes in small pieces with pauses, fast.bin (1 MiB) in one piece. */
function downloadRoutes(): Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> {
  const attachment =
    (name: string, body: string | Buffer) => (_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="${name}"`,
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    };
  return {
    '/download/report.csv': attachment('report.csv', REPORT_CSV),
    '/download/other.csv': attachment('other.csv', 'other\n'),
    '/download/fast.bin': attachment('fast.bin', Buffer.alloc(1024 * KiB, 0x62)),
    '/download/named': (req, res) => {
      const name = new URL(req.url!, 'http://x').searchParams.get('name')!;
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename*=UTF-8''${name}`,
        'content-length': 3,
      });
      res.end('abc');
    },
    '/download/big.bin': (_req, res) => {
      const total = 1024 * KiB;
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-disposition': 'attachment; filename="big.bin"',
      });
      let sent = 0;
      const timer = setInterval(() => {
        if (sent >= total) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(Buffer.alloc(16 * KiB, 0x61));
        sent += 16 * KiB;
      }, 20);
      res.on('close', () => {
        clearInterval(timer);
        if (sent < total) bigCut++;
      });
    },
    // A "browser" on an address tenant B may reach, whose /json/version names the default tenant's browser.
    '/json/version': versionNaming(() => devtoolsAddressOf(navis, sessionA.session_id).wsUrl),
    '/localhost/json/version': versionNaming(() =>
      devtoolsAddressOf(navis, sessionA.session_id).wsUrl.replace('127.0.0.1', 'localhost'),
    ),
    // One that sends navis to the default tenant's browser by a redirect instead.
    '/redirect/json/version': (_req, res) => {
      res.writeHead(302, { location: `${devtoolsAddressOf(navis, sessionA.session_id).httpUrl}/json/version` });
      res.end();
    },
  };
}

before(async () => {
  navis = await startNavis({ poolSize: 0, maxSessionFilesBytes: MAX_SESSION_FILES_BYTES });
  fixtures = await startFixtureServer({ routes: downloadRoutes() });
  fixtureHost = new URL(fixtures.url).host;
  keyB = await navis.newTenant('b', { network: { allowHosts: [fixtureHost] } });
  sessionA = await navis.createSession();
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

/** A request as tenant B. */
const asB = (method: string, urlPath: string, body?: unknown) => navis.request(method, urlPath, { key: keyB, body });
const filesOf = async (id: string, key = keyB) => {
  const res = await navis.request('GET', `/browser/sessions/${id}/files`, { key });
  assert.equal(res.status, 200, res.text);
  return res.body.files as { filename: string; size: number }[];
};
const folderOf = (id: string) => path.join(navis.dataDir, 'files', id);
async function upload(id: string, filename: string, content: string, key = keyB): Promise<void> {
  const res = await fetch(`${navis.base}/browser/sessions/${id}/files?filename=${encodeURIComponent(filename)}`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/octet-stream' },
    body: content,
  });
  assert.equal(res.status, 201, await res.text());
}
/** Sessions tenant B has running. */
const runningOfB = async () => (await asB('GET', '/public/sessions?status=active')).body.sessions.length as number;

describe('a bring-your-own cdp_url into another navis browser (table row 3)', () => {
  test("tenant B's http cdp_url at the default tenant's DevTools port answers 403 EGRESS_REFUSED naming the rule", async () => {
    const { httpUrl } = devtoolsAddressOf(navis, sessionA.session_id);
    const res = await asB('POST', '/browser/sessions', { cdpUrl: httpUrl });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.code, 'EGRESS_REFUSED');
    assert.match(
      res.body.error,
      /^cdp_url refused: .* the DevTools endpoint of a navis browser, which no page or tenant may reach/,
    );
    assert.equal(await runningOfB(), 0);
  });

  test("tenant B's ws:// cdp_url of the default tenant's browser answers 403 EGRESS_REFUSED in the /public dialect too", async () => {
    const { wsUrl } = devtoolsAddressOf(navis, sessionA.session_id);
    const res = await asB('POST', '/public/sessions', { cdp_url: wsUrl });
    assert.equal(res.status, 403, res.text);
    assert.match(res.body.detail, /^cdp_url refused: .* the DevTools endpoint of a navis browser/);
    assert.equal(await runningOfB(), 0);
  });

  test('the default tenant, which may reach private addresses, is refused another navis browser too', async () => {
    const other = await navis.createSession();
    const { httpUrl, wsUrl } = devtoolsAddressOf(navis, other.session_id);
    for (const cdpUrl of [httpUrl, wsUrl]) {
      const res = await navis.request('POST', '/public/sessions', { body: { cdp_url: cdpUrl } });
      assert.equal(res.status, 403, `${cdpUrl}: ${res.text}`);
      assert.match(res.body.detail, /the DevTools endpoint of a navis browser/);
    }
    await navis.terminate(other.session_id);
  });

  test('a tenant whose allowHosts names the DevTools port itself is still refused', async () => {
    const { port, wsUrl } = devtoolsAddressOf(navis, sessionA.session_id);
    const key = await navis.newTenant('names-the-port', {
      network: { allowPrivate: true, allowHosts: [`127.0.0.1:${port}`, '127.0.0.0/8'] },
    });
    const res = await navis.request('POST', '/public/sessions', { key, body: { cdp_url: wsUrl } });
    assert.equal(res.status, 403, res.text);
    assert.match(res.body.detail, /the DevTools endpoint of a navis browser/);
  });

  test('other spellings of the loopback address (localhost, 127.1, 0.0.0.0, [::ffff:127.0.0.1], 2130706433) are refused the same way', async () => {
    const { port } = devtoolsAddressOf(navis, sessionA.session_id);
    for (const host of ['localhost', '127.1', '0.0.0.0', '[::ffff:127.0.0.1]', '2130706433', '[::1]']) {
      const res = await navis.request('POST', '/public/sessions', { body: { cdp_url: `http://${host}:${port}` } });
      assert.equal(res.status, 403, `${host}: ${res.text}`);
      assert.match(res.body.detail, /the DevTools endpoint of a navis browser/, host);
    }
  });

  test("a /json/version on a host tenant B may reach that names the default tenant's browser is refused with 403", async () => {
    const res = await asB('POST', '/public/sessions', { cdp_url: fixtures.url });
    assert.equal(res.status, 403, res.text);
    assert.match(res.body.detail, /^cdp_url refused: .*the DevTools endpoint of a navis browser/);
    assert.equal(await runningOfB(), 0);
  });

  test('a /json/version naming a navis browser by the name localhost is refused for the default tenant too', async () => {
    const res = await navis.request('POST', '/public/sessions', { body: { cdp_url: `${fixtures.url}/localhost` } });
    assert.equal(res.status, 403, res.text);
    assert.match(res.body.detail, /^cdp_url refused: .*the DevTools endpoint of a navis browser/);
  });

  test("a /json/version that redirects to the default tenant's browser is not followed", async () => {
    const res = await asB('POST', '/public/sessions', { cdp_url: `${fixtures.url}/redirect` });
    assert.ok(res.status === 400 || res.status === 403, res.text);
    assert.equal(await runningOfB(), 0);
  });

  test("a browser of the tenant's own that its policy allows still works, and counts against limits.maxSessions", async () => {
    const port = await freePort();
    const own = await chromium.launch({
      executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
      args: [`--remote-debugging-port=${port}`, '--remote-debugging-address=127.0.0.1'],
    });
    try {
      const key = await navis.newTenant('byo', {
        network: { allowHosts: [`127.0.0.1:${port}`, fixtureHost] },
        limits: { maxSessions: 1 },
      });
      const byo = await navis.createSession({ cdp_url: `http://127.0.0.1:${port}` }, { key });
      assert.equal(byo.cdp_url, `http://127.0.0.1:${port}`);
      const task = await navis.request('POST', `/browser/sessions/${byo.session_id}/tasks`, {
        key,
        body: { url: `${fixtures.url}/index.html`, actions: [{ type: 'evaluate', script: 'document.title' }] },
      });
      assert.equal(task.status, 201, task.text);
      assert.equal(task.body.actionResults[0].value, 'navis fixture');

      const second = await navis.request('POST', '/browser/sessions', { key, body: {} });
      assert.equal(second.status, 429, second.text);
      assert.equal(second.body.code, 'TOO_MANY_SESSIONS');
      const secondByo = await navis.request('POST', '/public/sessions', {
        key,
        body: { cdp_url: `http://127.0.0.1:${port}` },
      });
      assert.equal(secondByo.status, 429, secondByo.text);

      await navis.terminate(byo.session_id, { key });
      const afterEnd = await navis.createSession({}, { key, dialect: 'browser' });
      await navis.terminate(afterEnd.id, { key });
    } finally {
      await own.close();
    }
  });
});

describe("the CDP firewall on tenant B's own cdp_url (table row 6)", () => {
  let session: Record<string, any>;
  let browser: Browser;
  let page: Page;
  let cdp: CDPSession;

  before(async () => {
    session = await navis.createSession({}, { key: keyB, dialect: 'browser' });
    await upload(session.id, 'invoice.txt', 'invoice 42: paid');
    await upload(sessionA.session_id, 'secret.txt', "the default tenant's secret", ADMIN_KEY);
    browser = await chromium.connectOverCDP(session.cdpUrl);
    page = browser.contexts()[0].pages()[0];
    cdp = await page.context().newCDPSession(page);
  });
  after(async () => {
    await browser.close();
    await navis.terminate(session.id, { key: keyB });
  });

  /** A fresh copy of the file input page (nothing read yet). */
  const freshPage = () => page.goto(`${fixtures.url}/file-input.html`);
  const inputObjectId = async () =>
    (await cdp.send('Runtime.evaluate', { expression: "document.getElementById('file')" })).result.objectId!;
  /** What the page holds: files in its input and what it read of them. */
  const pageHolds = () =>
    page.evaluate(() => ({
      files: (document.getElementById('file') as HTMLInputElement).files!.length,
      read: (window as any).read,
    }));

  async function assertFilesRefused(files: string[]): Promise<void> {
    await freshPage();
    await assert.rejects(
      cdp.send('DOM.setFileInputFiles', { files, objectId: await inputObjectId() }),
      (error: Error) => {
        assert.match(cdpMessage(error), FILES_RULE);
        return true;
      },
    );
    assert.deepEqual(await pageHolds(), { files: 0, read: [] });
  }

  test('DOM.setFileInputFiles with /etc/passwd is refused naming the rule, and the page gets no file', async () => {
    await assertFilesRefused(['/etc/passwd']);
  });

  test("DOM.setFileInputFiles with navis's vault.key is refused", async () => {
    await assertFilesRefused([path.join(navis.dataDir, 'vault.key')]);
  });

  test("DOM.setFileInputFiles with navis's navis.db is refused", async () => {
    await assertFilesRefused([path.join(navis.dataDir, 'navis.db')]);
  });

  test('DOM.setFileInputFiles with ../ escapes from the files folder is refused', async () => {
    await assertFilesRefused([`${folderOf(session.id)}/../../vault.key`]);
    await assertFilesRefused(['../../vault.key']);
    await assertFilesRefused([
      `${folderOf(session.id)}/invoice.txt`,
      `${folderOf(session.id)}/../${sessionA.session_id}/secret.txt`,
    ]);
  });

  test("DOM.setFileInputFiles with a file of another session's files folder is refused", async () => {
    await assertFilesRefused([path.join(folderOf(sessionA.session_id), 'secret.txt')]);
  });

  test("a relative path is taken inside the files folder, never from the browser's working directory", async () => {
    // Judged against the folder, it must reach Chromium as the path that was judged: as it came,
    // Chromium would take it from its own working directory (navis's; today it kills the renderer).
    await freshPage();
    await cdp.send('DOM.setFileInputFiles', { files: ['invoice.txt'], objectId: await inputObjectId() });
    const held = await waitFor(
      async () => ((await pageHolds()).read.length > 0 ? pageHolds() : undefined),
      'the page to read the file',
    );
    assert.deepEqual(held, { files: 1, read: [{ name: 'invoice.txt', text: 'invoice 42: paid' }] });

    await freshPage();
    await cdp.send('DOM.setFileInputFiles', { files: ['package.json'], objectId: await inputObjectId() });
    const none = await waitFor(
      async () => ((await pageHolds()).read.length > 0 ? pageHolds() : undefined),
      'the page to try the file',
    );
    assert.equal(none.read.length, 1);
    assert.match(none.read[0].text, /^unreadable: /, "the page read a package.json that is not in the session's files");
  });

  test('a file uploaded to the session, named as <files folder>/<name>, reaches the page', async () => {
    await freshPage();
    await cdp.send('DOM.setFileInputFiles', {
      files: [path.join(folderOf(session.id), 'invoice.txt')],
      objectId: await inputObjectId(),
    });
    const held = await waitFor(
      async () => ((await pageHolds()).read.length > 0 ? pageHolds() : undefined),
      'the page to read the file',
    );
    assert.deepEqual(held, { files: 1, read: [{ name: 'invoice.txt', text: 'invoice 42: paid' }] });
  });

  test("Playwright's setInputFiles keeps working: it sends the client's own files as content, not as paths", async () => {
    // Over a WebSocket Playwright reads a path on the client's machine and sends the bytes, so the
    // firewall's path rule never stands in its way (and never sees the server's files named).
    await freshPage();
    await page.setInputFiles('#file', {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('from the client'),
    });
    await waitFor(async () => (await pageHolds()).read.length > 0, 'the page to read the file');
    assert.deepEqual((await pageHolds()).read, [{ name: 'notes.txt', text: 'from the client' }]);
  });

  test('Input.dispatchDragEvent with files outside the files folder is refused', async () => {
    await freshPage();
    const box = (await page.locator('#drop').boundingBox())!;
    const at = { x: box.x + 50, y: box.y + 50 };
    for (const type of ['dragEnter', 'drop'] as const) {
      await assert.rejects(
        cdp.send('Input.dispatchDragEvent', {
          type,
          ...at,
          data: { items: [], files: ['/etc/passwd', path.join(navis.dataDir, 'vault.key')], dragOperationsMask: 1 },
        }),
        (error: Error) => (assert.match(cdpMessage(error), FILES_RULE), true),
      );
    }
    assert.deepEqual(await pageHolds(), { files: 0, read: [] });
  });

  for (const url of [
    'file:///etc/passwd',
    'FILE:///etc/passwd',
    ' file:///etc/passwd',
    'view-source:file:///etc/passwd',
    'chrome://version',
    'javascript:alert(1)',
    'data:text/html,<h1>x</h1>',
    'about:srcdoc',
  ]) {
    test(`Page.navigate to ${JSON.stringify(url)} is refused and the page stays where it was`, async () => {
      await freshPage();
      await assert.rejects(cdp.send('Page.navigate', { url }), /navis refused Page\.navigate: /);
      assert.equal(page.url(), `${fixtures.url}/file-input.html`);
    });
  }

  test('Target.createTarget for chrome://version or a file: URL is refused and opens no target', async () => {
    const browserCdp = await browser.newBrowserCDPSession();
    try {
      const before = (await browserCdp.send('Target.getTargets')).targetInfos.length;
      await assert.rejects(
        browserCdp.send('Target.createTarget', { url: 'chrome://version' }),
        /navis refused Target\.createTarget: chrome: URLs are refused/,
      );
      await assert.rejects(
        browserCdp.send('Target.createTarget', { url: 'file:///etc/passwd' }),
        /navis refused Target\.createTarget: file: URLs are refused/,
      );
      assert.equal((await browserCdp.send('Target.getTargets')).targetInfos.length, before);
    } finally {
      await browserCdp.detach();
    }
  });

  test('Fetch.continueRequest may not rewrite an intercepted request to a file: URL', async () => {
    await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/index.html' }] });
    try {
      const paused = new Promise<{ requestId: string }>((resolve) => cdp.once('Fetch.requestPaused', resolve));
      const navigation = page.goto(`${fixtures.url}/index.html`).catch(() => undefined);
      const { requestId } = await paused;
      await assert.rejects(
        cdp.send('Fetch.continueRequest', { requestId, url: 'file:///etc/passwd' }),
        /navis refused Fetch\.continueRequest: an intercepted request may be rewritten only to an http\(s\) URL/,
      );
      await cdp.send('Fetch.continueRequest', { requestId });
      await navigation;
      assert.equal(await page.title(), 'navis fixture');
    } finally {
      await cdp.send('Fetch.disable');
    }
  });

  test('Target.createBrowserContext with a proxy of its own is refused', async () => {
    const browserCdp = await browser.newBrowserCDPSession();
    try {
      await assert.rejects(
        browserCdp.send('Target.createBrowserContext', { proxyServer: 'direct://' }),
        /navis refused Target\.createBrowserContext: a context with its own proxy would go around/,
      );
      await assert.rejects(
        browserCdp.send('Target.createBrowserContext', { proxyBypassList: '<-loopback>' }),
        /navis refused Target\.createBrowserContext/,
      );
      const { browserContextId } = await browserCdp.send('Target.createBrowserContext', {});
      await browserCdp.send('Target.disposeBrowserContext', { browserContextId });
    } finally {
      await browserCdp.detach();
    }
  });

  // Refused before the browser sees them, whatever their parameters say.
  const SIDE_DOORS: [string, Record<string, unknown>][] = [
    ['Target.exposeDevToolsProtocol', { targetId: 'the page', bindingName: 'cdp' }],
    ['Target.setRemoteLocations', { locations: [{ host: '127.0.0.1', port: 9222 }] }],
    [
      'Network.loadNetworkResource',
      {
        frameId: 'the main frame',
        url: 'file:///etc/passwd',
        options: { disableCache: true, includeCredentials: false },
      },
    ],
  ];
  for (const [method, params] of SIDE_DOORS) {
    test(`${method} is refused`, async () => {
      await assert.rejects(
        cdp.send(method as never, params as never),
        new RegExp(`navis refused ${method.replace('.', '\\.')}: `),
      );
    });
  }

  test('Playwright connectOverCDP drives an allowed page through the firewall: goto, click, evaluate, screenshot', async () => {
    const client = await chromium.connectOverCDP(session.cdpUrl);
    try {
      const context = client.contexts()[0];
      const own = await context.newPage();
      await own.goto(`${fixtures.url}/file-input.html`);
      await own.click('#button');
      assert.equal(await own.title(), 'clicked');
      assert.equal(await own.evaluate(() => 6 * 7), 42);
      const png = await own.screenshot();
      assert.deepEqual([...png.subarray(1, 4)], [...Buffer.from('PNG')]);
      await own.close();
    } finally {
      await client.close();
    }
  });
});

describe('commands wrapped in Target.sendMessageToTarget (a non-flat session)', () => {
  let session: Record<string, any>;

  before(async () => {
    session = await navis.createSession({}, { key: keyB, dialect: 'browser' });
  });
  after(async () => {
    await navis.terminate(session.id, { key: keyB });
  });

  /**
   * On a raw client, attaches to the page without flatten and sends `inner` wrapped (`depth` times):
   * the outer command's answer, and the inner one's once it came back as an event.
   */
  async function wrapped(
    inner: { method: string; params: object },
    depth = 1,
  ): Promise<{ outer: Promise<unknown>; innerAnswer: () => any; close(): void }> {
    const cdp = await rawCdp(session.cdpUrl);
    const { targetInfos } = await cdp.send('Target.getTargets');
    const { sessionId } = await cdp.send('Target.attachToTarget', {
      targetId: targetInfos.find((t: { type: string }) => t.type === 'page').targetId,
      flatten: false,
    });
    let message = JSON.stringify({ id: 7, ...inner });
    for (let level = 1; level < depth; level++)
      message = JSON.stringify({ id: 7 + level, method: 'Target.sendMessageToTarget', params: { sessionId, message } });
    return {
      outer: cdp.send('Target.sendMessageToTarget', { sessionId, message }),
      innerAnswer: () => {
        const got = cdp.events.find(
          (e) => e.method === 'Target.receivedMessageFromTarget' && JSON.parse(e.params.message).id === 7,
        );
        return got && JSON.parse(got.params.message);
      },
      close: () => cdp.close(),
    };
  }

  test('a harmless command through sendMessageToTarget is answered (the path works)', async () => {
    const { outer, innerAnswer, close } = await wrapped({
      method: 'Runtime.evaluate',
      params: { expression: '6 * 7', returnByValue: true },
    });
    try {
      await outer;
      const answer = await waitFor(innerAnswer, 'the wrapped answer');
      assert.equal(answer.result.result.value, 42);
    } finally {
      close();
    }
  });

  for (const inner of [
    { method: 'Page.navigate', params: { url: 'file:///etc/passwd' } },
    { method: 'DOM.setFileInputFiles', params: { files: ['/etc/passwd'], nodeId: 1 } },
    {
      method: 'Network.loadNetworkResource',
      params: { url: 'file:///etc/passwd', frameId: 'x', options: { disableCache: true, includeCredentials: false } },
    },
    { method: 'Target.exposeDevToolsProtocol', params: { targetId: 'x' } },
  ]) {
    test(`${inner.method} wrapped in Target.sendMessageToTarget is refused`, async () => {
      const { outer, close } = await wrapped(inner);
      await assert.rejects(outer, new RegExp(`navis refused ${inner.method.replace('.', '\\.')}: `)).finally(close);
    });
  }

  test('a refused command wrapped twice is refused too', async () => {
    const { outer, close } = await wrapped({ method: 'Page.navigate', params: { url: 'file:///etc/passwd' } }, 2);
    await assert.rejects(outer, /navis refused Page\.navigate: file: URLs are refused/).finally(close);
  });
});

describe('downloads land in the session files', () => {
  test('a download a task clicks is listed by GET /browser/sessions/{id}/files under its name', async () => {
    const session = await navis.createSession({}, { key: keyB, dialect: 'browser' });
    const task = await asB('POST', `/browser/sessions/${session.id}/tasks`, {
      url: `${fixtures.url}/downloads.html`,
      actions: [{ type: 'click', selector: '#small' }],
    });
    assert.equal(task.status, 201, task.text);
    const file = await waitFor(
      async () => (await filesOf(session.id)).find((f) => f.filename === 'report.csv'),
      'report.csv in the session files',
    );
    assert.equal(file.size, Buffer.byteLength(REPORT_CSV));
    assert.equal(fs.readFileSync(path.join(folderOf(session.id), 'report.csv'), 'utf8'), REPORT_CSV);
    await navis.terminate(session.id, { key: keyB });
  });

  test('a CDP client that asks for a download folder of its own gets the session files instead', async () => {
    const session = await navis.createSession({}, { key: keyB, dialect: 'browser' });
    const elsewhere = fs.mkdtempSync(path.join(navis.dataDir, '..', 'navis-elsewhere-'));
    const cdp = await rawCdp(session.cdpUrl);
    try {
      await cdp.send('Browser.setDownloadBehavior', {
        behavior: 'allowAndName',
        downloadPath: elsewhere,
        eventsEnabled: true,
      });
      const { sessionId } = await attachToPage(cdp);
      await cdp.send('Page.navigate', { url: `${fixtures.url}/downloads.html` }, sessionId);
      await waitFor(
        async () => (await evaluateIn(cdp, sessionId, 'document.readyState')) === 'complete',
        'the downloads page',
      );
      await evaluateIn(cdp, sessionId, "document.getElementById('other').click()");
      await cdp.waitForEvent(
        'Browser.downloadProgress',
        (e) => e.params.state === 'completed',
        'the download to complete',
      );
      assert.deepEqual(
        (await filesOf(session.id)).map((f) => f.filename),
        ['other.csv'],
      );
      assert.deepEqual(fs.readdirSync(elsewhere), []);
    } finally {
      cdp.close();
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
    await navis.terminate(session.id, { key: keyB });
  });

  test("a Playwright client's download lands in the session files", async () => {
    const session = await navis.createSession({}, { key: keyB, dialect: 'browser' });
    const client = await chromium.connectOverCDP(session.cdpUrl);
    try {
      const page = client.contexts()[0].pages()[0];
      await page.goto(`${fixtures.url}/downloads.html`);
      await page.click('#small');
      await waitFor(
        async () => (await filesOf(session.id)).some((f) => f.filename === 'report.csv'),
        'report.csv in the session files',
      );
    } finally {
      await client.close();
    }
    await navis.terminate(session.id, { key: keyB });
  });

  test('a download named ../../vault.key lands inside the session files, under a name without a path', async () => {
    const session = await navis.createSession({}, { key: keyB, dialect: 'browser' });
    const vaultKey = fs.readFileSync(path.join(navis.dataDir, 'vault.key'));
    const name = encodeURIComponent(encodeURIComponent('../../vault.key'));
    const task = await asB('POST', `/browser/sessions/${session.id}/tasks`, {
      url: `${fixtures.url}/downloads.html`,
      actions: [{ type: 'evaluate', script: `location.href = '/download/named?name=${name}'; true` }],
    });
    assert.equal(task.status, 201, task.text);
    const [file] = await waitFor(async () => {
      const files = await filesOf(session.id);
      return files.length > 0 ? files : undefined;
    }, 'the download in the session files');
    assert.doesNotMatch(file.filename, /\//);
    assert.equal(fs.readFileSync(path.join(folderOf(session.id), file.filename), 'utf8'), 'abc');
    assert.deepEqual(fs.readFileSync(path.join(navis.dataDir, 'vault.key')), vaultKey);
    await navis.terminate(session.id, { key: keyB });
  });

  test('a download in a browser context the client created counts against the same limit', async () => {
    const session = await navis.createSession({}, { key: keyB, dialect: 'browser' });
    const client = await chromium.connectOverCDP(session.cdpUrl);
    const cutBefore = bigCut;
    try {
      const context = await client.newContext({ acceptDownloads: true });
      const page = await context.newPage();
      await page.goto(`${fixtures.url}/downloads.html`);
      await page.click('#big');
      await waitFor(() => bigCut > cutBefore, 'the download of big.bin to be cancelled', 60_000);
      await waitFor(() => fs.readdirSync(folderOf(session.id)).length === 0, 'the partial download to be removed');
      assert.deepEqual(await filesOf(session.id), []);
    } finally {
      await client.close();
    }
    await navis.terminate(session.id, { key: keyB });
  });

  test('a download larger than NAVIS_MAX_SESSION_FILES_BYTES is cancelled and leaves no file', async () => {
    const session = await navis.createSession({}, { key: keyB, dialect: 'browser' });
    const cutBefore = bigCut;
    const task = await asB('POST', `/browser/sessions/${session.id}/tasks`, {
      url: `${fixtures.url}/downloads.html`,
      actions: [{ type: 'click', selector: '#big' }],
    });
    assert.equal(task.status, 201, task.text);
    await waitFor(() => bigCut > cutBefore, 'the browser to cancel the download of big.bin', 60_000);
    await waitFor(() => fs.readdirSync(folderOf(session.id)).length === 0, 'the partial download to be removed');
    assert.deepEqual(await filesOf(session.id), []);
    await navis.terminate(session.id, { key: keyB });
  });

  test('a download past the limit that arrives in one piece leaves no file either', async () => {
    const session = await navis.createSession({}, { key: keyB, dialect: 'browser' });
    const task = await asB('POST', `/browser/sessions/${session.id}/tasks`, {
      url: `${fixtures.url}/downloads.html`,
      actions: [{ type: 'evaluate', script: "location.href = '/download/fast.bin'; true" }],
    });
    assert.equal(task.status, 201, task.text);
    const settled = () =>
      navis.logs.some((line) => line.includes(session.id) && /download (cancelled|removed)/.test(line));
    await waitFor(
      () => settled() && fs.readdirSync(folderOf(session.id)).length === 0,
      'the download of fast.bin to be cancelled or removed',
    );
    assert.deepEqual(await filesOf(session.id), []);
    await navis.terminate(session.id, { key: keyB });
  });
});

/** A TCP port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
