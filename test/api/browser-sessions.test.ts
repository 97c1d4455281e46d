// Contract of /browser/sessions (the Browser Session API family, camelCase, errors as
// {"error", "code"}): fields and defaults, the shared store with /public, idle timeout and TTL.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const FIELDS = [
  'id',
  'status',
  'cdpUrl',
  'liveViewUrl',
  'expiresAt',
  'createdAt',
  'screen',
  'metadata',
  'profileId',
  'persistChanges',
  'timeout',
  'ttlSeconds',
];
const NOT_FOUND = { error: 'Session not found', code: 'SESSION_NOT_FOUND' };
const UNAUTHORIZED = { error: 'Invalid API key', code: 'UNAUTHORIZED' };

let navis: TestNavis;
before(async () => {
  navis = await startNavis({ poolSize: 1, reaperIntervalMs: 100 });
});
after(async () => {
  await navis.close();
});

async function remove(id: string): Promise<void> {
  const res = await navis.request('DELETE', `/browser/sessions/${id}`);
  assert.equal(res.status, 204, res.text);
}

/** An error answer of the /browser dialect: the status, the code, and an `error` sentence. */
function assertError(
  res: { status: number; body: any; text: string },
  status: number,
  code: string,
  error?: RegExp,
): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.body?.code, code, res.text);
  assert.equal(typeof res.body.error, 'string');
  if (error) assert.match(res.body.error, error);
}

describe('POST /browser/sessions with an empty body', () => {
  let session: Record<string, any>;
  before(async () => {
    session = await navis.createSession({}, { dialect: 'browser' });
  });
  after(async () => {
    await remove(session.id);
  });

  test('answers 201 with every documented field', () => {
    for (const field of FIELDS) assert.ok(field in session, `missing ${field}`);
  });

  test('no snake_case field leaks into the camelCase dialect', () => {
    for (const key of Object.keys(session)) assert.doesNotMatch(key, /_/);
  });

  test('id is a UUID and status is active', () => {
    assert.match(session.id, UUID);
    assert.equal(session.status, 'active');
  });

  test('cdpUrl and liveViewUrl point at this session with its token', () => {
    assert.ok(
      session.cdpUrl.startsWith(`${navis.base.replace(/^http/, 'ws')}/cdp/${session.id}?token=`),
      session.cdpUrl,
    );
    assert.ok(session.liveViewUrl.startsWith(`${navis.base}/live/${session.id}?token=`), session.liveViewUrl);
  });

  test('timeout defaults to 900000 ms and ttlSeconds to 600', () => {
    assert.equal(session.timeout, 900_000);
    assert.equal(session.ttlSeconds, 600);
  });

  test('expiresAt is createdAt plus 600 seconds, both ISO 8601', () => {
    assert.match(session.createdAt, ISO_8601);
    assert.match(session.expiresAt, ISO_8601);
    assert.equal(Date.parse(session.expiresAt) - Date.parse(session.createdAt), 600_000);
  });

  test('screen defaults to 1280x720, metadata to {} and there is no profile', () => {
    assert.deepEqual(session.screen, { width: 1280, height: 720 });
    assert.deepEqual(session.metadata, {});
    assert.equal(session.profileId, null);
    assert.equal(session.persistChanges, null);
  });

  test('GET /browser/sessions/{id} answers the same session', async () => {
    const res = await navis.request('GET', `/browser/sessions/${session.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, session);
  });

  test('GET /browser/sessions answers {sessions, total} holding it', async () => {
    const res = await navis.request('GET', '/browser/sessions?status=active');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['sessions', 'total']);
    assert.ok(res.body.total >= 1);
    assert.deepEqual(
      res.body.sessions.find((s: any) => s.id === session.id),
      session,
    );
  });

  test('the same session is readable through GET /public/sessions/{id}', async () => {
    const res = await navis.request('GET', `/public/sessions/${session.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.session_id, session.id);
    assert.equal(res.body.cdp_url, session.cdpUrl);
    assert.equal(res.body.metadata.live_url, session.liveViewUrl);
    assert.equal(res.body.expires_at, session.expiresAt);
  });
});

describe('POST /browser/sessions with options', () => {
  test('screen, ttlSeconds, timeout and metadata are echoed', async () => {
    const session = await navis.createSession(
      { screen: { width: 1440, height: 900 }, ttlSeconds: 3600, timeout: 60_000, metadata: { run: 7 } },
      { dialect: 'browser' },
    );
    assert.deepEqual(session.screen, { width: 1440, height: 900 });
    assert.equal(session.ttlSeconds, 3600);
    assert.equal(Date.parse(session.expiresAt) - Date.parse(session.createdAt), 3_600_000);
    assert.equal(session.timeout, 60_000);
    assert.deepEqual(session.metadata, { run: 7 });
    await remove(session.id);
  });

  test('a POST with no body at all creates a session with the defaults', async () => {
    const res = await navis.request('POST', '/browser/sessions');
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.ttlSeconds, 600);
    await remove(res.body.id);
  });
});

describe('sessions across dialects', () => {
  test('a session created through /public is readable through GET /browser/sessions/{id}', async () => {
    const created = await navis.createSession({ metadata: { from: 'public' } });
    const res = await navis.request('GET', `/browser/sessions/${created.session_id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, created.session_id);
    assert.equal(res.body.cdpUrl, created.cdp_url);
    assert.equal(res.body.liveViewUrl, created.metadata.live_url);
    assert.deepEqual(res.body.metadata, { from: 'public' });
    await remove(res.body.id);
  });

  test('a session deleted through /browser answers 404 through /public', async () => {
    const session = await navis.createSession({}, { dialect: 'browser' });
    await remove(session.id);
    const res = await navis.request('GET', `/public/sessions/${session.id}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { detail: 'Session not found' });
  });
});

describe('DELETE /browser/sessions/{id}', () => {
  test('answers 204 with an empty body, after which GET answers 404 SESSION_NOT_FOUND', async () => {
    const session = await navis.createSession({}, { dialect: 'browser' });
    const res = await navis.request('DELETE', `/browser/sessions/${session.id}`);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    const gone = await navis.request('GET', `/browser/sessions/${session.id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, NOT_FOUND);
  });
});

describe('/browser/sessions errors', () => {
  test('a missing API key answers 401 with code UNAUTHORIZED', async () => {
    const res = await navis.request('GET', '/browser/sessions', { key: null });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, UNAUTHORIZED);
  });

  test('a wrong API key answers 401 with code UNAUTHORIZED', async () => {
    const res = await navis.request('POST', '/browser/sessions', { key: 'nv_wrong_key_000000000000000000', body: {} });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, UNAUTHORIZED);
  });

  test('Authorization: Bearer <key> is accepted as the API key', async () => {
    const res = await navis.request('GET', '/browser/sessions', {
      key: null,
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    assert.equal(res.status, 200, res.text);
  });

  test('the Bearer scheme is matched without regard to case', async () => {
    const res = await navis.request('GET', '/browser/sessions', {
      key: null,
      headers: { authorization: `bearer ${ADMIN_KEY}` },
    });
    assert.equal(res.status, 200, res.text);
  });

  test('a wrong Bearer key answers 401 with code UNAUTHORIZED', async () => {
    const res = await navis.request('GET', '/browser/sessions', {
      key: null,
      headers: { authorization: 'Bearer nv_wrong_key_000000000000000000' },
    });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, UNAUTHORIZED);
  });

  test('GET of an unknown id answers 404 with code SESSION_NOT_FOUND', async () => {
    const res = await navis.request('GET', `/browser/sessions/${randomUUID()}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
  });

  test('DELETE of an unknown id answers 404 with code SESSION_NOT_FOUND', async () => {
    const res = await navis.request('DELETE', `/browser/sessions/${randomUUID()}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
  });

  test('ttlSeconds as a string answers 400 INVALID_REQUEST naming ttlSeconds', async () => {
    assertError(
      await navis.request('POST', '/browser/sessions', { body: { ttlSeconds: 'x' } }),
      400,
      'INVALID_REQUEST',
      /'ttlSeconds'/,
    );
  });

  test('screen height as a string answers 400 INVALID_REQUEST naming screen.height', async () => {
    assertError(
      await navis.request('POST', '/browser/sessions', { body: { screen: { width: 1280, height: 'tall' } } }),
      400,
      'INVALID_REQUEST',
      /'screen\.height'/,
    );
  });

  test('a timeout under 1000 ms answers 400 INVALID_REQUEST naming timeout', async () => {
    assertError(
      await navis.request('POST', '/browser/sessions', { body: { timeout: 10 } }),
      400,
      'INVALID_REQUEST',
      /'timeout'/,
    );
  });

  test('ttlSeconds 86401 answers 400 with the seed 001 TTL message', async () => {
    const res = await navis.request('POST', '/browser/sessions', { body: { ttlSeconds: 86_401 } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { error: 'TTL cannot exceed 86400 seconds (24 hours)', code: 'TTL_TOO_LONG' });
  });

  test('ttlSeconds 0 answers 400 INVALID_REQUEST saying it must be positive', async () => {
    assertError(
      await navis.request('POST', '/browser/sessions', { body: { ttlSeconds: 0 } }),
      400,
      'INVALID_REQUEST',
      /positive/,
    );
  });

  test('malformed JSON answers 400 INVALID_REQUEST', async () => {
    const res = await navis.request('POST', '/browser/sessions', {
      rawBody: '{',
      headers: { 'content-type': 'application/json' },
    });
    assertError(res, 400, 'INVALID_REQUEST', /JSON/);
  });

  test('an unknown status filter answers 400 INVALID_REQUEST naming status', async () => {
    assertError(await navis.request('GET', '/browser/sessions?status=running'), 400, 'INVALID_REQUEST', /'status'/);
  });

  test('an unknown route under /browser answers 404 with code NOT_FOUND', async () => {
    assertError(await navis.request('GET', '/browser/no-such-route'), 404, 'NOT_FOUND', /No route/);
  });
});

describe('sessions that end on their own', () => {
  /** Creates a /browser session with `body`, sends it no request for 1.5 s and returns it once it has ended. */
  async function leftAlone(body: Record<string, unknown>, what: string): Promise<Record<string, any>> {
    const session = await navis.createSession(body, { dialect: 'browser' });
    await sleep(1500);
    return navis.waitUntilEnded(session.id, { dialect: 'browser', what });
  }

  test('a session with timeout 1000 and no requests expires with endReason idle_timeout', async () => {
    const ended = await leftAlone({ timeout: 1000 }, 'the idle session to end');
    assert.equal(ended.status, 'expired');
    assert.equal(ended.endReason, 'idle_timeout');
  });

  test('a session with ttlSeconds 1 expires with endReason ttl_expired', async () => {
    const ended = await leftAlone({ ttlSeconds: 1 }, 'the session to reach its TTL');
    assert.equal(ended.status, 'expired');
    assert.equal(ended.endReason, 'ttl_expired');
  });

  test('terminating an expired session answers 400 {"detail": "Session is already expired"}', async () => {
    const session = await navis.createSession({ ttlSeconds: 1 }, { dialect: 'browser' });
    const ended = await navis.waitUntilEnded(session.id, { dialect: 'browser', what: 'the session to expire' });
    assert.equal(ended.status, 'expired');
    const res = await navis.request('POST', `/public/sessions/${session.id}/terminate`);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, { detail: 'Session is already expired' });
  });
});
