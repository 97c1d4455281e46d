// Keyless /api/sites stays what seed 002 meant: a program on the same machine (issue 10, item 7).
// A keyless request relayed by a proxy (Forwarded, X-Forwarded-For, X-Real-IP) or made by a page in
// one of navis's own browsers needs a key, and NAVIS_SITES_KEYLESS=false turns keyless access off;
// with a key each still works. Then table row 5 of the issue, as tenant B: its page on navis's own
// /healthz PUTting a manifest keyless.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';
import { createTenant, defaultTenantId, patchTenant, type AdminTenant } from '../helpers/tenants.js';

const MANIFEST = {
  name: 'Stolen',
  baseUrl: 'https://example.com/',
  states: [{ name: 'Home', url: '/', actions: [{ name: 'look', steps: [{ type: 'wait', selector: 'body' }] }] }],
};

let navis: TestNavis;
let navisHost: string;
let fixture: FixtureServer;
before(async () => {
  navis = await startNavis({ poolSize: 0 });
  navisHost = new URL(navis.base).host;
  fixture = await startFixtureServer();
});
after(async () => {
  await navis.close();
  await fixture.close();
});

/** Manifests stored under `slug`, whatever their tenant. */
const storedAs = (slug: string) =>
  (
    navis.navis.services.db.prepare('SELECT tenant_id FROM sites WHERE slug = ?').all(slug) as Array<{
      tenant_id: string;
    }>
  ).length;

describe('a keyless request relayed by a proxy', () => {
  const relayed: Array<[string, string, RegExp]> = [
    ['x-forwarded-for', '203.0.113.7', /X-Forwarded-For/],
    ['forwarded', 'for=203.0.113.7;proto=https', /Forwarded/],
    ['x-real-ip', '203.0.113.7', /X-Real-IP/],
  ];

  test('a keyless request without proxy headers acts as the default tenant (seed 002)', async () => {
    const res = await navis.request('GET', '/api/sites', { key: null });
    assert.equal(res.status, 200, res.text);
  });

  for (const [name, value, named] of relayed) {
    test(`with ${name} answers 401 naming the header and asking for a key`, async () => {
      const res = await navis.request('GET', '/api/sites', { key: null, headers: { [name]: value } });
      assert.equal(res.status, 401, res.text);
      assert.deepEqual(Object.keys(res.body), ['error']);
      assert.match(res.body.error, /^API key required: the request came through a proxy/);
      assert.match(res.body.error, named);
      assert.match(res.body.error, /X-API-Key/);
    });

    test(`with ${name} and a key is answered as the key's tenant`, async () => {
      const res = await navis.request('GET', '/api/sites', { key: ADMIN_KEY, headers: { [name]: value } });
      assert.equal(res.status, 200, res.text);
    });
  }

  test('a relayed keyless PUT stores nothing', async () => {
    const res = await navis.request('PUT', '/api/sites/relayed/manifest', {
      key: null,
      headers: { 'x-forwarded-for': '203.0.113.7' },
      body: MANIFEST,
    });
    assert.equal(res.status, 401, res.text);
    assert.equal(storedAs('relayed'), 0);
  });
});

describe('NAVIS_SITES_KEYLESS=false', () => {
  let strict: TestNavis;
  before(async () => {
    strict = await startNavis({ poolSize: 0, sitesKeyless: false });
  });
  after(async () => {
    await strict.close();
  });

  test('a keyless request from this machine answers 401 naming the setting', async () => {
    const res = await strict.request('GET', '/api/sites', { key: null });
    assert.equal(res.status, 401, res.text);
    assert.match(res.body.error, /NAVIS_SITES_KEYLESS=false/);
    const put = await strict.request('PUT', '/api/sites/keyless/manifest', { key: null, body: MANIFEST });
    assert.equal(put.status, 401, put.text);
  });

  test('requests with a key work: the admin key and a tenant key', async () => {
    const tenantKey = await strict.newTenant('keyed');
    for (const key of [ADMIN_KEY, tenantKey]) {
      const put = await strict.request('PUT', '/api/sites/keyed/manifest', { key, body: MANIFEST });
      assert.equal(put.status, 201, put.text);
      const list = await strict.request('GET', '/api/sites', { key });
      assert.equal(list.status, 200, list.text);
      assert.deepEqual(
        list.body.sites.map((s: { slug: string }) => s.slug),
        ['keyed'],
      );
    }
  });
});

/** Runs `script` (an async function body) in a page of the session opened at `url`: the task's answer. */
function inPage(key: string, sessionId: string, url: string, script: string) {
  return navis.request('POST', `/browser/sessions/${sessionId}/tasks`, {
    key,
    body: { url, actions: [{ type: 'evaluate', script }] },
  });
}

/** A page's keyless fetch: its status and body. */
const fetchScript = (path: string, init: Record<string, unknown> = {}) =>
  `const res = await fetch(${JSON.stringify(path)}, ${JSON.stringify(init)}); return { status: res.status, body: await res.text() };`;

describe("a page in one of navis's own browsers (default tenant)", () => {
  let defaultId: string;
  let session: Record<string, any>;
  before(async () => {
    defaultId = await defaultTenantId(navis);
    session = await navis.createSession({}, { dialect: 'browser' });
  });
  after(async () => {
    await patchTenant(navis, defaultId, { network: { allowHosts: [] } });
    await navis.terminate(session.id);
  });

  test("cannot open navis's own address until the tenant's allowHosts names it", async () => {
    const res = await inPage(ADMIN_KEY, session.id, `${navis.base}/healthz`, 'return 1');
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.code, 'EGRESS_REFUSED');
    assert.match(res.body.error, /navis's own API/);
  });

  test('with the policy opened, its keyless same-origin fetch of /api/sites answers 401: it came from a navis browser', async () => {
    await patchTenant(navis, defaultId, { network: { allowHosts: [navisHost] } });
    const res = await inPage(ADMIN_KEY, session.id, `${navis.base}/healthz`, fetchScript('/api/sites'));
    assert.equal(res.status, 201, res.text);
    const { status, body } = res.body.actionResults[0].value;
    assert.equal(status, 401, body);
    assert.match(JSON.parse(body).error, /came from a page in one of navis's own browsers/);
  });

  test('the same fetch with a key is answered', async () => {
    const res = await inPage(
      ADMIN_KEY,
      session.id,
      `${navis.base}/healthz`,
      fetchScript('/api/sites', { headers: { 'x-api-key': ADMIN_KEY } }),
    );
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.actionResults[0].value.status, 200, res.body.actionResults[0].value.body);
  });
});

describe("table row 5: tenant B's page on navis's /healthz PUTs a manifest keyless", () => {
  let b: AdminTenant;
  let session: Record<string, any>;
  const put = fetchScript('/api/sites/stolen/manifest', {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(MANIFEST),
  });
  before(async () => {
    b = await createTenant(navis, 'b');
    session = await navis.createSession({}, { key: b.apiKey, dialect: 'browser' });
  });
  after(async () => {
    await navis.terminate(session.id, { key: b.apiKey });
  });

  test("the navigation to navis's /healthz answers 403 EGRESS_REFUSED", async () => {
    const res = await inPage(b.apiKey, session.id, `${navis.base}/healthz`, put);
    assert.equal(res.status, 403, res.text);
    assert.equal(res.body.code, 'EGRESS_REFUSED');
    assert.match(res.body.error, new RegExp(`Navigation to ${navis.base}/healthz refused`));
    assert.match(res.body.error, /tenant 'b'/);
    assert.equal(storedAs('stolen'), 0);
  });

  test("with B's policy opened to navis, the PUT answers 401 and no tenant has a manifest 'stolen'", async () => {
    await patchTenant(navis, b.id, { network: { allowHosts: [navisHost, new URL(fixture.url).host] } });
    const res = await inPage(b.apiKey, session.id, `${navis.base}/healthz`, put);
    assert.equal(res.status, 201, res.text);
    const { status, body } = res.body.actionResults[0].value;
    assert.equal(status, 401, body);
    assert.equal(storedAs('stolen'), 0);
  });

  test("a cross-site PUT from B's own page stores nothing either", async () => {
    const crossSite = `await fetch(${JSON.stringify(`${navis.base}/api/sites/stolen/manifest`)}, { method: 'PUT', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(JSON.stringify(MANIFEST))} }).catch(() => null); return true`;
    const res = await inPage(b.apiKey, session.id, `${fixture.url}/index.html`, crossSite);
    assert.equal(res.status, 201, res.text);
    assert.equal(storedAs('stolen'), 0);
  });
});

/** Whether this machine has IPv6 loopback (a navis on NAVIS_HOST=::1 needs it). */
async function hasIpv6Loopback(): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, '::1', () => probe.close(() => resolve(true)));
  });
}

describe('navis listening on ::1', async () => {
  const skip = (await hasIpv6Loopback()) ? false : 'no IPv6 loopback on this machine';

  test(
    "a page in one of its browsers cannot reach navis over IPv6 even with the policy opened (its request could not be told from a program's), so no keyless /api/sites call",
    { skip },
    async () => {
      const v6 = await startNavis({ poolSize: 0, host: '::1' });
      try {
        await patchTenant(v6, await defaultTenantId(v6), { network: { allowHosts: [new URL(v6.base).host] } });
        const session = await v6.createSession({}, { dialect: 'browser' });
        const res = await v6.request('POST', `/browser/sessions/${session.id}/tasks`, {
          body: {
            url: `${v6.base}/healthz`,
            actions: [
              {
                type: 'evaluate',
                script: fetchScript('/api/sites/stolen/manifest', {
                  method: 'PUT',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify(MANIFEST),
                }),
              },
            ],
          },
        });
        assert.equal(res.status, 403, res.text);
        assert.equal(res.body.code, 'EGRESS_REFUSED');
        assert.match(res.body.error, /navis's own API, which pages reach only over 127\.0\.0\.1/);
        assert.equal((await v6.request('GET', '/api/sites/stolen/manifest')).status, 404);
      } finally {
        await v6.close();
      }
    },
  );
});
