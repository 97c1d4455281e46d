// Contract of /public/sessions (seed 001 Create Session and the product's session pages, as listed
// in seeds/README.md): every field, default, status and `{"detail": "..."}` error body.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SessionRepository, type SessionRow } from '../../src/store/sessions.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';
import { startOwnBrowser } from '../helpers/own-browser.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const SEED_FIELDS = [
  'session_id',
  'cdp_url',
  'screen_config',
  'status',
  'expires_at',
  'metadata',
  'profile_id',
  'persist_changes',
  'created_at',
  'updated_at',
];
const TTL_TOO_LONG = { detail: 'TTL cannot exceed 86400 seconds (24 hours)' };
const INVALID_KEY = { detail: 'Invalid API key' };
const NOT_FOUND = { detail: 'Session not found' };

let navis: TestNavis;
before(async () => {
  navis = await startNavis({ poolSize: 1 });
});
after(async () => {
  await navis.close();
});

/** An error answer of the /public dialect: the status, and a body that is `{detail}` and nothing else. */
function assertDetail(res: { status: number; body: any; text: string }, status: number, detail: RegExp | string): void {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(Object.keys(res.body ?? {}), ['detail'], res.text);
  if (typeof detail === 'string') assert.equal(res.body.detail, detail);
  else assert.match(res.body.detail, detail);
}

describe('POST /public/sessions with an empty body', () => {
  let session: Record<string, any>;
  before(async () => {
    session = await navis.createSession({});
  });
  after(async () => {
    await navis.terminate(session.session_id);
  });

  test('the response has every field seed 001 documents', () => {
    for (const field of SEED_FIELDS) assert.ok(field in session, `missing ${field}`);
  });

  test('session_id is a UUID', () => {
    assert.match(session.session_id, UUID);
  });

  test('cdp_url is a ws:// URL to the proxy of this session with its token', () => {
    const prefix = `${navis.base.replace(/^http/, 'ws')}/cdp/${session.session_id}?token=`;
    assert.ok(session.cdp_url.startsWith(prefix), session.cdp_url);
    assert.ok(session.cdp_url.length > prefix.length, 'token is empty');
  });

  test('screen_config defaults to 1280x720', () => {
    assert.deepEqual(session.screen_config, { width: 1280, height: 720 });
  });

  test('status is active', () => {
    assert.equal(session.status, 'active');
  });

  test('created_at, updated_at and expires_at are ISO 8601 timestamps', () => {
    for (const field of ['created_at', 'updated_at', 'expires_at']) assert.match(session[field], ISO_8601, field);
  });

  test('expires_at is created_at plus the default ttl of 600 seconds', () => {
    assert.equal(Date.parse(session.expires_at) - Date.parse(session.created_at), 600_000);
  });

  test('updated_at equals created_at on a new session', () => {
    assert.equal(session.updated_at, session.created_at);
  });

  test('metadata holds only live_url, a link to the live view of this session', () => {
    assert.deepEqual(Object.keys(session.metadata), ['live_url']);
    assert.ok(
      session.metadata.live_url.startsWith(`${navis.base}/live/${session.session_id}?token=`),
      session.metadata.live_url,
    );
  });

  test('profile_id and persist_changes are null without a profile', () => {
    assert.equal(session.profile_id, null);
    assert.equal(session.persist_changes, null);
  });

  test('GET /public/sessions/{id} answers the same session', async () => {
    const res = await navis.request('GET', `/public/sessions/${session.session_id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, session);
  });
});

describe('POST /public/sessions with the seed 001 example body', () => {
  let session: Record<string, any>;
  before(async () => {
    session = await navis.createSession({
      screen_config: { width: 1920, height: 1080 },
      ttl: 3600,
      metadata: { purpose: 'workflow-automation', user: 'john' },
    });
  });
  after(async () => {
    await navis.terminate(session.session_id);
  });

  test('screen_config is echoed', () => {
    assert.deepEqual(session.screen_config, { width: 1920, height: 1080 });
  });

  test('expires_at is one hour after created_at for ttl 3600', () => {
    assert.equal(Date.parse(session.expires_at) - Date.parse(session.created_at), 3_600_000);
  });

  test('metadata is echoed with live_url added', () => {
    const { live_url, ...rest } = session.metadata;
    assert.deepEqual(rest, { purpose: 'workflow-automation', user: 'john' });
    assert.equal(typeof live_url, 'string');
  });
});

describe('POST /public/sessions with a browser profile', () => {
  let profileId: string;
  before(async () => {
    profileId = (await navis.createProfile('session profile')).id;
  });

  test('profile_id is echoed and persist_changes defaults to true', async () => {
    const session = await navis.createSession({ profile_id: profileId, ttl: 3600 });
    assert.equal(session.profile_id, profileId);
    assert.equal(session.persist_changes, true);
    await navis.terminate(session.session_id);
  });

  test('persist_changes false is echoed', async () => {
    const session = await navis.createSession({ profile_id: profileId, persist_changes: false, ttl: 3600 });
    assert.equal(session.profile_id, profileId);
    assert.equal(session.persist_changes, false);
    await navis.terminate(session.session_id);
  });

  test('an unknown profile_id answers 404 with a detail', async () => {
    const res = await navis.request('POST', '/public/sessions', { body: { profile_id: randomUUID() } });
    assertDetail(res, 404, 'Browser profile not found');
  });

  test('profile_id with cdp_url answers 400 saying they do not combine, and leaves the profile free', async () => {
    // A browser that answers, so only the combination can be what is refused.
    const own = await startOwnBrowser();
    try {
      const res = await navis.request('POST', '/public/sessions', {
        body: { profile_id: profileId, cdp_url: own.wsUrl },
      });
      assertDetail(res, 400, /profile_id cannot be combined with cdp_url/);
      assert.equal(
        (await navis.request('GET', '/public/sessions?status_filter=active')).body.sessions.some(
          (s: any) => s.profile_id === profileId,
        ),
        false,
      );
      const after = await navis.createSession({ profile_id: profileId });
      await navis.terminate(after.session_id);
    } finally {
      own.kill();
    }
  });
});

describe('POST /public/sessions without a body', () => {
  test('a POST with no body at all creates a session with the defaults', async () => {
    const res = await navis.request('POST', '/public/sessions');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.screen_config, { width: 1280, height: 720 });
    assert.equal(Date.parse(res.body.expires_at) - Date.parse(res.body.created_at), 600_000);
    await navis.terminate(res.body.session_id);
  });

  test('a POST with Content-Type: application/json and no body creates a session with the defaults', async () => {
    const res = await navis.request('POST', '/public/sessions', { headers: { 'content-type': 'application/json' } });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'active');
    await navis.terminate(res.body.session_id);
  });
});

describe('POST /public/sessions validation', () => {
  test('ttl 86400 is accepted', async () => {
    const session = await navis.createSession({ ttl: 86_400 });
    assert.equal(Date.parse(session.expires_at) - Date.parse(session.created_at), 86_400_000);
    await navis.terminate(session.session_id);
  });

  test('ttl 86401 answers 400 with exactly the seed 001 body', async () => {
    const res = await navis.request('POST', '/public/sessions', { body: { ttl: 86_401 } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, TTL_TOO_LONG);
  });

  test('ttl 0 answers 400 with a detail saying it must be positive', async () => {
    assertDetail(await navis.request('POST', '/public/sessions', { body: { ttl: 0 } }), 400, /positive/);
  });

  test('a negative ttl answers 400 with a detail saying it must be positive', async () => {
    assertDetail(await navis.request('POST', '/public/sessions', { body: { ttl: -60 } }), 400, /positive/);
  });

  test('ttl as a string answers 400 naming ttl', async () => {
    assertDetail(await navis.request('POST', '/public/sessions', { body: { ttl: 'abc' } }), 400, /'ttl'/);
  });

  test('a fractional ttl answers 400 naming ttl', async () => {
    assertDetail(await navis.request('POST', '/public/sessions', { body: { ttl: 1.5 } }), 400, /'ttl'/);
  });

  test('screen_config width as a string answers 400 naming screen_config.width', async () => {
    const res = await navis.request('POST', '/public/sessions', {
      body: { screen_config: { width: '1920', height: 1080 } },
    });
    assertDetail(res, 400, /'screen_config\.width'/);
  });

  test('metadata that is not an object answers 400 naming metadata', async () => {
    assertDetail(await navis.request('POST', '/public/sessions', { body: { metadata: 'x' } }), 400, /'metadata'/);
  });

  test('a cdp_url that is not a DevTools address answers 400 with a detail', async () => {
    assertDetail(
      await navis.request('POST', '/public/sessions', { body: { cdp_url: 'ftp://example.invalid/' } }),
      400,
      /cdp_url/,
    );
  });

  test('a form-encoded body answers 415 with a detail asking for JSON', async () => {
    const res = await navis.request('POST', '/public/sessions', {
      rawBody: 'ttl=60',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assertDetail(res, 415, /application\/json/);
  });

  test('malformed JSON answers 400 with a detail', async () => {
    const res = await navis.request('POST', '/public/sessions', {
      rawBody: '{"ttl": ',
      headers: { 'content-type': 'application/json' },
    });
    assertDetail(res, 400, /JSON/);
  });
});

describe('API key on /public routes', () => {
  const someId = randomUUID();
  const routes: Array<[string, string, unknown?]> = [
    ['POST', '/public/sessions', {}],
    ['GET', '/public/sessions'],
    ['GET', `/public/sessions/${someId}`],
    ['PATCH', `/public/sessions/${someId}`, { metadata: {} }],
    ['POST', `/public/sessions/${someId}/terminate`],
    ['DELETE', `/public/sessions/${someId}`],
    ['POST', '/public/browser-profiles', { name: 'p' }],
    ['GET', '/public/browser-profiles'],
    ['GET', `/public/browser-profiles/${someId}`],
    ['DELETE', `/public/browser-profiles/${someId}`],
    ['GET', '/public/no-such-route'],
  ];
  for (const [method, path, body] of routes) {
    test(`${method} ${path} without X-API-Key answers 401 {"detail": "Invalid API key"}`, async () => {
      const res = await navis.request(method, path, { key: null, body });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, INVALID_KEY);
    });
    test(`${method} ${path} with a wrong X-API-Key answers 401 {"detail": "Invalid API key"}`, async () => {
      const res = await navis.request(method, path, { key: 'nv_wrong_key_000000000000000000', body });
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, INVALID_KEY);
    });
  }

  test('Authorization: Bearer <key> is accepted as the API key', async () => {
    const res = await navis.request('GET', '/public/sessions', {
      key: null,
      headers: { authorization: 'Bearer nv_test_admin_key_0123456789abcdef' },
    });
    assert.equal(res.status, 200, res.text);
  });
});

describe('GET /public/sessions', () => {
  let session: Record<string, any>;
  before(async () => {
    session = await navis.createSession({});
  });
  after(async () => {
    await navis.request('DELETE', `/public/sessions/${session.session_id}`);
  });

  test('answers {sessions, total} holding the session in the public shape', async () => {
    const res = await navis.request('GET', '/public/sessions');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['sessions', 'total']);
    assert.equal(typeof res.body.total, 'number');
    assert.deepEqual(
      res.body.sessions.find((s: any) => s.session_id === session.session_id),
      session,
    );
  });

  test('status_filter=active lists the active session', async () => {
    const res = await navis.request('GET', '/public/sessions?status_filter=active');
    assert.ok(res.body.sessions.some((s: any) => s.session_id === session.session_id));
    assert.ok(res.body.sessions.every((s: any) => s.status === 'active'));
  });

  test('status_filter=terminated leaves the active session out', async () => {
    const res = await navis.request('GET', '/public/sessions?status_filter=terminated');
    assert.equal(res.status, 200);
    assert.ok(!res.body.sessions.some((s: any) => s.session_id === session.session_id));
  });

  test('an unknown status_filter answers 400 naming status_filter', async () => {
    assertDetail(await navis.request('GET', '/public/sessions?status_filter=running'), 400, /status_filter/);
  });

  test('limit=0 answers 400 naming limit', async () => {
    assertDetail(await navis.request('GET', '/public/sessions?limit=0'), 400, /limit/);
  });

  test('a negative offset answers 400 naming offset', async () => {
    assertDetail(await navis.request('GET', '/public/sessions?offset=-1'), 400, /offset/);
  });
});

describe('GET /public/sessions paging over 101 ended sessions of one tenant', () => {
  let key: string;
  /** Newest first, the order the list answers in. */
  let ids: string[];
  before(async () => {
    const res = await navis.request('POST', '/admin/tenants', { body: { name: 'paging' } });
    assert.equal(res.status, 201, res.text);
    key = res.body.api_key;
    const repo = new SessionRepository(navis.navis.services.db);
    const start = Date.parse('2024-11-26T09:34:00Z');
    ids = [];
    for (let i = 0; i < 101; i++) {
      const at = new Date(start + i * 1000).toISOString();
      const row: SessionRow = {
        id: randomUUID(),
        tenant_id: res.body.id,
        status: i % 2 ? 'terminated' : 'expired',
        end_reason: 'terminated_by_user',
        kind: 'managed',
        external_cdp_url: null,
        cdp_token_hash: null,
        live_token_hash: null,
        api_key_id: null,
        proxy_server: null,
        screen_width: 1280,
        screen_height: 720,
        ttl_seconds: 600,
        idle_timeout_ms: null,
        metadata: '{}',
        profile_id: null,
        persist_changes: null,
        browser_pid: null,
        created_at: at,
        updated_at: at,
        expires_at: new Date(start + i * 1000 + 600_000).toISOString(),
        ended_at: at,
      };
      repo.insert(row);
      ids.unshift(row.id);
    }
  });

  test('limit defaults to 100 while total counts all 101', async () => {
    const res = await navis.request('GET', '/public/sessions', { key });
    assert.equal(res.status, 200);
    assert.equal(res.body.sessions.length, 100);
    assert.equal(res.body.total, 101);
  });

  test('offset skips that many sessions, newest first', async () => {
    const res = await navis.request('GET', '/public/sessions?limit=2&offset=1', { key });
    assert.deepEqual(
      res.body.sessions.map((s: any) => s.session_id),
      ids.slice(1, 3),
    );
    assert.equal(res.body.total, 101);
  });

  test('an offset past the end answers no sessions and the full total', async () => {
    const res = await navis.request('GET', '/public/sessions?offset=200', { key });
    assert.deepEqual(res.body, { sessions: [], total: 101 });
  });

  test('status_filter narrows both sessions and total', async () => {
    const res = await navis.request('GET', '/public/sessions?status_filter=terminated', { key });
    assert.equal(res.body.total, 50);
    assert.ok(res.body.sessions.every((s: any) => s.status === 'terminated'));
  });
});

describe('GET /public/sessions/{id}', () => {
  test('an unknown id answers 404 {"detail": "Session not found"}', async () => {
    const res = await navis.request('GET', `/public/sessions/${randomUUID()}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
  });
});

describe('POST /public/sessions/{id}/terminate', () => {
  let session: Record<string, any>;
  let terminated: { status: number; text: string };
  let sessionsBefore: number;
  let sessionsAfter: number;
  before(async () => {
    session = await navis.createSession({});
    sessionsBefore = (await navis.request('GET', '/healthz')).body.sessions;
    terminated = await navis.request('POST', `/public/sessions/${session.session_id}/terminate`);
    sessionsAfter = (await navis.request('GET', '/healthz')).body.sessions;
  });

  test('answers 204 with an empty body', () => {
    assert.equal(terminated.status, 204);
    assert.equal(terminated.text, '');
  });

  test('GET then shows status terminated', async () => {
    const res = await navis.request('GET', `/public/sessions/${session.session_id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'terminated');
  });

  test('frees the browser before answering', () => {
    assert.equal(sessionsAfter, sessionsBefore - 1);
  });

  test('the session is listed under status_filter=terminated', async () => {
    const res = await navis.request('GET', '/public/sessions?status_filter=terminated');
    assert.ok(res.body.sessions.some((s: any) => s.session_id === session.session_id));
  });

  test('a second terminate answers 400 {"detail": "Session is already terminated"}', async () => {
    const res = await navis.request('POST', `/public/sessions/${session.session_id}/terminate`);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { detail: 'Session is already terminated' });
  });

  test('an unknown id answers 404 {"detail": "Session not found"}', async () => {
    const res = await navis.request('POST', `/public/sessions/${randomUUID()}/terminate`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
  });

  test('a client that sends Content-Type: application/json with no body can terminate', async () => {
    const other = await navis.createSession({});
    const res = await navis.request('POST', `/public/sessions/${other.session_id}/terminate`, {
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 204, res.text);
  });
});

describe('DELETE /public/sessions/{id}', () => {
  test('answers 204, after which GET answers 404', async () => {
    const session = await navis.createSession({});
    const res = await navis.request('DELETE', `/public/sessions/${session.session_id}`);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    const gone = await navis.request('GET', `/public/sessions/${session.session_id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, NOT_FOUND);
  });

  test('removes an already terminated session too', async () => {
    const session = await navis.createSession({});
    await navis.terminate(session.session_id);
    assert.equal((await navis.request('DELETE', `/public/sessions/${session.session_id}`)).status, 204);
    assert.equal((await navis.request('GET', `/public/sessions/${session.session_id}`)).status, 404);
  });

  test('an unknown id answers 404 {"detail": "Session not found"}', async () => {
    const res = await navis.request('DELETE', `/public/sessions/${randomUUID()}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
  });
});

describe('PATCH /public/sessions/{id}', () => {
  let session: Record<string, any>;
  before(async () => {
    session = await navis.createSession({ ttl: 3600, metadata: { step: 1, keep: 'no' } });
  });
  after(async () => {
    await navis.terminate(session.session_id);
  });

  test('metadata is merged into the metadata: keys sent change, the others and live_url stay', async () => {
    const res = await navis.request('PATCH', `/public/sessions/${session.session_id}`, {
      body: { metadata: { step: 2, added: true } },
    });
    assert.equal(res.status, 200, res.text);
    const merged = { step: 2, keep: 'no', added: true, live_url: session.metadata.live_url };
    assert.deepEqual(res.body.metadata, merged);
    const read = await navis.request('GET', `/public/sessions/${session.session_id}`);
    assert.deepEqual(read.body.metadata, merged);
  });

  test('a longer ttl answers 400 with a detail saying sessions cannot be extended', async () => {
    const res = await navis.request('PATCH', `/public/sessions/${session.session_id}`, { body: { ttl: 7200 } });
    assertDetail(res, 400, /cannot be extended/);
    const read = await navis.request('GET', `/public/sessions/${session.session_id}`);
    assert.equal(read.body.expires_at, session.expires_at);
  });

  test('a ttl over 86400 answers 400 with exactly the seed 001 body', async () => {
    const res = await navis.request('PATCH', `/public/sessions/${session.session_id}`, { body: { ttl: 86_401 } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, TTL_TOO_LONG);
  });

  test('a shorter ttl moves expires_at to created_at plus the new ttl', async () => {
    const res = await navis.request('PATCH', `/public/sessions/${session.session_id}`, { body: { ttl: 1800 } });
    assert.equal(res.status, 200, res.text);
    assert.equal(Date.parse(res.body.expires_at) - Date.parse(session.created_at), 1_800_000);
    const read = await navis.request('GET', `/public/sessions/${session.session_id}`);
    assert.equal(read.body.expires_at, res.body.expires_at);
  });

  test('metadata that is not an object answers 400 naming metadata', async () => {
    assertDetail(
      await navis.request('PATCH', `/public/sessions/${session.session_id}`, { body: { metadata: [1] } }),
      400,
      /'metadata'/,
    );
  });

  test('an unknown id answers 404 {"detail": "Session not found"}', async () => {
    const res = await navis.request('PATCH', `/public/sessions/${randomUUID()}`, { body: { metadata: {} } });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
  });
});

describe('unknown routes under /public', () => {
  test('an unknown path answers 404 with a detail', async () => {
    assertDetail(await navis.request('GET', '/public/no-such-route'), 404, /No route GET \/public\/no-such-route/);
  });

  test('an unsupported method on a known path answers 404 with a detail', async () => {
    assertDetail(await navis.request('PUT', '/public/sessions', { body: {} }), 404, /No route PUT/);
  });
});

describe('a navis with bodyLimitBytes 2048', () => {
  let small: TestNavis;
  before(async () => {
    small = await startNavis({ poolSize: 0, bodyLimitBytes: 2048 });
  });
  after(async () => {
    await small.close();
  });

  test('a body over the limit answers 413 with a detail', async () => {
    const res = await small.request('POST', '/public/sessions', { body: { metadata: { blob: 'x'.repeat(4096) } } });
    assertDetail(res, 413, /too large/);
  });
});
