// Tenants and API keys through /admin, isolation between tenants on every session and profile
// route, secrets kept out of the logs, and navis's own unauthenticated routes (health, OpenAPI, docs).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { hashApiKey } from '../../src/tenants/service.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';

const WRONG_KEY = 'nv_wrong_key_but_long_enough_0000';
/** Every key this file sends, to check none of them reaches a log line. */
const keysUsed = new Set<string>([ADMIN_KEY, WRONG_KEY]);
const tokensUsed = new Set<string>();

let navis: TestNavis;
before(async () => {
  navis = await startNavis({ poolSize: 1 });
});
after(async () => {
  await navis.close();
});

async function createTenant(name: string): Promise<{ id: string; apiKey: string; body: any }> {
  const res = await navis.request('POST', '/admin/tenants', { body: { name } });
  assert.equal(res.status, 201, res.text);
  keysUsed.add(res.body.api_key);
  return { id: res.body.id, apiKey: res.body.api_key, body: res.body };
}

describe('POST /admin/tenants', () => {
  let tenant: { id: string; apiKey: string; body: any };
  before(async () => {
    tenant = await createTenant('acme');
  });

  test('answers 201 with the tenant and its first API key, shown once', () => {
    assert.equal(tenant.body.name, 'acme');
    assert.equal(typeof tenant.body.created_at, 'string');
    assert.match(tenant.apiKey, /^nv_.{20,}$/);
    assert.equal(tenant.body.key.tenant_id, tenant.id);
    assert.equal(tenant.body.key.is_admin, false);
  });

  test('the key record names neither the key nor its hash', () => {
    assert.ok(!JSON.stringify(tenant.body.key).includes(tenant.apiKey));
    assert.ok(!JSON.stringify(tenant.body).includes(hashApiKey(tenant.apiKey)));
  });

  test('the new key opens the /public routes of an empty tenant', async () => {
    const res = await navis.request('GET', '/public/sessions', { key: tenant.apiKey });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { sessions: [], total: 0 });
  });

  test('GET /admin/tenants lists the tenant', async () => {
    const res = await navis.request('GET', '/admin/tenants');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.tenants.find((t: any) => t.id === tenant.id),
      {
        id: tenant.id,
        name: 'acme',
        created_at: tenant.body.created_at,
        network: { allowPrivate: false, allowHosts: [], denyHosts: [] },
        limits: { maxSessions: navis.config.maxSessions, maxSiteExecutions: 3, maxDiscoveries: 1 },
        disabled: false,
        disabled_at: null,
      },
    );
  });

  test('an empty name answers 400 INVALID_REQUEST', async () => {
    const res = await navis.request('POST', '/admin/tenants', { body: { name: '' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'INVALID_REQUEST');
  });
});

describe('API keys of a tenant', () => {
  let tenant: { id: string; apiKey: string };
  let second: any;
  before(async () => {
    tenant = await createTenant('keys');
    const res = await navis.request('POST', `/admin/tenants/${tenant.id}/keys`, { body: { label: 'ci' } });
    assert.equal(res.status, 201, res.text);
    second = res.body;
    keysUsed.add(second.api_key);
  });

  test('POST /admin/tenants/{id}/keys makes another working key with its label', async () => {
    assert.notEqual(second.api_key, tenant.apiKey);
    assert.equal(second.label, 'ci');
    assert.equal(second.tenant_id, tenant.id);
    assert.equal((await navis.request('GET', '/public/sessions', { key: second.api_key })).status, 200);
  });

  test('POST /admin/tenants/{id}/keys with no body makes a key too', async () => {
    const res = await navis.request('POST', `/admin/tenants/${tenant.id}/keys`);
    assert.equal(res.status, 201, res.text);
    keysUsed.add(res.body.api_key);
    assert.equal(res.body.label, null);
  });

  test('GET /admin/tenants/{id}/keys lists the keys without the keys themselves or their hashes', async () => {
    const res = await navis.request('GET', `/admin/tenants/${tenant.id}/keys`);
    assert.equal(res.status, 200);
    assert.ok(res.body.keys.some((k: any) => k.id === second.id));
    for (const key of [tenant.apiKey, second.api_key]) {
      assert.ok(!res.text.includes(key), 'a full API key is in the listing');
      assert.ok(!res.text.includes(hashApiKey(key)), 'a key hash is in the listing');
    }
    for (const k of res.body.keys) assert.ok(!('key_hash' in k) && !('api_key' in k));
  });

  test('DELETE /admin/keys/{keyId} revokes the key, which then answers 401 while the others still work', async () => {
    const made = await navis.request('POST', `/admin/tenants/${tenant.id}/keys`, { body: { label: 'to revoke' } });
    keysUsed.add(made.body.api_key);
    const res = await navis.request('DELETE', `/admin/keys/${made.body.id}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(typeof res.body.revoked_at, 'string');
    const refused = await navis.request('GET', '/public/sessions', { key: made.body.api_key });
    assert.equal(refused.status, 401);
    assert.deepEqual(refused.body, { detail: 'Invalid API key' });
    const refusedBrowser = await navis.request('GET', '/browser/sessions', { key: made.body.api_key });
    assert.deepEqual(refusedBrowser.body, { error: 'Invalid API key', code: 'UNAUTHORIZED' });
    assert.equal((await navis.request('GET', '/public/sessions', { key: tenant.apiKey })).status, 200);
  });

  test("a key's last_used_at is set once it has been used and stays null while unused", async () => {
    const unused = await navis.request('POST', `/admin/tenants/${tenant.id}/keys`, { body: { label: 'unused' } });
    keysUsed.add(unused.body.api_key);
    await navis.request('GET', '/public/sessions', { key: tenant.apiKey });
    const res = await navis.request('GET', `/admin/tenants/${tenant.id}/keys`);
    const byId = new Map(res.body.keys.map((k: any) => [k.id, k]));
    const used: any = res.body.keys.find((k: any) => k.label === 'first key');
    assert.equal(typeof used.last_used_at, 'string');
    assert.equal((byId.get(unused.body.id) as any).last_used_at, null);
  });

  test('an unknown tenant answers 404 TENANT_NOT_FOUND', async () => {
    const res = await navis.request('GET', `/admin/tenants/${randomUUID()}/keys`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'Tenant not found', code: 'TENANT_NOT_FOUND' });
  });

  test('revoking an unknown key answers 404 API_KEY_NOT_FOUND', async () => {
    const res = await navis.request('DELETE', `/admin/keys/${randomUUID()}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: 'API key not found', code: 'API_KEY_NOT_FOUND' });
  });
});

describe('the last admin key', () => {
  let own: TestNavis;
  before(async () => {
    own = await startNavis({ poolSize: 0 });
  });
  after(async () => {
    await own.close();
  });

  test('revoking the only admin key answers 400 and the key keeps working', async () => {
    const tenants = await own.request('GET', '/admin/tenants');
    const defaultTenant = tenants.body.tenants.find((t: any) => t.name === 'default');
    const keys = await own.request('GET', `/admin/tenants/${defaultTenant.id}/keys`);
    const admin = keys.body.keys.find((k: any) => k.is_admin);
    const res = await own.request('DELETE', `/admin/keys/${admin.id}`);
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.match(res.body.error, /last admin API key/);
    assert.equal((await own.request('GET', '/admin/tenants')).status, 200);
  });
});

describe('who may call /admin', () => {
  let tenant: { id: string; apiKey: string };
  before(async () => {
    tenant = await createTenant('not admin');
  });

  test('a tenant key answers 403 FORBIDDEN on GET /admin/tenants', async () => {
    const res = await navis.request('GET', '/admin/tenants', { key: tenant.apiKey });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'FORBIDDEN');
    assert.match(res.body.error, /admin API key/);
  });

  test('a tenant key answers 403 on its own tenant keys', async () => {
    const res = await navis.request('POST', `/admin/tenants/${tenant.id}/keys`, { key: tenant.apiKey, body: {} });
    assert.equal(res.status, 403);
  });

  test('a missing key answers 401 UNAUTHORIZED', async () => {
    const res = await navis.request('GET', '/admin/tenants', { key: null });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'Invalid API key', code: 'UNAUTHORIZED' });
  });

  test('a wrong key answers 401 UNAUTHORIZED', async () => {
    const res = await navis.request('GET', '/admin/tenants', { key: WRONG_KEY });
    assert.equal(res.status, 401);
  });
});

describe('tenant isolation', () => {
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let session: Record<string, any>;
  let profile: Record<string, any>;
  before(async () => {
    a = await createTenant('tenant a');
    b = await createTenant('tenant b');
    session = await navis.createSession({ metadata: { owner: 'a' } }, { key: a.apiKey });
    profile = await navis.createProfile('a profile', { key: a.apiKey });
  });
  after(async () => {
    await navis.terminate(session.session_id, { key: a.apiKey });
  });

  const sessionNotFound = { detail: 'Session not found' };
  const profileNotFound = { detail: 'Browser profile not found' };

  test("B's GET of A's session answers 404", async () => {
    const res = await navis.request('GET', `/public/sessions/${session.session_id}`, { key: b.apiKey });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, sessionNotFound);
  });

  test("B's terminate of A's session answers 404", async () => {
    const res = await navis.request('POST', `/public/sessions/${session.session_id}/terminate`, { key: b.apiKey });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, sessionNotFound);
  });

  test("B's PATCH of A's session answers 404", async () => {
    const res = await navis.request('PATCH', `/public/sessions/${session.session_id}`, {
      key: b.apiKey,
      body: { metadata: { owner: 'b' } },
    });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, sessionNotFound);
  });

  test("B's DELETE of A's session answers 404", async () => {
    const res = await navis.request('DELETE', `/public/sessions/${session.session_id}`, { key: b.apiKey });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, sessionNotFound);
  });

  test("B's GET and DELETE of A's session under /browser answer 404 SESSION_NOT_FOUND", async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await navis.request(method, `/browser/sessions/${session.session_id}`, { key: b.apiKey });
      assert.equal(res.status, 404, method);
      assert.equal(res.body.code, 'SESSION_NOT_FOUND');
    }
  });

  test("A's session is untouched by B's attempts", async () => {
    const res = await navis.request('GET', `/public/sessions/${session.session_id}`, { key: a.apiKey });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'active');
    assert.deepEqual(res.body.metadata, session.metadata);
  });

  test("A's session is not in B's lists", async () => {
    assert.deepEqual((await navis.request('GET', '/public/sessions', { key: b.apiKey })).body, {
      sessions: [],
      total: 0,
    });
    assert.deepEqual((await navis.request('GET', '/browser/sessions', { key: b.apiKey })).body, {
      sessions: [],
      total: 0,
    });
  });

  test("the admin key does not see A's session either", async () => {
    assert.equal((await navis.request('GET', `/public/sessions/${session.session_id}`)).status, 404);
    const list = await navis.request('GET', '/public/sessions');
    assert.ok(!list.body.sessions.some((s: any) => s.session_id === session.session_id));
  });

  test("B's GET and DELETE of A's profile answer 404", async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await navis.request(method, `/public/browser-profiles/${profile.id}`, { key: b.apiKey });
      assert.equal(res.status, 404, method);
      assert.deepEqual(res.body, profileNotFound);
    }
    const browser = await navis.request('GET', `/browser/profiles/${profile.id}`, { key: b.apiKey });
    assert.equal(browser.status, 404);
  });

  test("A's profile is not in B's list and still exists for A", async () => {
    assert.deepEqual((await navis.request('GET', '/public/browser-profiles', { key: b.apiKey })).body, {
      profiles: [],
    });
    assert.equal((await navis.request('GET', `/public/browser-profiles/${profile.id}`, { key: a.apiKey })).status, 200);
  });

  test("B cannot start a session on A's profile", async () => {
    const res = await navis.request('POST', '/public/sessions', { key: b.apiKey, body: { profile_id: profile.id } });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, profileNotFound);
  });
});

describe('secrets stay out of the logs', () => {
  before(async () => {
    // Give the logs every chance to see a secret: a session's URLs with its token, right and wrong
    // keys in both headers, and failing requests.
    const created = await navis.createSession({});
    const id = created.session_id;
    const token = new URL(created.cdp_url).searchParams.get('token')!;
    tokensUsed.add(token);
    await fetch(created.metadata.live_url);
    await new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(created.cdp_url);
      ws.once('open', () => ws.close());
      ws.once('close', () => resolve());
      ws.once('error', reject);
    });
    await navis.request('GET', `/public/sessions/${id}`, {
      key: null,
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    await navis.request('GET', '/public/sessions', { key: WRONG_KEY });
    await navis.request('GET', '/browser/sessions', { key: null, headers: { authorization: `Bearer ${WRONG_KEY}` } });
    await navis.request('POST', '/public/sessions', { rawBody: '{', headers: { 'content-type': 'application/json' } });
    await navis.terminate(id);
    await fetch(`${navis.base}/live/${id}?token=${encodeURIComponent(token)}`);
  });

  test('no API key used in this file appears in a log line', () => {
    assert.ok(navis.logs.length > 0, 'navis wrote no logs');
    for (const key of keysUsed) {
      const line = navis.logs.find((l) => l.includes(key));
      assert.equal(line, undefined, `API key ${key.slice(0, 8)}… is in a log line`);
    }
  });

  test("no session's access token appears in a log line", () => {
    assert.ok(tokensUsed.size > 0);
    for (const token of tokensUsed) {
      const line = navis.logs.find((l) => l.includes(token) || l.includes(encodeURIComponent(token)));
      assert.equal(line, undefined, `access token is in a log line: ${line}`);
    }
  });
});

describe("navis's own routes", () => {
  test('GET /healthz answers 200 without a key', async () => {
    const res = await navis.request('GET', '/healthz', { key: null });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
  });

  test('GET /openapi.json is an OpenAPI document with the /public/sessions path', async () => {
    const res = await navis.request('GET', '/openapi.json', { key: null });
    assert.equal(res.status, 200);
    assert.match(res.body.openapi, /^3\./);
    assert.ok(res.body.paths['/public/sessions']?.post, 'POST /public/sessions is not documented');
    assert.ok(res.body.paths['/public/sessions/{session_id}/terminate']?.post, 'terminate is not documented');
    assert.ok(res.body.paths['/browser/sessions']?.post, 'POST /browser/sessions is not documented');
  });

  test("the OpenAPI document shows a session TTL's real bounds (Swagger's Try it out sent 2^53-1)", async () => {
    const res = await navis.request('GET', '/openapi.json', { key: null });
    const schemaOf = (path: string, method: string) =>
      res.body.paths[path][method].requestBody.content['application/json'].schema.properties;
    const bounds = (prop: any) => {
      const integer = prop.anyOf ? prop.anyOf.find((s: any) => s.type === 'integer') : prop;
      return [integer.minimum, integer.maximum];
    };
    assert.deepEqual(bounds(schemaOf('/public/sessions', 'post').ttl), [1, 86400]);
    assert.deepEqual(bounds(schemaOf('/browser/sessions', 'post').ttlSeconds), [1, 86400]);
  });

  test('the OpenAPI document names the X-API-Key header as the security scheme', async () => {
    const res = await navis.request('GET', '/openapi.json', { key: null });
    assert.deepEqual(res.body.components.securitySchemes.apiKey, { type: 'apiKey', in: 'header', name: 'X-API-Key' });
  });

  test('GET /docs answers 200 HTML without a key', async () => {
    const res = await navis.request('GET', '/docs', { key: null });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
  });
});
