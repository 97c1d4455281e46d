// GET /browser/sessions/{id}/runs: the recent tasks and natural-language actions of a session,
// newest first, with their step logs and a small picture of the page; tenant-scoped, kept after
// the session ends, never holding a secret. And GET /browser/me, who a key is.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, waitFor, type TestNavis } from '../helpers/navis.js';

const RUN = '/public/single-actions/run-action';
let navis: TestNavis;
let fixtures: FixtureServer;
let sessionId: string;

before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer();
  sessionId = (await navis.createSession()).session_id;
});
after(async () => {
  await navis?.close();
  await fixtures?.close();
});

const runsOf = async (id: string, key?: string) => {
  const res = await navis.request('GET', `/browser/sessions/${id}/runs`, { key });
  return res;
};
const task = (id: string, body: unknown) => navis.request('POST', `/browser/sessions/${id}/tasks`, { body });

/** A JPEG's width and height, read from its SOF marker. */
function jpegSize(base64: string): { width: number; height: number } {
  const bytes = Buffer.from(base64, 'base64');
  assert.deepEqual([...bytes.subarray(0, 2)], [0xff, 0xd8], 'a JPEG');
  for (let at = 2; at < bytes.length;) {
    const marker = bytes[at + 1];
    const length = bytes.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xc2)
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    at += 2 + length;
  }
  throw new Error('no SOF marker');
}

describe('a session’s runs', () => {
  test('a task is kept with its step log, the page without its query, and a 320 px picture', async () => {
    const res = await task(sessionId, {
      url: `${fixtures.url}/actions.html?token=abc123#frag`,
      actions: [
        { type: 'type', selector: '#name', text: 'Ada' },
        { type: 'click', selector: '#greet' },
      ],
    });
    assert.equal(res.status, 201, res.text);
    const run = await waitFor(async () => {
      const latest = (await runsOf(sessionId)).body.runs[0];
      return latest?.screenshot ? latest : undefined;
    }, 'the run and its picture');
    assert.equal(run.kind, 'task');
    assert.equal(run.success, true);
    assert.equal(run.title, 'url, type, click (2 actions)');
    assert.equal(run.url, `${fixtures.url}/actions.html`);
    assert.deepEqual(
      run.steps.map((s: any) => [s.name, s.status]),
      [
        ['url', 'ok'],
        ['actions[0] (type)', 'ok'],
        ['actions[1] (click)', 'ok'],
      ],
    );
    assert.ok(run.steps.every((s: any) => typeof s.durationMs === 'number'));
    assert.equal(run.cache, null);
    assert.equal(jpegSize(run.screenshot).width, 320);
    assert.ok(Buffer.from(run.screenshot, 'base64').length <= 48 * 1024);
    assert.doesNotMatch(JSON.stringify(run), /Ada|abc123/, 'no typed value, no query');
  });

  test('a failed task is kept with the step that broke and the error, newest first', async () => {
    const res = await task(sessionId, { actions: [{ type: 'click', selector: '#missing', timeoutMs: 300 }] });
    assert.equal(res.status >= 400, true, res.text);
    const [run, previous] = (await runsOf(sessionId)).body.runs;
    assert.equal(previous.title, 'url, type, click (2 actions)');
    assert.equal(run.success, false);
    assert.equal(
      run.error,
      res.body.error.replace(/\?token=abc123#frag/, '?…'),
      'the error, its URL without the query',
    );
    assert.match(run.error, /^actions\[0\] \(click\): selector '#missing' matched nothing/);
    assert.deepEqual(
      run.steps.map((s: any) => [s.name, s.status]),
      [['actions[0] (click)', 'failed']],
    );
  });

  test('a natural-language action is kept with its steps, result and cache use', async () => {
    const body = { action: `Navigate to ${fixtures.url}/sa-home.html`, session_id: sessionId, id: 'runs-home' };
    assert.equal((await navis.request('POST', RUN, { body })).body.success, true);
    const replay = await navis.request('POST', RUN, { body });
    assert.equal(replay.body.used_cache, true, replay.text);
    const [second, first] = (await runsOf(sessionId)).body.runs;
    assert.equal(first.kind, 'action');
    assert.equal(first.title, body.action);
    assert.deepEqual(first.cache, { id: 'runs-home', used: false, failed: false, stored: true });
    assert.deepEqual(second.cache, { id: 'runs-home', used: true, failed: false, stored: false });
    assert.equal(second.credits, 0);
    assert.deepEqual(
      second.steps.map((s: any) => s.name),
      replay.body.steps,
    );
    assert.equal(second.result, replay.body.result);
  });

  test('a run with a secret keeps it redacted and keeps no picture of the page', async () => {
    await task(sessionId, { url: `${fixtures.url}/agent/login.html`, actions: [] });
    const secret = 's3cret-for-runs';
    const res = await navis.request('POST', RUN, {
      body: {
        action: 'Type {{username}} into Username, type {{password}} into Password, then click Submit',
        session_id: sessionId,
        variables: { username: 'alice', password: secret },
      },
    });
    assert.equal(res.body.success, true, res.text);
    const written = await navis.request('POST', RUN, {
      body: { action: 'enter my password hunter2-runs and click Go', session_id: sessionId },
    });
    assert.equal(written.status, 200, written.text);
    // Give a picture, were one taken, the time to arrive.
    await task(sessionId, { actions: [{ type: 'wait', selector: 'body' }] });
    await waitFor(async () => (await runsOf(sessionId)).body.runs[0].screenshot, 'the last task’s picture');
    const runs = (await runsOf(sessionId)).body.runs;
    const [, writtenRun, typedRun] = runs;
    assert.equal(typedRun.screenshot, null);
    assert.equal(writtenRun.screenshot, null);
    assert.equal(writtenRun.title, 'enter my password [redacted] and click Go');
    const all = JSON.stringify(runs);
    assert.ok(!all.includes(secret) && !all.includes('hunter2-runs'), all);
  });

  test('another tenant’s key gets 404 for the session’s runs; its own sessions have none', async () => {
    const otherKey = await navis.newTenant('runs-other');
    const res = await runsOf(sessionId, otherKey);
    assert.equal(res.status, 404, res.text);
    assert.equal(res.body.code, 'SESSION_NOT_FOUND');
    const own = await navis.createSession({}, { key: otherKey });
    assert.deepEqual((await runsOf(own.session_id, otherKey)).body, { runs: [] });
    await navis.terminate(own.session_id, { key: otherKey });
  });

  test('the runs stay readable after the session ended', async () => {
    const id = (await navis.createSession()).session_id;
    assert.equal((await task(id, { actions: [{ type: 'wait', selector: 'body' }] })).status, 201);
    await navis.terminate(id);
    const res = await runsOf(id);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.runs.length, 1);
  });

  test('the OpenAPI document describes the runs route and its answer', async () => {
    const doc = (await navis.request('GET', '/openapi.json')).body;
    const op = doc.paths['/browser/sessions/{id}/runs'].get;
    const run = op.responses['200'].content['application/json'].schema.properties.runs.items;
    assert.ok(['id', 'kind', 'steps', 'screenshot', 'cache'].every((name) => name in run.properties));
  });
});

describe('GET /browser/me', () => {
  test('says which tenant a key is of and whether it is the admin key', async () => {
    const admin = await navis.request('GET', '/browser/me', { key: ADMIN_KEY });
    assert.equal(admin.status, 200, admin.text);
    assert.equal(admin.body.tenantName, 'default');
    assert.equal(admin.body.isAdmin, true);
    const key = await navis.newTenant('me-tenant');
    const tenant = await navis.request('GET', '/browser/me', { key });
    assert.deepEqual({ name: tenant.body.tenantName, admin: tenant.body.isAdmin }, { name: 'me-tenant', admin: false });
    assert.ok(!JSON.stringify(tenant.body).includes(key), 'the key itself is never answered');
  });

  test('a wrong key answers 401 with the message the dashboard shows', async () => {
    const res = await navis.request('GET', '/browser/me', { key: 'nv_wrong' });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'Invalid API key');
  });
});
