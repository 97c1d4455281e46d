// What a schema-driven fuzz of navis found answering 500 (issue 14), each kept as a test: input
// nested thousands of levels deep, a script value nested as deep, a user agent with control
// characters. Each must be a clear 4xx that leaves the session usable.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { MAX_JSON_DEPTH } from '../../src/json.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer();
});
after(async () => {
  await navis?.close();
  await fixtures?.close();
});

/** `{"a":{"a":…1…}}`, `levels` objects deep, as raw JSON text (JSON.stringify would overflow first). */
function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

const json = { 'content-type': 'application/json' };

test('a body nested thousands of levels deep is a 400 in every dialect, naming the limit', async () => {
  const session = await navis.createSession({});
  const deep = nested(4200);
  const cases: Array<{ method: string; path: string; body: string; field: 'detail' | 'error' }> = [
    { method: 'POST', path: '/public/sessions', body: `{"metadata":${deep}}`, field: 'detail' },
    { method: 'PATCH', path: `/public/sessions/${session.session_id}`, body: `{"metadata":${deep}}`, field: 'detail' },
    { method: 'POST', path: '/browser/sessions', body: `{"metadata":${deep}}`, field: 'error' },
    {
      method: 'POST',
      path: '/public/single-actions/run-action',
      body: `{"action":"click Save","variables":${deep}}`,
      field: 'detail',
    },
    { method: 'PUT', path: '/api/sites/deep/manifest', body: deep, field: 'error' },
    {
      method: 'POST',
      path: '/public/sessions',
      body: `{"metadata":{"list":${'['.repeat(5000)}${']'.repeat(5000)}}}`,
      field: 'detail',
    },
  ];
  for (const { method, path, body, field } of cases) {
    const res = await navis.request(method, path, { rawBody: body, headers: json });
    assert.equal(res.status, 400, `${method} ${path}: ${res.text.slice(0, 200)}`);
    assert.match(String(res.body[field]), new RegExp(`nested more than ${MAX_JSON_DEPTH} levels deep`));
  }
  const read = await navis.request('GET', `/public/sessions/${session.session_id}`);
  assert.deepEqual(read.body.metadata, session.metadata, 'the refused PATCH changed nothing');
  await navis.terminate(session.session_id);
});

test('metadata nested a reasonable depth is kept as sent', async () => {
  const metadata = JSON.parse(nested(40));
  const res = await navis.request('POST', '/public/sessions', { body: { metadata } });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(res.body.metadata, { ...metadata, live_url: res.body.metadata.live_url });
  await navis.terminate(res.body.session_id);
});

test('a script value nested too deep to return is a 422 saying so, and the session keeps working', async () => {
  const session = await navis.createSession({});
  const tasks = `/browser/sessions/${session.session_id}/tasks`;
  const res = await navis.request('POST', tasks, {
    body: {
      url: `${fixtures.url}/index.html`,
      actions: [{ type: 'evaluate', script: 'let a = []; for (let i = 0; i < 4400; i++) a = [a]; a' }],
    },
  });
  assert.equal(res.status, 422, res.text.slice(0, 300));
  assert.equal(res.body.code, 'ACTION_FAILED');
  assert.match(res.body.error, /more than 100 levels deep, too deep to return.*JSON\.stringify it in the page/);
  const next = await navis.request('POST', tasks, { body: { actions: [{ type: 'evaluate', script: '[[1]]' }] } });
  assert.equal(next.status, 201, next.text);
  assert.deepEqual(next.body.actionResults[0].value, [[1]]);
  await navis.terminate(session.session_id);
});

test('a user agent with control characters is a 400 naming the field, not a 500', async () => {
  const session = await navis.createSession({});
  for (const userAgent of ['Mozilla/5.0\r\nX-Injected: 1', 'bot\u0000', 'tab\there']) {
    const res = await navis.request('POST', '/public/single-actions/run-action', {
      body: { action: 'click Save', session_id: session.session_id, user_agent: userAgent },
    });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.detail, /field 'user_agent': must not contain control characters/);
  }
  await navis.terminate(session.session_id);
});
