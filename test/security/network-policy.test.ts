// issue 10, items 1–3 on the wire: a restricted second tenant ("tenant B": no private access but
// one fixture port its allowHosts names) against real Chromium and fixture servers on 127.0.0.1. Every navigation navis starts for B goes
// through one guard (a 400 for a scheme, a 403 naming the host and the policy for an address), and
// everything B's pages load themselves (redirects, subresources, fetch/XHR, WebSockets) goes
// through B's egress guard. The refused server is a witness: it counts every TCP connection, so
// "refused" means nothing reached it, never a blank page. DevTools ports and navis's own API are
// closed to every page, the default tenant's too; the default tenant still reaches 127.0.0.1.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';
import { startWitnessServer, type WitnessServer } from '../helpers/witness.js';

let navis: TestNavis;
/** Pages tenant B may load: its allowHosts names exactly this server's port. */
let allowed: FixtureServer;
/** A server on 127.0.0.1 tenant B may not reach; it records whatever reaches it. */
let refused: WitnessServer;
let tenantB: Tenant;
let sessionB: string;
/** A default-tenant session, whose browser's DevTools port is the prize. */
let adminSession: string;
let defaultTenantId: string;

interface Tenant {
  id: string;
  key: string;
}

before(async () => {
  navis = await startNavis({ poolSize: 0 });
  refused = await startWitnessServer('refused');
  allowed = await startFixtureServer({
    routes: {
      // A page on an allowed port that redirects wherever ?to= says.
      '/redirect': (_req, res, url) => {
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
        res.end();
      },
      // Never answers: a page that waits for it never finishes loading.
      '/hang': () => {},
      // An allowed page with an image the guard refuses and one that never loads.
      '/refused-image-then-hang': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end(`<!doctype html><title>slow</title><img src="${refused.url}/img.png"><img src="/hang">`);
      },
      '/robots.txt': (_req, res) => {
        res.writeHead(302, { location: `${refused.url}/robots.txt` });
        res.end();
      },
      '/plain': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        res.end('<!doctype html><title>allowed</title><p id="here">allowed page</p>');
      },
    },
  });
  tenantB = await createTenant('b', { allowHosts: [`127.0.0.1:${portOf(allowed.url)}`] });
  sessionB = (await navis.createSession({}, { key: tenantB.key, dialect: 'browser' })).id;
  adminSession = (await navis.createSession({}, { dialect: 'browser' })).id;
  const tenants = await navis.request('GET', '/admin/tenants');
  defaultTenantId = tenants.body.tenants.find((t: any) => t.name === 'default').id;
});

after(async () => {
  await navis.close();
  await allowed.close();
  await refused.close();
});

const portOf = (url: string) => Number(new URL(url).port);

/** POST /admin/tenants with a network policy; the tenant's id and first key. */
async function createTenant(name: string, network: Record<string, unknown> = {}): Promise<Tenant> {
  const res = await navis.request('POST', '/admin/tenants', { body: { name, network } });
  assert.equal(res.status, 201, res.text);
  return { id: res.body.id, key: res.body.api_key };
}

async function patchNetwork(tenantId: string, network: Record<string, unknown>): Promise<void> {
  const res = await navis.request('PATCH', `/admin/tenants/${tenantId}`, { body: { network } });
  assert.equal(res.status, 200, res.text);
}

/** Run Task as `key` on session `id` (tenant B's unless told). */
const task = (body: unknown, opts: { key?: string; id?: string } = {}) =>
  navis.request('POST', `/browser/sessions/${opts.id ?? sessionB}/tasks`, { key: opts.key ?? tenantB.key, body });

/** The port of the DevTools endpoint of a session's browser, read from navis's running sessions. */
function devtoolsPortOf(sessionId: string): number {
  const running = navis.navis.services.sessions['running'].get(sessionId);
  assert.ok(running?.browser, `session ${sessionId} has no browser navis launched`);
  return running.browser.devtoolsPort;
}

/** A 4xx of the /browser dialect with its code and an error sentence matching every pattern. */
function assertRefusal(
  res: { status: number; body: any; text: string },
  status: number,
  code: string,
  ...patterns: RegExp[]
): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body?.code, code, res.text);
  for (const pattern of patterns) assert.match(res.body.error, pattern);
}

/** The refusal of tenant B's policy for a host:port, as a regular expression on the message. */
const refusedByB = (hostPort: string) =>
  new RegExp(
    `${hostPort.replace(/[.[\]]/g, '\\$&')} is refused: .*network policy of tenant 'b' does not allow private addresses`,
  );

/** Asserts the witness server got no new TCP connection since it had `seen` (a count taken earlier). */
function assertNothingReached(seen: number): void {
  assert.equal(refused.connections, seen, `the refused server got connections: ${refused.requests.join(', ')}`);
}

describe("the issue's table, as tenant B", () => {
  test('a task with url file:///etc/passwd and an extract answers 400 URL_NOT_ALLOWED naming file: and NAVIS_ALLOW_FILE_URLS, and reads nothing', async () => {
    const res = await task({ url: 'file:///etc/passwd', actions: [{ type: 'extract' }] });
    assertRefusal(res, 400, 'URL_NOT_ALLOWED', /file: URLs are refused/, /NAVIS_ALLOW_FILE_URLS/);
    assert.doesNotMatch(res.text, /root:/);
    assert.equal(res.body.failedActionIndex, null);
    assert.deepEqual(res.body.actionResults, []);
  });

  test('a task with url file://<data dir>/ answers 400 and lists nothing of the data dir', async () => {
    const res = await task({ url: `file://${navis.dataDir}/`, actions: [{ type: 'extract' }] });
    assertRefusal(res, 400, 'URL_NOT_ALLOWED', /file: URLs are refused/, /NAVIS_ALLOW_FILE_URLS/);
    assert.doesNotMatch(res.text, /navis\.db|vault\.key|profiles/);
  });

  test('a navigate action to file://<data dir>/vault.key answers 400 at that action', async () => {
    const res = await task({
      actions: [{ type: 'navigate', url: `file://${navis.dataDir}/vault.key` }, { type: 'extract' }],
    });
    assertRefusal(res, 400, 'URL_NOT_ALLOWED', /file: URLs are refused/);
    assert.equal(res.body.failedActionIndex, 0);
  });

  test('view-source:file:///etc/passwd answers 400 naming view-source:', async () => {
    const res = await task({ url: 'view-source:file:///etc/passwd', actions: [{ type: 'extract' }] });
    assertRefusal(res, 400, 'URL_NOT_ALLOWED', /view-source: URLs are refused/, /NAVIS_ALLOW_FILE_URLS/);
    assert.doesNotMatch(res.text, /root:/);
  });

  test('chrome://version answers 400 naming chrome:', async () => {
    const res = await task({ url: 'chrome://version', actions: [{ type: 'extract' }] });
    assertRefusal(res, 400, 'URL_NOT_ALLOWED', /chrome: URLs are refused/);
    assert.doesNotMatch(res.text, /Command Line|user-data-dir/);
  });

  test('for the default tenant too, file:///etc/passwd answers 400 while NAVIS_ALLOW_FILE_URLS is off', async () => {
    const own = await navis.request('POST', `/browser/sessions/${adminSession}/tasks`, {
      body: { url: 'file:///etc/passwd', actions: [{ type: 'extract' }] },
    });
    assertRefusal(own, 400, 'URL_NOT_ALLOWED', /NAVIS_ALLOW_FILE_URLS/);
    assert.doesNotMatch(own.text, /root:/);
  });

  test("its page sent to another session's DevTools port /json/list answers 403 naming the host", async () => {
    const port = devtoolsPortOf(adminSession);
    // The port is real: a program on this machine gets the other browser's targets from it.
    assert.equal((await fetch(`http://127.0.0.1:${port}/json/version`)).status, 200);
    const res = await task({ url: `http://127.0.0.1:${port}/json/list`, actions: [{ type: 'extract' }] });
    assertRefusal(
      res,
      403,
      'EGRESS_REFUSED',
      new RegExp(`127\\.0\\.0\\.1:${port} is refused`),
      /DevTools endpoint of a navis browser/,
    );
    assert.doesNotMatch(res.text, /webSocketDebuggerUrl|devtools\/page/);
  });

  test("the default tenant's page sent to a DevTools port is refused too, though it may reach private addresses", async () => {
    const port = devtoolsPortOf(sessionB);
    const res = await navis.request('POST', `/browser/sessions/${adminSession}/tasks`, {
      body: { url: `http://127.0.0.1:${port}/json/list`, actions: [{ type: 'extract' }] },
    });
    assertRefusal(
      res,
      403,
      'EGRESS_REFUSED',
      new RegExp(`127\\.0\\.0\\.1:${port} is refused`),
      /DevTools endpoint/,
      /no page or tenant may reach/,
    );
    assert.doesNotMatch(res.text, /webSocketDebuggerUrl/);
  });

  test("its page sent to the port of a browser's egress proxy answers 403", async () => {
    const port = navis.navis.services.sessions['running'].get(adminSession)!.browser!.egress!.port;
    const res = await task({ url: `http://127.0.0.1:${port}/`, actions: [{ type: 'extract' }] });
    assertRefusal(res, 403, 'EGRESS_REFUSED', new RegExp(`127\\.0\\.0\\.1:${port} is refused`), /navis's egress proxy/);
  });

  test("the default tenant's page sent to navis's own /healthz answers 403 too: allowPrivate does not open navis's API", async () => {
    const res = await navis.request('POST', `/browser/sessions/${adminSession}/tasks`, {
      body: { url: `${navis.base}/healthz`, actions: [{ type: 'extract' }] },
    });
    assertRefusal(res, 403, 'EGRESS_REFUSED', /navis's own API/, /network\.allowHosts of tenant 'default'/);
  });

  test("its page sent to navis's own /healthz answers 403 naming navis's API", async () => {
    const res = await task({ url: `${navis.base}/healthz`, actions: [{ type: 'extract' }] });
    assertRefusal(
      res,
      403,
      'EGRESS_REFUSED',
      new RegExp(`${new URL(navis.base).host.replace(/\./g, '\\.')} is refused`),
      /navis's own API/,
    );
  });

  test("fetch() from its allowed page to navis's /api/sites PUT and to a DevTools port reads nothing and stores nothing", async () => {
    const devtools = devtoolsPortOf(adminSession);
    const manifest = { name: 'Stolen', baseUrl: 'https://example.com/', states: [] };
    const script = `
      const out = {};
      try {
        const r = await fetch(${JSON.stringify(`${navis.base}/api/sites/stolen/manifest`)}, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(JSON.stringify(manifest))} });
        out.put = r.status + ' ' + await r.text();
      } catch (e) { out.put = 'failed: ' + e.message; }
      try {
        const r = await fetch('http://127.0.0.1:${devtools}/json/list');
        out.devtools = r.status + ' ' + await r.text();
      } catch (e) { out.devtools = 'failed: ' + e.message; }
      return out;`;
    const res = await task({ url: `${allowed.url}/plain`, actions: [{ type: 'evaluate', script }] });
    assert.equal(res.status, 201, res.text);
    const out = res.body.actionResults[0].value;
    for (const [what, answer] of Object.entries<string>(out)) {
      assert.match(answer, /^(failed: |403 )/, `${what}: ${answer}`);
    }
    assert.doesNotMatch(out.devtools, /webSocketDebuggerUrl/);
    // Neither the default tenant (keyless) nor tenant B holds a manifest 'stolen'.
    assert.equal((await navis.request('GET', '/api/sites/stolen/manifest', { key: null })).status, 404);
    assert.equal((await navis.request('GET', '/api/sites/stolen/manifest', { key: tenantB.key })).status, 404);
  });
});

describe('a private fixture is refused for tenant B on every navigation path, with a 4xx naming the host and the policy', () => {
  test("a task's url answers 403 EGRESS_REFUSED and the server gets no connection", async () => {
    const seen = refused.connections;
    const res = await task({ url: `${refused.url}/`, actions: [{ type: 'extract' }] });
    assertRefusal(
      res,
      403,
      'EGRESS_REFUSED',
      new RegExp(`Navigation to ${refused.url}/ refused`),
      refusedByB(`127.0.0.1:${refused.port}`),
      /allowPrivate/,
      /allowHosts/,
    );
    assert.doesNotMatch(res.text, /refused was reached/);
    assertNothingReached(seen);
  });

  test('a navigate action answers 403 at that action', async () => {
    const seen = refused.connections;
    const res = await task({
      url: `${allowed.url}/plain`,
      actions: [{ type: 'navigate', url: `${refused.url}/page` }, { type: 'extract' }],
    });
    assertRefusal(res, 403, 'EGRESS_REFUSED', refusedByB(`127.0.0.1:${refused.port}`));
    assert.equal(res.body.failedActionIndex, 0);
    assertNothingReached(seen);
  });

  test('a natural-language "go to <url>" answers 403 naming the host', async () => {
    const seen = refused.connections;
    const res = await navis.request('POST', '/public/single-actions/run-action', {
      key: tenantB.key,
      body: { action: `go to ${refused.url}/nl`, session_id: sessionB },
    });
    assert.equal(res.status, 403, res.text);
    assert.match(res.body.detail, refusedByB(`127.0.0.1:${refused.port}`));
    assertNothingReached(seen);
  });

  test("a site action's state URL answers 403 {error} naming the host", async () => {
    const seen = refused.connections;
    const manifest = {
      name: 'Private site',
      baseUrl: `${refused.url}/`,
      states: [
        { name: 'Home', url: '/', actions: [{ name: 'look', steps: [{ type: 'wait', selector: 'body' }] }], views: [] },
      ],
    };
    const put = await navis.request('PUT', '/api/sites/private-site/manifest', { key: tenantB.key, body: manifest });
    assert.equal(put.status, 201, put.text);
    const res = await navis.request('POST', '/api/sites/private-site/actions/Home/look', {
      key: tenantB.key,
      body: {},
    });
    assert.equal(res.status, 403, res.text);
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.match(res.body.error, /^Action 'look' failed: /);
    assert.match(res.body.error, refusedByB(`127.0.0.1:${refused.port}`));
    assertNothingReached(seen);
  });

  test("a site action in a fresh context: its page's fetch() to a refused port reaches nothing", async () => {
    const seen = refused.connections;
    const manifest = {
      name: 'Allowed site',
      baseUrl: `${allowed.url}/`,
      states: [
        {
          name: 'Home',
          url: '/plain',
          actions: [
            {
              name: 'probe',
              steps: [
                {
                  type: 'evaluate',
                  script: `return fetch('${refused.url}/from-site').then((r) => 'status ' + r.status, () => 'error')`,
                },
              ],
            },
          ],
          views: [],
        },
      ],
    };
    assert.equal(
      (await navis.request('PUT', '/api/sites/allowed-site/manifest', { key: tenantB.key, body: manifest })).status,
      201,
    );
    const res = await navis.request('POST', '/api/sites/allowed-site/actions/Home/probe', {
      key: tenantB.key,
      body: {},
    });
    assert.equal(res.status, 200, res.text);
    assert.match(res.body.steps.find((s: any) => s.index === 0).result.value, /^(error|status 403)$/);
    assertNothingReached(seen);
  });

  test('discovery of an allowed site whose robots.txt redirects to a refused port reaches nothing there', async () => {
    const seen = refused.connections;
    const res = await navis.request('POST', '/api/sites/discover', {
      key: tenantB.key,
      body: { url: `${allowed.url}/plain`, maxPages: 1, verify: false, slug: 'robots-redirect' },
    });
    // Today the refused redirect of robots.txt ends the discovery with the refusal (a 403 naming
    // the host); treating it as "no robots.txt" would do as well. What matters: nothing got there.
    if (res.status !== 201) {
      assert.equal(res.status, 403, res.text);
      assert.match(res.body.error, refusedByB(`127.0.0.1:${refused.port}`));
    }
    assertNothingReached(seen);
  });

  test('discovery of the private fixture answers 403 {error} naming the host, before robots.txt is asked for', async () => {
    const seen = refused.connections;
    const res = await navis.request('POST', '/api/sites/discover', {
      key: tenantB.key,
      body: { url: `${refused.url}/`, maxPages: 2, verify: false },
    });
    assert.equal(res.status, 403, res.text);
    assert.match(res.body.error, refusedByB(`127.0.0.1:${refused.port}`));
    assertNothingReached(seen);
  });
});

describe("tenant B's allowHosts and the wire", () => {
  test("allowHosts ['127.0.0.1:<port>'] opens that port", async () => {
    const res = await task({ url: `${allowed.url}/plain`, actions: [{ type: 'extract', selector: '#here' }] });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.actionResults[0].text, 'allowed page');
  });

  test('an allowed page that redirects (302) to a refused port answers 403 naming the refused host', async () => {
    const seen = refused.connections;
    const target = `${refused.url}/after-redirect`;
    const res = await task({
      url: `${allowed.url}/redirect?to=${encodeURIComponent(target)}`,
      actions: [{ type: 'extract' }],
    });
    assertRefusal(res, 403, 'EGRESS_REFUSED', refusedByB(`127.0.0.1:${refused.port}`));
    assert.doesNotMatch(res.text, /refused was reached/);
    assertNothingReached(seen);
  });

  test('a navigate action through the redirect answers 403 at that action, not a blank page', async () => {
    const seen = refused.connections;
    const res = await task({
      actions: [
        { type: 'navigate', url: `${allowed.url}/redirect?to=${encodeURIComponent(`${refused.url}/x`)}` },
        { type: 'extract' },
      ],
    });
    assertRefusal(res, 403, 'EGRESS_REFUSED', refusedByB(`127.0.0.1:${refused.port}`));
    assert.equal(res.body.failedActionIndex, 0);
    assertNothingReached(seen);
  });

  test('an allowed page that redirects to https:// on a refused port answers 403 (the guard refuses the tunnel)', async () => {
    const seen = refused.connections;
    const target = `https://127.0.0.1:${refused.port}/tunnel`;
    const res = await task({
      url: `${allowed.url}/redirect?to=${encodeURIComponent(target)}`,
      actions: [{ type: 'extract' }],
    });
    assertRefusal(res, 403, 'EGRESS_REFUSED', refusedByB(`127.0.0.1:${refused.port}`));
    assertNothingReached(seen);
  });

  test("after a refused https navigation the session's next task loads normally (no late error page interrupts it)", async () => {
    const target = `https://127.0.0.1:${refused.port}/tunnel-again`;
    for (let i = 0; i < 3; i++) {
      const refusal = await task({ url: `${allowed.url}/redirect?to=${encodeURIComponent(target)}` });
      assertRefusal(refusal, 403, 'EGRESS_REFUSED');
      const next = await task({ url: `${allowed.url}/plain`, actions: [{ type: 'extract', selector: '#here' }] });
      assert.equal(next.status, 201, next.text);
      assert.equal(next.body.actionResults[0].text, 'allowed page');
    }
  });

  test('a navigation that times out on an allowed page is a timeout, not the refusal of one of its images', async () => {
    const seen = refused.connections;
    const res = await task({
      actions: [{ type: 'navigate', url: `${allowed.url}/refused-image-then-hang`, timeoutMs: 2000 }],
    });
    assertRefusal(res, 408, 'ACTION_TIMEOUT');
    assert.doesNotMatch(res.body.error, / is refused: /);
    assertNothingReached(seen);
  });

  test("an allowed page's img, script, fetch, XHR and WebSocket to a refused port all fail and reach nothing", async () => {
    const seen = refused.connections;
    const base = refused.url;
    const ws = base.replace('http:', 'ws:');
    const script = `
      const settle = (start) => new Promise((resolve) => { start(resolve); setTimeout(() => resolve('no answer'), 5000); });
      const out = {};
      out.img = await settle((done) => { const i = new Image(); i.onload = () => done('loaded'); i.onerror = () => done('error'); i.src = '${base}/img.png'; });
      out.script = await settle((done) => { const s = document.createElement('script'); s.onload = () => done('loaded'); s.onerror = () => done('error'); s.src = '${base}/s.js'; document.head.append(s); });
      out.fetch = await fetch('${base}/fetch').then((r) => 'status ' + r.status, (e) => 'error');
      out.noCors = await fetch('${base}/no-cors', { mode: 'no-cors' }).then((r) => 'type ' + r.type, (e) => 'error');
      out.xhr = await settle((done) => { const x = new XMLHttpRequest(); x.onload = () => done('status ' + x.status); x.onerror = () => done('error'); x.open('GET', '${base}/xhr'); x.send(); });
      out.ws = await settle((done) => { const w = new WebSocket('${ws}/ws'); w.onopen = () => done('open'); w.onerror = () => done('error'); });
      out.iframe = await settle((done) => { const f = document.createElement('iframe'); f.onload = () => done('loaded'); f.src = '${base}/frame'; document.body.append(f); });
      out.beacon = navigator.sendBeacon('${base}/beacon', 'x');
      return out;`;
    const res = await task({ url: `${allowed.url}/plain`, actions: [{ type: 'evaluate', script, timeoutMs: 30_000 }] });
    assert.equal(res.status, 201, res.text);
    const out = res.body.actionResults[0].value;
    assert.equal(out.img, 'error');
    assert.equal(out.script, 'error');
    assert.equal(out.xhr, 'error');
    assert.equal(out.ws, 'error');
    assert.match(out.fetch, /^(error|status 403)$/);
    assertNothingReached(seen);
  });

  for (const [what, url] of [
    ["the name 'localhost'", (port: number) => `http://localhost:${port}/`],
    ['the decimal address 2130706433', (port: number) => `http://2130706433:${port}/`],
    ['0.0.0.0', (port: number) => `http://0.0.0.0:${port}/`],
    ['[::ffff:127.0.0.1]', (port: number) => `http://[::ffff:127.0.0.1]:${port}/`],
    ['0x7f.1', (port: number) => `http://0x7f.1:${port}/`],
    ['0177.0.0.1', (port: number) => `http://0177.0.0.1:${port}/`],
    ["'localhost.'", (port: number) => `http://localhost.:${port}/`],
    ["'app.localhost'", (port: number) => `http://app.localhost:${port}/`],
    ['[::]', (port: number) => `http://[::]:${port}/`],
  ] as const) {
    test(`${what} for 127.0.0.1 is refused with 403`, async () => {
      const seen = refused.connections;
      const res = await task({ url: url(refused.port), actions: [{ type: 'extract' }] });
      assertRefusal(
        res,
        403,
        'EGRESS_REFUSED',
        new RegExp(`:${refused.port} is refused`),
        /network policy of tenant 'b'/,
      );
      assertNothingReached(seen);
    });
  }

  test('a fetch() from an allowed page to localhost, 0.0.0.0 and [::ffff:127.0.0.1] reaches nothing', async () => {
    const seen = refused.connections;
    const urls = ['localhost', '0.0.0.0', '[::ffff:127.0.0.1]', '[::1]', '2130706433'].map(
      (host) => `http://${host}:${refused.port}/`,
    );
    const script = `return Promise.all(${JSON.stringify(urls)}.map((u) => fetch(u).then((r) => u + ' status ' + r.status, () => u + ' error')));`;
    const res = await task({ url: `${allowed.url}/plain`, actions: [{ type: 'evaluate', script, timeoutMs: 30_000 }] });
    assert.equal(res.status, 201, res.text);
    for (const line of res.body.actionResults[0].value) assert.match(line, / (error|status 403)$/);
    assertNothingReached(seen);
  });
});

describe('metadata and denyHosts', () => {
  test('169.254.169.254 is refused for tenant B', async () => {
    const res = await task({ url: 'http://169.254.169.254/latest/meta-data/', actions: [{ type: 'extract' }] });
    assertRefusal(res, 403, 'EGRESS_REFUSED', /169\.254\.169\.254:80 is refused/, /cloud metadata address/);
  });

  test('169.254.169.254 is refused for the default tenant too, though it may reach private addresses', async () => {
    const res = await navis.request('POST', `/browser/sessions/${adminSession}/tasks`, {
      body: { url: 'http://169.254.169.254/latest/meta-data/', actions: [{ type: 'extract' }] },
    });
    assertRefusal(
      res,
      403,
      'EGRESS_REFUSED',
      /169\.254\.169\.254:80 is refused/,
      /cloud metadata address/,
      /network\.allowHosts of tenant 'default'/,
    );
  });

  test('denyHosts on the default tenant refuses a fixture it could reach before', async () => {
    const seen = refused.connections;
    await patchNetwork(defaultTenantId, { denyHosts: [`127.0.0.1:${refused.port}`] });
    try {
      const res = await navis.request('POST', `/browser/sessions/${adminSession}/tasks`, {
        body: { url: `${refused.url}/denied`, actions: [{ type: 'extract' }] },
      });
      assertRefusal(
        res,
        403,
        'EGRESS_REFUSED',
        new RegExp(
          `127\\.0\\.0\\.1:${refused.port} is refused: the network policy of tenant 'default' denies '127\\.0\\.0\\.1:${refused.port}' \\(denyHosts\\)`,
        ),
      );
      assertNothingReached(seen);
    } finally {
      await patchNetwork(defaultTenantId, { denyHosts: [] });
    }
  });
});

describe('local development keeps working', () => {
  test('the default tenant reaches a 127.0.0.1 fixture', async () => {
    // The witness is refused to tenant B only: the default tenant allows private addresses.
    const seen = refused.requests.length;
    const res = await navis.request('POST', `/browser/sessions/${adminSession}/tasks`, {
      body: { url: `${refused.url}/dev`, actions: [{ type: 'extract', selector: '#secret' }] },
    });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.actionResults[0].text, 'refused was reached');
    assert.deepEqual(
      refused.requests.slice(seen).filter((r) => r !== 'GET /favicon.ico'),
      ['GET /dev'],
    );
  });
});

describe('policy changes and history', () => {
  test('PATCH /admin/tenants/{id} network takes effect for a session already running', async () => {
    const tenant = await createTenant('c', { allowHosts: [`127.0.0.1:${refused.port}`] });
    const session = (await navis.createSession({}, { key: tenant.key, dialect: 'browser' })).id;
    const run = (body: unknown) => task(body, { key: tenant.key, id: session });
    try {
      const open = await run({ url: `${refused.url}/before`, actions: [{ type: 'extract', selector: '#secret' }] });
      assert.equal(open.status, 201, open.text);

      await patchNetwork(tenant.id, { allowHosts: [] });
      const seen = refused.connections;
      const closed = await run({ url: `${refused.url}/after`, actions: [{ type: 'extract' }] });
      assertRefusal(
        closed,
        403,
        'EGRESS_REFUSED',
        new RegExp(`127\\.0\\.0\\.1:${refused.port} is refused: .*network policy of tenant 'c'`),
      );
      // The page's own requests take the new policy too (no connection kept from before).
      const fromPage = await run({
        url: 'about:blank',
        actions: [
          {
            type: 'evaluate',
            script: `return fetch('${refused.url}/page-fetch').then((r) => 'status ' + r.status, () => 'error')`,
          },
        ],
      });
      assert.equal(fromPage.status, 201, fromPage.text);
      assert.match(fromPage.body.actionResults[0].value, /^(error|status 403)$/);
      assertNothingReached(seen);

      await patchNetwork(tenant.id, { allowPrivate: true });
      const reopened = await run({
        url: `${refused.url}/reopened`,
        actions: [{ type: 'extract', selector: '#secret' }],
      });
      assert.equal(reopened.status, 201, reopened.text);
    } finally {
      await navis.terminate(session, { key: tenant.key });
    }
  });

  test('back and forward into a page the policy now refuses stay refused', async () => {
    const tenant = await createTenant('d', {
      allowHosts: [`127.0.0.1:${portOf(allowed.url)}`, `127.0.0.1:${refused.port}`],
    });
    const session = (await navis.createSession({}, { key: tenant.key, dialect: 'browser' })).id;
    const run = (body: unknown) => task(body, { key: tenant.key, id: session });
    try {
      const visit = await run({
        url: `${refused.url}/first`,
        actions: [
          { type: 'navigate', url: `${allowed.url}/plain` },
          { type: 'navigate', url: `${refused.url}/third` },
        ],
      });
      assert.equal(visit.status, 201, visit.text);
      // History: refused/first, allowed/plain, refused/third (current). The refused server closes.
      await patchNetwork(tenant.id, { allowHosts: [`127.0.0.1:${portOf(allowed.url)}`] });
      const seen = refused.connections;

      const back = await run({ actions: [{ type: 'back' }, { type: 'extract', selector: '#here' }] });
      assert.equal(back.status, 201, back.text);
      assert.equal(back.body.actionResults[1].text, 'allowed page');

      const backIntoRefused = await run({ actions: [{ type: 'back' }, { type: 'extract' }] });
      assertRefusal(
        backIntoRefused,
        403,
        'EGRESS_REFUSED',
        new RegExp(`127\\.0\\.0\\.1:${refused.port} is refused: .*network policy of tenant 'd'`),
      );
      assert.equal(backIntoRefused.body.failedActionIndex, 0);
      assert.doesNotMatch(backIntoRefused.text, /refused was reached/);

      const forward = await run({ actions: [{ type: 'forward' }, { type: 'extract', selector: '#here' }] });
      assert.equal(forward.status, 201, forward.text);
      assert.equal(forward.body.actionResults[1].text, 'allowed page');

      const forwardIntoRefused = await run({ actions: [{ type: 'forward' }, { type: 'extract' }] });
      assertRefusal(
        forwardIntoRefused,
        403,
        'EGRESS_REFUSED',
        new RegExp(`127\\.0\\.0\\.1:${refused.port} is refused: .*network policy of tenant 'd'`),
      );
      assert.equal(forwardIntoRefused.body.failedActionIndex, 0);
      assert.doesNotMatch(forwardIntoRefused.text, /refused was reached/);
      assertNothingReached(seen);
    } finally {
      await navis.terminate(session, { key: tenant.key });
    }
  });
});
