// Contract of browser profiles: /public/browser-profiles ({id, name, created_at}, errors as
// {"detail"}) and their camelCase twins under /browser/profiles (errors as {"error", "code"}).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startNavis, type TestNavis } from '../helpers/navis.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const PUBLIC_NOT_FOUND = { detail: 'Browser profile not found' };
const BROWSER_NOT_FOUND = { error: 'Browser profile not found', code: 'PROFILE_NOT_FOUND' };

let navis: TestNavis;
before(async () => {
  navis = await startNavis({ poolSize: 0 });
});
after(async () => {
  await navis.close();
});

describe('POST /public/browser-profiles', () => {
  let created: { status: number; body: any };
  before(async () => {
    created = await navis.request('POST', '/public/browser-profiles', { body: { name: 'work account' } });
  });

  test('answers 200 with exactly id, name and created_at', () => {
    assert.equal(created.status, 200);
    assert.deepEqual(Object.keys(created.body).sort(), ['created_at', 'id', 'name']);
  });

  test('id is a UUID, name is echoed and created_at is ISO 8601', () => {
    assert.match(created.body.id, UUID);
    assert.equal(created.body.name, 'work account');
    assert.match(created.body.created_at, ISO_8601);
  });

  test('an empty name answers 400 naming name', async () => {
    const res = await navis.request('POST', '/public/browser-profiles', { body: { name: '' } });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body), ['detail']);
    assert.match(res.body.detail, /'name'/);
  });

  test('a name of only spaces answers 400 naming name', async () => {
    const res = await navis.request('POST', '/public/browser-profiles', { body: { name: '   ' } });
    assert.equal(res.status, 400);
    assert.match(res.body.detail, /'name'/);
  });

  test('a missing name answers 400 naming name', async () => {
    const res = await navis.request('POST', '/public/browser-profiles', { body: {} });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body), ['detail']);
    assert.match(res.body.detail, /'name'/);
  });

  test('a name that is not a string answers 400 naming name', async () => {
    const res = await navis.request('POST', '/public/browser-profiles', { body: { name: 42 } });
    assert.equal(res.status, 400);
    assert.match(res.body.detail, /'name'/);
  });

  test('no body at all answers 400 with a detail', async () => {
    const res = await navis.request('POST', '/public/browser-profiles');
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body), ['detail']);
  });
});

describe('GET /public/browser-profiles', () => {
  test('answers {profiles: [{id, name, created_at}]} holding a created profile', async () => {
    const profile = await navis.createProfile('listed');
    const res = await navis.request('GET', '/public/browser-profiles');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['profiles']);
    for (const p of res.body.profiles) assert.deepEqual(Object.keys(p).sort(), ['created_at', 'id', 'name']);
    assert.deepEqual(
      res.body.profiles.find((p: any) => p.id === profile.id),
      profile,
    );
  });
});

describe('GET and DELETE /public/browser-profiles/{id}', () => {
  test('GET answers the profile as it was created', async () => {
    const profile = await navis.createProfile('read me');
    const res = await navis.request('GET', `/public/browser-profiles/${profile.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, profile);
  });

  test('DELETE answers 204, after which GET answers 404 and the list leaves it out', async () => {
    const profile = await navis.createProfile('delete me');
    const res = await navis.request('DELETE', `/public/browser-profiles/${profile.id}`);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    const gone = await navis.request('GET', `/public/browser-profiles/${profile.id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, PUBLIC_NOT_FOUND);
    const list = await navis.request('GET', '/public/browser-profiles');
    assert.ok(!list.body.profiles.some((p: any) => p.id === profile.id));
  });

  test('GET of an unknown id answers 404 {"detail": "Browser profile not found"}', async () => {
    const res = await navis.request('GET', `/public/browser-profiles/${randomUUID()}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, PUBLIC_NOT_FOUND);
  });

  test('DELETE of an unknown id answers 404 {"detail": "Browser profile not found"}', async () => {
    const res = await navis.request('DELETE', `/public/browser-profiles/${randomUUID()}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, PUBLIC_NOT_FOUND);
  });

  test('DELETE of a profile a running session saves into answers 409 with a detail, and 204 once it ends', async () => {
    const profile = await navis.createProfile('in use');
    const session = await navis.createSession({ profile_id: profile.id });
    const refused = await navis.request('DELETE', `/public/browser-profiles/${profile.id}`);
    assert.equal(refused.status, 409);
    assert.deepEqual(Object.keys(refused.body), ['detail']);
    assert.match(refused.body.detail, /in use by session/);
    await navis.terminate(session.session_id);
    assert.equal((await navis.request('DELETE', `/public/browser-profiles/${profile.id}`)).status, 204);
  });
});

describe('/browser/profiles, the camelCase twins', () => {
  test('POST answers 201 with id, name and createdAt', async () => {
    const res = await navis.request('POST', '/browser/profiles', { body: { name: 'camel' } });
    assert.equal(res.status, 201, res.text);
    assert.match(res.body.id, UUID);
    assert.equal(res.body.name, 'camel');
    assert.match(res.body.createdAt, ISO_8601);
    assert.ok(!('created_at' in res.body), 'snake_case leaked into the /browser dialect');
  });

  test('GET /browser/profiles answers {profiles} in camelCase', async () => {
    const created = await navis.request('POST', '/browser/profiles', { body: { name: 'camel list' } });
    const res = await navis.request('GET', '/browser/profiles');
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['profiles']);
    assert.deepEqual(
      res.body.profiles.find((p: any) => p.id === created.body.id),
      created.body,
    );
  });

  test('GET by id answers the profile and DELETE answers 204', async () => {
    const created = await navis.request('POST', '/browser/profiles', { body: { name: 'camel get' } });
    const read = await navis.request('GET', `/browser/profiles/${created.body.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, created.body);
    const res = await navis.request('DELETE', `/browser/profiles/${created.body.id}`);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
  });

  test('a profile made through /public is the same profile under /browser', async () => {
    const profile = await navis.createProfile('both dialects');
    const res = await navis.request('GET', `/browser/profiles/${profile.id}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.name, 'both dialects');
    assert.equal(res.body.createdAt, profile.created_at);
  });

  test('GET of an unknown id answers 404 {"error", "code": "PROFILE_NOT_FOUND"}', async () => {
    const res = await navis.request('GET', `/browser/profiles/${randomUUID()}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, BROWSER_NOT_FOUND);
  });

  test('DELETE of an unknown id answers 404 {"error", "code": "PROFILE_NOT_FOUND"}', async () => {
    const res = await navis.request('DELETE', `/browser/profiles/${randomUUID()}`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, BROWSER_NOT_FOUND);
  });

  test('an empty name answers 400 {"error", "code": "INVALID_REQUEST"} naming name', async () => {
    const res = await navis.request('POST', '/browser/profiles', { body: { name: '' } });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body).sort(), ['code', 'error']);
    assert.equal(res.body.code, 'INVALID_REQUEST');
    assert.match(res.body.error, /'name'/);
  });

  test('a missing API key answers 401 {"error": "Invalid API key", "code": "UNAUTHORIZED"}', async () => {
    const res = await navis.request('GET', '/browser/profiles', { key: null });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'Invalid API key', code: 'UNAUTHORIZED' });
  });
});
