// A session's own outbound proxy (issue 10, item 9), with real Chromium and a real upstream proxy
// (proxy-chain) on 127.0.0.1 that records who asked it for what: `proxy: {server, username,
// password}` on create in both dialects sends the browser's traffic through it with the
// credentials; the views show `{server}` only and the password reaches no answer and no log line;
// the proxy's own address passes the tenant's policy; malformed servers are 400; and what the
// tenant may not reach stays refused through the proxy.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Server } from 'proxy-chain';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type Dialect, type TestNavis } from '../helpers/navis.js';
import { startOwnBrowser, type OwnBrowser } from '../helpers/own-browser.js';
import { startWitnessServer, type WitnessServer } from '../helpers/witness.js';
import { createTenant, patchTenant, type AdminTenant } from '../helpers/tenants.js';

const USERNAME = 'proxy-user-7f3a';
const PASSWORD = 'proxy-pass-9c1e-never-shown';

interface UpstreamProxy {
  url: string;
  port: number;
  /** What each request to the proxy carried: its credentials and the host:port it asked for. */
  seen: Array<{ username: string; password: string; hostname: string; port: number }>;
  close(): Promise<void>;
}

async function startUpstreamProxy(): Promise<UpstreamProxy> {
  const seen: UpstreamProxy['seen'] = [];
  const server = new Server({
    port: 0,
    host: '127.0.0.1',
    prepareRequestFunction: ({ username, password, hostname, port }) => {
      seen.push({ username, password, hostname, port });
      return {};
    },
  });
  await server.listen();
  return { url: `http://127.0.0.1:${server.port}`, port: server.port, seen, close: () => server.close(true) };
}

let navis: TestNavis;
let upstream: UpstreamProxy;
let fixture: FixtureServer;
let fixturePort: number;
/** A server of this machine that no tenant here may reach; it records anything that reaches it. */
let elsewhere: WitnessServer;
/**
 * What the proxy was asked for the refused hosts since `from` (Chromium's own background requests
 * to public Google hosts go through it as well, and are not what these tests are about).
 */
const refusedSeen = (from: number) =>
  upstream.seen.slice(from).filter((s) => s.port === elsewhere.port || s.hostname === '169.254.169.254');

/** Every response body of this file, to check none carries the password. */
const answers: string[] = [];

before(async () => {
  navis = await startNavis({ poolSize: 0, allowLocalProxies: true }); // the test's upstream proxy runs on this machine
  upstream = await startUpstreamProxy();
  fixture = await startFixtureServer();
  fixturePort = Number(new URL(fixture.url).port);
  elsewhere = await startWitnessServer('elsewhere');
});
after(async () => {
  await navis.close();
  await upstream.close();
  await fixture.close();
  await elsewhere.close();
});

const call: TestNavis['request'] = async (method, url, opts) => {
  const res = await navis.request(method, url, opts);
  answers.push(res.text);
  return res;
};

/** A tenant whose policy opens the upstream proxy and the fixture, nothing else of this machine. */
const proxiedTenant = (name: string) =>
  createTenant(navis, name, { network: { allowHosts: [`127.0.0.1:${upstream.port}`, `127.0.0.1:${fixturePort}`] } });

const proxy = () => ({ server: upstream.url, username: USERNAME, password: PASSWORD });

/** The session's id and the proxy its view shows, in either dialect. */
const idOf = (dialect: Dialect, body: any) => (dialect === 'public' ? body.session_id : body.id);

async function createWithProxy(key: string, dialect: Dialect, p: unknown = proxy()) {
  return call('POST', `/${dialect}/sessions`, { key, body: { proxy: p } });
}

/** Runs a task on the session (any dialect's id), optionally opening `url` first. */
const task = (key: string, sessionId: string, body: Record<string, unknown>) =>
  call('POST', `/browser/sessions/${sessionId}/tasks`, { key, body });

for (const dialect of ['public', 'browser'] as const) {
  describe(`a session created on /${dialect} with a proxy`, () => {
    let b: AdminTenant;
    let created: Awaited<ReturnType<TestNavis['request']>>;
    let id: string;
    before(async () => {
      b = await proxiedTenant(`proxied ${dialect}`);
      created = await createWithProxy(b.apiKey, dialect);
      assert.equal(created.status, dialect === 'public' ? 200 : 201, created.text);
      id = idOf(dialect, created.body);
    });
    after(async () => {
      await navis.terminate(id, { key: b.apiKey });
    });

    test('sends its browser traffic through the proxy, with the credentials', async () => {
      const from = upstream.seen.length;
      const res = await task(b.apiKey, id, {
        url: `${fixture.url}/index.html`,
        actions: [{ type: 'evaluate', script: "return (await fetch('/cookies')).status" }],
      });
      assert.equal(res.status, 201, res.text);
      assert.equal(res.body.actionResults[0].value, 200);
      const seen = upstream.seen.slice(from).filter((s) => s.port === fixturePort);
      assert.ok(
        seen.length >= 2,
        `the page and its fetch went through the proxy: ${JSON.stringify(upstream.seen.slice(from))}`,
      );
      for (const s of seen)
        assert.deepEqual(s, { username: USERNAME, password: PASSWORD, hostname: '127.0.0.1', port: fixturePort });
    });

    test('its create answer, GET and list show proxy {server} only', async () => {
      const shown = { server: upstream.url };
      assert.deepEqual(created.body.proxy, shown);
      const got = await call('GET', `/${dialect}/sessions/${id}`, { key: b.apiKey });
      assert.deepEqual(got.body.proxy, shown);
      const list = await call('GET', `/${dialect}/sessions`, { key: b.apiKey });
      const listed = list.body.sessions.find((s: any) => idOf(dialect, s) === id);
      assert.deepEqual(listed.proxy, shown);
      for (const text of [created.text, got.text, list.text]) {
        assert.ok(!text.includes(PASSWORD), 'no password');
        assert.ok(!text.includes(USERNAME), 'no username');
      }
    });

    test("its tenant's private hosts stay refused through the proxy, by literal address and by name", async () => {
      const from = upstream.seen.length;
      const port = elsewhere.port;
      const refused = [
        `${elsewhere.url}/`,
        `http://localhost:${port}/`,
        `http://sub.localhost:${port}/`,
        `http://[::1]:${port}/`,
        `http://[::ffff:127.0.0.1]:${port}/`,
        'http://169.254.169.254/latest/meta-data/',
      ];
      for (const url of refused) {
        const res = await task(b.apiKey, id, { url });
        assert.equal(res.status, 403, `${url}: ${res.text}`);
        assert.equal(res.body.code, 'EGRESS_REFUSED');
      }
      assert.deepEqual(refusedSeen(from), [], 'none of them reached the proxy');
      assert.deepEqual(elsewhere.requests, []);
    });

    test("a page's own requests to them are refused on the wire too", async () => {
      await task(b.apiKey, id, { url: `${fixture.url}/index.html` });
      const from = upstream.seen.length;
      const urls = [
        `${elsewhere.url}/secret`,
        `http://localhost:${elsewhere.port}/secret`,
        `http://[::1]:${elsewhere.port}/secret`,
      ];
      const script = `const out = []; for (const u of ${JSON.stringify(urls)}) { try { const r = await fetch(u); out.push(await r.text()); } catch (e) { out.push('failed'); } } return out`;
      const res = await task(b.apiKey, id, { actions: [{ type: 'evaluate', script }] });
      assert.equal(res.status, 201, res.text);
      assert.deepEqual(res.body.actionResults[0].value, ['failed', 'failed', 'failed']);
      assert.deepEqual(refusedSeen(from), []);
      assert.deepEqual(elsewhere.requests, []);
    });

    test('a name with a trailing dot (localhost.) is refused like the name', async () => {
      const from = upstream.seen.length;
      const res = await task(b.apiKey, id, { url: `http://localhost.:${elsewhere.port}/` });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.code, 'EGRESS_REFUSED');
      assert.deepEqual(refusedSeen(from), []);
      assert.deepEqual(elsewhere.requests, []);
    });
  });
}

describe('a proxy the tenant may not reach, or may not have', () => {
  let c: AdminTenant;
  let own: OwnBrowser;
  before(async () => {
    c = await createTenant(navis, 'no private');
    own = await startOwnBrowser();
  });
  after(() => own.kill());

  test('a proxy on a private address its policy refuses answers 403 EGRESS_REFUSED at create, and nothing starts', async () => {
    const from = upstream.seen.length;
    for (const dialect of ['public', 'browser'] as const) {
      for (const server of [
        upstream.url,
        'http://10.1.2.3:3128',
        'socks5://192.168.0.10:1080',
        'http://169.254.169.254:80',
      ]) {
        const res = await createWithProxy(c.apiKey, dialect, { server, username: USERNAME, password: PASSWORD });
        assert.equal(res.status, 403, `${server}: ${res.text}`);
        assert.ok(res.text.includes('EGRESS_REFUSED') || dialect === 'public', res.text);
        assert.match(res.text, /proxy/);
      }
    }
    assert.equal((await call('GET', '/public/sessions', { key: c.apiKey })).body.total, 0);
    assert.deepEqual(refusedSeen(from), []);
  });

  test('proxy with cdp_url answers 400 in both dialects', async () => {
    const pub = await call('POST', '/public/sessions', {
      key: ADMIN_KEY,
      body: { cdp_url: own.wsUrl, proxy: proxy() },
    });
    assert.equal(pub.status, 400, pub.text);
    assert.match(pub.body.detail, /proxy cannot be combined with cdp_url/);
    const browser = await call('POST', '/browser/sessions', {
      key: ADMIN_KEY,
      body: { cdpUrl: own.wsUrl, proxy: proxy() },
    });
    assert.equal(browser.status, 400, browser.text);
    assert.equal(browser.body.code, 'INVALID_REQUEST');
  });

  test('a malformed proxy.server answers 400 naming proxy.server, never echoing a password', async () => {
    const malformed = [
      `http://${USERNAME}:${PASSWORD}@127.0.0.1:3128`,
      'ftp://127.0.0.1:21',
      'not a url',
      'http://127.0.0.1:3128/some/path',
      'http://127.0.0.1:3128?x=1',
    ];
    for (const dialect of ['public', 'browser'] as const) {
      for (const server of malformed) {
        const res = await createWithProxy(ADMIN_KEY, dialect, { server, password: PASSWORD });
        assert.equal(res.status, 400, `${server}: ${res.text}`);
        assert.match(res.text, /proxy\.server/, server);
        assert.ok(!res.text.includes(PASSWORD), `${server}: the password is not echoed`);
      }
    }
  });

  test('credentials written into a proxy.server that is not a URL are not echoed or logged either', async () => {
    // A password of its own: while the bug stands it leaks, and the file-wide check below stays about PASSWORD.
    const written = 'written-into-server-5d2b';
    const server = `http://${USERNAME}:${written}@proxy.example:80a`;
    const res = await navis.request('POST', '/browser/sessions', { key: ADMIN_KEY, body: { proxy: { server } } });
    assert.equal(res.status, 400, res.text);
    assert.match(res.text, /proxy\.server/);
    assert.ok(!res.text.includes(written), res.text);
    assert.deepEqual(
      navis.logs.filter((line) => line.includes(written)),
      [],
    );
  });

  test('unknown proxy fields answer 400', async () => {
    const res = await createWithProxy(ADMIN_KEY, 'browser', { server: upstream.url, pass: PASSWORD });
    assert.equal(res.status, 400, res.text);
    assert.ok(!res.text.includes(PASSWORD));
  });
});

describe("a proxy on navis's own machine, without NAVIS_ALLOW_LOCAL_PROXIES", () => {
  test("is refused at create, even for a tenant whose policy opens it: names sent to it would reach navis's browsers", async () => {
    const strict = await startNavis({ poolSize: 0 });
    try {
      for (const dialect of ['public', 'browser'] as const) {
        const res = await strict.request('POST', `/${dialect}/sessions`, {
          body: { proxy: { server: upstream.url, username: USERNAME, password: PASSWORD } },
        });
        assert.equal(res.status, 403, res.text);
        assert.match(res.text, /runs on navis's own machine.*NAVIS_ALLOW_LOCAL_PROXIES=true/);
        assert.ok(!res.text.includes(PASSWORD));
      }
      assert.equal((await strict.request('GET', '/public/sessions')).body.total, 0);
    } finally {
      await strict.close();
    }
  });
});

describe('a session without a proxy', () => {
  test('shows proxy: null in both dialects', async () => {
    const pub = await navis.createSession({});
    assert.equal(pub.proxy, null);
    const browser = await navis.createSession({}, { dialect: 'browser' });
    assert.equal(browser.proxy, null);
    await navis.terminate(pub.session_id);
    await navis.terminate(browser.id);
  });
});

describe("table row 5 through the session's own proxy", () => {
  test("B's page on navis's /healthz, reached through a proxy on this machine, still cannot PUT a manifest keyless", async () => {
    const b = await proxiedTenant('row 5 by proxy');
    await patchTenant(navis, b.id, {
      network: { allowHosts: [`127.0.0.1:${upstream.port}`, new URL(navis.base).host] },
    });
    const created = await createWithProxy(b.apiKey, 'browser');
    const manifest = { name: 'Stolen', baseUrl: 'https://example.com/', states: [] };
    const script = `const r = await fetch('/api/sites/stolen/manifest', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(JSON.stringify(manifest))} }); return r.status`;
    const res = await task(b.apiKey, created.body.id, {
      url: `${navis.base}/healthz`,
      actions: [{ type: 'evaluate', script }],
    });
    await navis.terminate(created.body.id, { key: b.apiKey });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.actionResults[0].value, 401);
    assert.equal(
      (navis.navis.services.db.prepare("SELECT count(*) AS n FROM sites WHERE slug = 'stolen'").get() as { n: number })
        .n,
      0,
    );
  });
});

describe('secrets', () => {
  test('the proxy password appears in no answer of this file and no log line', () => {
    assert.ok(answers.length > 10);
    assert.deepEqual(
      answers.filter((text) => text.includes(PASSWORD)),
      [],
    );
    assert.deepEqual(
      navis.logs.filter((line) => line.includes(PASSWORD)),
      [],
    );
  });
});
