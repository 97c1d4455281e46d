// Tokens and tenants with a lifecycle (issue 10, item 10), with real Chromium: revoking a key ends
// the sessions it created and refuses it at once; disabling a tenant refuses its keys and ends its
// sessions until it is enabled again; deleting one ends its sessions and removes its keys and
// profiles from disk; the default tenant stays; setting NAVIS_API_KEY revokes the admin key navis
// generated at first start; /admin validates what it is given and answers the admin key only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADMIN_KEY, startNavis, upgradeStatus, waitFor, type TestNavis } from '../helpers/navis.js';
import {
  browserOf,
  createKey,
  createTenant,
  defaultTenantId,
  patchTenant,
  processesOf,
  storedSession,
  type AdminTenant,
  type SessionBrowser,
} from '../helpers/tenants.js';

let navis: TestNavis;
before(async () => {
  navis = await startNavis({ poolSize: 0 });
});
after(async () => {
  await navis.close();
});

/** A session made with `key`, with its browser (read before anything can end it). */
async function sessionOf(
  key: string,
  dialect: 'public' | 'browser' = 'public',
): Promise<{ id: string; cdpUrl: string; liveUrl: string; browser: SessionBrowser }> {
  const created = await navis.createSession({}, { key, dialect });
  const id = dialect === 'public' ? created.session_id : created.id;
  const cdpUrl = dialect === 'public' ? created.cdp_url : created.cdpUrl;
  const liveUrl = dialect === 'public' ? created.metadata.live_url : created.liveViewUrl;
  return { id, cdpUrl, liveUrl, browser: browserOf(navis, id) };
}

/** Every process of the browser (main and helpers) has exited. */
function browserGone(browser: SessionBrowser): Promise<true> {
  return waitFor(
    () => processesOf(browser).length === 0 || undefined,
    `the Chromium processes on ${browser.userDataDir} to exit`,
  );
}

/** A task on the session answers 201: it still runs. */
async function assertRuns(sessionId: string, key: string): Promise<void> {
  const task = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, {
    key,
    body: { actions: [{ type: 'evaluate', script: 'return 6 * 7' }] },
  });
  assert.equal(task.status, 201, task.text);
  assert.equal(task.body.actionResults[0].value, 42);
}

describe('DELETE /admin/keys/{id}', () => {
  let tenant: AdminTenant;
  let other: { apiKey: string; keyId: string };
  let byRevoked: Awaited<ReturnType<typeof sessionOf>>[];
  let byOther: Awaited<ReturnType<typeof sessionOf>>;
  let revoke: Awaited<ReturnType<TestNavis['request']>>;
  before(async () => {
    tenant = await createTenant(navis, 'revoked key tenant');
    other = await createKey(navis, tenant.id, 'the other key');
    byRevoked = [await sessionOf(tenant.apiKey, 'public'), await sessionOf(tenant.apiKey, 'browser')];
    byOther = await sessionOf(other.apiKey);
    revoke = await navis.request('DELETE', `/admin/keys/${tenant.keyId}`);
  });
  after(async () => {
    await navis.terminate(byOther.id, { key: other.apiKey });
  });

  test('answers 200 with the key marked revoked', () => {
    assert.equal(revoke.status, 200, revoke.text);
    assert.equal(revoke.body.id, tenant.keyId);
    assert.equal(typeof revoke.body.revoked_at, 'string');
  });

  test('the revoked key answers 401 at once, on every API family', async () => {
    for (const [method, url] of [
      ['GET', '/public/sessions'],
      ['GET', '/browser/sessions'],
      ['GET', '/api/sites'],
    ] as const) {
      const res = await navis.request(method, url, { key: tenant.apiKey });
      assert.equal(res.status, 401, `${method} ${url}: ${res.text}`);
    }
  });

  test('the sessions it created end as terminated with end_reason api_key_revoked, before the revoke answered', async () => {
    for (const session of byRevoked) {
      const res = await navis.request('GET', `/public/sessions/${session.id}`, { key: other.apiKey });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'terminated');
      assert.equal(res.body.end_reason, 'api_key_revoked');
    }
  });

  test('the Chromium processes of those sessions are gone', async () => {
    for (const session of byRevoked) await browserGone(session.browser);
  });

  test('their cdp_url and live_url are refused (410: the session ended)', async () => {
    for (const session of byRevoked) {
      assert.equal(await upgradeStatus(session.cdpUrl), 410);
      assert.equal((await fetch(session.liveUrl)).status, 410);
    }
  });

  test("the session made with the tenant's other key keeps running", async () => {
    const res = await navis.request('GET', `/public/sessions/${byOther.id}`, { key: other.apiKey });
    assert.equal(res.body.status, 'active');
    await assertRuns(byOther.id, other.apiKey);
    assert.equal(await upgradeStatus(byOther.cdpUrl), 101);
  });
});

describe('PATCH /admin/tenants/{id} {disabled}', () => {
  let tenant: AdminTenant;
  let second: { apiKey: string };
  let sessions: Awaited<ReturnType<typeof sessionOf>>[];
  let bystander: Awaited<ReturnType<typeof sessionOf>>;
  let disabled: Record<string, any>;
  before(async () => {
    tenant = await createTenant(navis, 'disabled tenant');
    second = await createKey(navis, tenant.id);
    sessions = [await sessionOf(tenant.apiKey), await sessionOf(second.apiKey, 'browser')];
    bystander = await sessionOf(ADMIN_KEY);
    disabled = await patchTenant(navis, tenant.id, { disabled: true });
  });
  after(async () => {
    await navis.terminate(bystander.id);
  });

  test('answers with the tenant disabled and when', () => {
    assert.equal(disabled.disabled, true);
    assert.equal(typeof disabled.disabled_at, 'string');
  });

  test('every key of the tenant answers 403 TENANT_DISABLED saying how to enable it', async () => {
    for (const key of [tenant.apiKey, second.apiKey]) {
      const res = await navis.request('GET', '/browser/sessions', { key });
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.code, 'TENANT_DISABLED');
      assert.match(res.body.error, /"disabled": false/);
      const sites = await navis.request('GET', '/api/sites', { key });
      assert.equal(sites.status, 403, sites.text);
    }
  });

  test('its sessions ended as tenant_disabled before the PATCH answered, and no Chromium of theirs is left', async () => {
    for (const session of sessions)
      assert.deepEqual(storedSession(navis, session.id), { status: 'terminated', end_reason: 'tenant_disabled' });
    for (const session of sessions) await browserGone(session.browser);
    for (const session of sessions) assert.equal(await upgradeStatus(session.cdpUrl), 410);
  });

  test("another tenant's session keeps running", async () => {
    await assertRuns(bystander.id, ADMIN_KEY);
  });

  test('{disabled: false} makes its keys work again; the ended sessions stay ended', async () => {
    const enabled = await patchTenant(navis, tenant.id, { disabled: false });
    assert.equal(enabled.disabled, false);
    assert.equal(enabled.disabled_at, null);
    for (const key of [tenant.apiKey, second.apiKey]) {
      const res = await navis.request('GET', `/public/sessions/${sessions[0].id}`, { key });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'terminated');
      assert.equal(res.body.end_reason, 'tenant_disabled');
    }
    const fresh = await sessionOf(tenant.apiKey);
    await assertRuns(fresh.id, tenant.apiKey);
    await navis.terminate(fresh.id, { key: tenant.apiKey });
  });
});

describe('DELETE /admin/tenants/{id}', () => {
  let tenant: AdminTenant;
  let second: { apiKey: string };
  let plain: Awaited<ReturnType<typeof sessionOf>>;
  let onProfile: { id: string; cdpUrl: string; browser: SessionBrowser };
  let profileDirs: string[];
  let removed: Awaited<ReturnType<TestNavis['request']>>;
  before(async () => {
    tenant = await createTenant(navis, 'deleted tenant');
    second = await createKey(navis, tenant.id);
    plain = await sessionOf(tenant.apiKey);
    const saved = await navis.createProfile('saved', { key: tenant.apiKey });
    const idle = await navis.createProfile('idle', { key: second.apiKey });
    profileDirs = [saved.id, idle.id].map((id) => path.join(navis.dataDir, 'profiles', id));
    const session = await navis.createSession({ profile_id: saved.id, persist_changes: true }, { key: tenant.apiKey });
    onProfile = { id: session.session_id, cdpUrl: session.cdp_url, browser: browserOf(navis, session.session_id) };
    assert.ok(
      profileDirs.every((dir) => fs.existsSync(dir)),
      'the profiles have their dirs before the delete',
    );
    removed = await navis.request('DELETE', `/admin/tenants/${tenant.id}`);
  });

  test('answers 204', () => {
    assert.equal(removed.status, 204, removed.text);
  });

  test("its sessions' browsers are gone and their cdp_url is refused", async () => {
    for (const session of [plain, onProfile]) {
      await browserGone(session.browser);
      assert.equal(await upgradeStatus(session.cdpUrl), 401);
    }
  });

  test("its profiles' dirs are gone from disk", () => {
    for (const dir of profileDirs) assert.equal(fs.existsSync(dir), false, `${dir} was removed`);
  });

  test('its keys answer 401', async () => {
    for (const key of [tenant.apiKey, second.apiKey]) {
      const res = await navis.request('GET', '/public/sessions', { key });
      assert.equal(res.status, 401, res.text);
    }
  });

  test('the tenant is gone from /admin: 404 on GET, absent from the list', async () => {
    const res = await navis.request('GET', `/admin/tenants/${tenant.id}`);
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 'TENANT_NOT_FOUND');
    const list = await navis.request('GET', '/admin/tenants');
    assert.equal(
      list.body.tenants.some((t: { id: string }) => t.id === tenant.id),
      false,
    );
  });
});

describe('the default tenant', () => {
  let defaultId: string;
  before(async () => {
    defaultId = await defaultTenantId(navis);
  });

  test('cannot be disabled: 400 saying why, and the admin key keeps working', async () => {
    const res = await navis.request('PATCH', `/admin/tenants/${defaultId}`, { body: { disabled: true } });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error, /default tenant cannot be disabled/);
    const still = await navis.request('GET', `/admin/tenants/${defaultId}`);
    assert.equal(still.status, 200);
    assert.equal(still.body.disabled, false);
  });

  test('cannot be deleted: 400 saying why', async () => {
    const res = await navis.request('DELETE', `/admin/tenants/${defaultId}`);
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error, /default tenant cannot be deleted/);
    assert.equal((await navis.request('GET', `/admin/tenants/${defaultId}`)).status, 200);
  });
});

describe('NAVIS_API_KEY set on a data dir where navis generated its admin key', () => {
  let dataDir: string;
  let generated: string;
  let restarted: TestNavis;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-test-restart-'));
    const first = await startNavis({ apiKey: undefined, poolSize: 0 }, { dataDir });
    generated = first.navis.generatedAdminKey!;
    assert.ok(generated, 'the first start without NAVIS_API_KEY generates an admin key');
    const works = await first.request('GET', '/admin/tenants', { key: generated });
    assert.equal(works.status, 200, 'the generated key is an admin key');
    await first.close();
    restarted = await startNavis({ apiKey: ADMIN_KEY, poolSize: 0 }, { dataDir });
  });
  after(async () => {
    await restarted.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('no new key is generated on the second start', () => {
    assert.equal(restarted.navis.generatedAdminKey, undefined);
  });

  test('the generated key answers 401', async () => {
    const res = await restarted.request('GET', '/admin/tenants', { key: generated });
    assert.equal(res.status, 401, res.text);
  });

  test('the configured key is the admin key', async () => {
    const res = await restarted.request('GET', '/admin/tenants', { key: ADMIN_KEY });
    assert.equal(res.status, 200, res.text);
  });
});

describe('what /admin/tenants accepts', () => {
  let tenant: AdminTenant;
  before(async () => {
    tenant = await createTenant(navis, 'validated');
  });

  const badEntries = [
    { entry: 'http://intranet.example/', why: /not a URL/ },
    { entry: '*', why: /bare '\*'/ },
    { entry: 'foo.*.example', why: /wildcard/ },
    { entry: '10.0.0.0/99', why: /CIDR/ },
    { entry: 'intranet.example:70000', why: /port/ },
    { entry: 'user@intranet.example', why: /not a host name/ },
  ];

  test('POST with a bad allowHosts entry answers 400 naming the entry, and makes no tenant', async () => {
    for (const { entry, why } of badEntries) {
      const countBefore = (await navis.request('GET', '/admin/tenants')).body.tenants.length;
      const res = await navis.request('POST', '/admin/tenants', {
        body: { name: 'bad', network: { allowHosts: ['ok.example', entry] } },
      });
      assert.equal(res.status, 400, `${entry}: ${res.text}`);
      assert.ok(res.body.error.includes(JSON.stringify(entry)), `the error names ${entry}: ${res.body.error}`);
      assert.match(res.body.error, why);
      assert.equal((await navis.request('GET', '/admin/tenants')).body.tenants.length, countBefore);
    }
  });

  test('PATCH with a bad denyHosts entry answers 400 naming the entry, and leaves the policy as it was', async () => {
    const res = await navis.request('PATCH', `/admin/tenants/${tenant.id}`, {
      body: { network: { denyHosts: ['10.0.0.0/99'] } },
    });
    assert.equal(res.status, 400, res.text);
    assert.ok(res.body.error.includes('"10.0.0.0/99"'), res.body.error);
    const now = await navis.request('GET', `/admin/tenants/${tenant.id}`);
    assert.deepEqual(now.body.network, { allowPrivate: false, allowHosts: [], denyHosts: [] });
  });

  test('an unknown network field answers 400', async () => {
    const res = await navis.request('PATCH', `/admin/tenants/${tenant.id}`, {
      body: { network: { allowEverything: true } },
    });
    assert.equal(res.status, 400, res.text);
  });

  test('limits that are negative, fractional, too large or unknown answer 400 naming the field', async () => {
    for (const [field, value] of [
      ['maxSessions', -1],
      ['maxSiteExecutions', 1.5],
      ['maxDiscoveries', 1e9],
      ['maxCpu', 1],
    ] as const) {
      for (const [method, url, extra] of [
        ['POST', '/admin/tenants', { name: 'limits' }],
        ['PATCH', `/admin/tenants/${tenant.id}`, {}],
      ] as const) {
        const res = await navis.request(method, url, { body: { ...extra, limits: { [field]: value } } });
        assert.equal(res.status, 400, `${method} ${field}=${value}: ${res.text}`);
        assert.ok(res.body.error.includes(field), `the error names ${field}: ${res.body.error}`);
      }
    }
  });

  test('a limit set on the tenant shows in its view, and null gives it back the global limit', async () => {
    const global = (await navis.request('GET', `/admin/tenants/${tenant.id}`)).body.limits.maxSessions;
    const set = await patchTenant(navis, tenant.id, { limits: { maxSessions: 2 } });
    assert.equal(set.limits.maxSessions, 2);
    const reset = await patchTenant(navis, tenant.id, { limits: { maxSessions: null } });
    assert.equal(reset.limits.maxSessions, global);
  });

  test('a valid policy given on PATCH replaces only the fields given', async () => {
    await patchTenant(navis, tenant.id, {
      network: { allowHosts: ['intranet.example', '10.1.2.3:8080', '*.corp.example', '10.0.0.0/8'] },
    });
    const changed = await patchTenant(navis, tenant.id, { network: { denyHosts: ['ads.example'] } });
    assert.deepEqual(changed.network, {
      allowPrivate: false,
      allowHosts: ['intranet.example', '10.1.2.3:8080', '*.corp.example', '10.0.0.0/8'],
      denyHosts: ['ads.example'],
    });
  });
});

describe('a tenant key on /admin', () => {
  let tenant: AdminTenant;
  before(async () => {
    tenant = await createTenant(navis, 'not an admin');
  });

  test('answers 403 FORBIDDEN on every admin route, its own tenant included, and changes nothing', async () => {
    const attempts: Array<[string, string, unknown?]> = [
      ['POST', '/admin/tenants', { name: 'mine' }],
      ['GET', `/admin/tenants/${tenant.id}`],
      ['PATCH', `/admin/tenants/${tenant.id}`, { limits: { maxSessions: 1000 }, network: { allowPrivate: true } }],
      ['DELETE', `/admin/tenants/${tenant.id}`],
      ['POST', `/admin/tenants/${tenant.id}/keys`, {}],
      ['DELETE', `/admin/keys/${tenant.keyId}`],
    ];
    for (const [method, url, body] of attempts) {
      const res = await navis.request(method, url, { key: tenant.apiKey, body });
      assert.equal(res.status, 403, `${method} ${url}: ${res.text}`);
      assert.equal(res.body.code, 'FORBIDDEN');
    }
    const view = await navis.request('GET', `/admin/tenants/${tenant.id}`);
    assert.equal(view.body.network.allowPrivate, false);
    assert.notEqual(view.body.limits.maxSessions, 1000);
    assert.equal((await navis.request('GET', `/admin/tenants/${tenant.id}/keys`)).body.keys.length, 1);
  });
});

/**
 * Holds the next browser hand-over of the pool (a session being created) until `release`, so a
 * revoke or disable can land while the session is still starting.
 */
function holdNextBrowser(): { starting: Promise<void>; release(): void; restore(): void } {
  const pool = navis.navis.services.pool;
  const original = pool.acquire;
  let arrived!: () => void;
  let release!: () => void;
  const starting = new Promise<void>((resolve) => (arrived = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  pool.acquire = async function (this: typeof pool, ...args: Parameters<typeof original>) {
    pool.acquire = original;
    arrived();
    await released;
    return original.apply(this, args);
  };
  return { starting, release, restore: () => (pool.acquire = original) };
}

/** Sessions of the tenant the store still counts as running. */
const activeSessionsOf = (tenantId: string) =>
  (
    navis.navis.services.db
      .prepare("SELECT id FROM sessions WHERE tenant_id = ? AND status = 'active'")
      .all(tenantId) as Array<{ id: string }>
  ).map((r) => r.id);

describe('a session still starting when its key or tenant is closed', () => {
  test('a revoked key: the session does not outlive the revoke', async () => {
    const tenant = await createTenant(navis, 'revoked while starting');
    const hold = holdNextBrowser();
    try {
      const creating = navis.request('POST', '/public/sessions', { key: tenant.apiKey, body: {} });
      await hold.starting;
      const revoking = navis.request('DELETE', `/admin/keys/${tenant.keyId}`);
      await waitFor(
        async () => (await navis.request('GET', `/admin/tenants/${tenant.id}/keys`)).body.keys[0].revoked_at,
        'the key to be revoked',
      );
      hold.release();
      const [created, revoked] = await Promise.all([creating, revoking]);
      assert.equal(revoked.status, 200, revoked.text);
      assert.deepEqual(activeSessionsOf(tenant.id), [], 'no session of the revoked key runs');
      if (created.status === 200) {
        assert.deepEqual(storedSession(navis, created.body.session_id), {
          status: 'terminated',
          end_reason: 'api_key_revoked',
        });
        assert.equal(await upgradeStatus(created.body.cdp_url), 410);
      }
    } finally {
      hold.restore();
    }
  });

  test('a create that passed authentication just before the tenant was disabled gets no session: 403 TENANT_DISABLED', async () => {
    const tenant = await createTenant(navis, 'disabled after authentication');
    await patchTenant(navis, tenant.id, { disabled: true });
    // What the route does once the key was accepted: the service call, now after the disable.
    await assert.rejects(navis.navis.services.sessions.create(tenant.id, { apiKeyId: tenant.keyId }), {
      code: 'TENANT_DISABLED',
    });
    assert.deepEqual(activeSessionsOf(tenant.id), []);
  });

  test('a disabled tenant: the session does not outlive the PATCH', async () => {
    const tenant = await createTenant(navis, 'disabled while starting');
    const hold = holdNextBrowser();
    try {
      const creating = navis.request('POST', '/browser/sessions', { key: tenant.apiKey, body: {} });
      await hold.starting;
      const disabling = navis.request('PATCH', `/admin/tenants/${tenant.id}`, { body: { disabled: true } });
      await waitFor(
        async () => (await navis.request('GET', `/admin/tenants/${tenant.id}`)).body.disabled,
        'the tenant to be disabled',
      );
      hold.release();
      const [created, disabled] = await Promise.all([creating, disabling]);
      assert.equal(disabled.status, 200, disabled.text);
      assert.deepEqual(activeSessionsOf(tenant.id), [], 'no session of the disabled tenant runs');
      if (created.status === 201) {
        assert.deepEqual(storedSession(navis, created.body.id), {
          status: 'terminated',
          end_reason: 'tenant_disabled',
        });
        assert.equal(await upgradeStatus(created.body.cdpUrl), 410);
      }
    } finally {
      hold.restore();
    }
  });
});
