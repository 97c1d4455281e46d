// How navis reads request bodies: empty JSON bodies count as none, bad JSON is a clear 400.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
before(async () => {
  navis = await startNavis({ poolSize: 0 });
});
after(() => navis.close());

test('a body-less POST with Content-Type application/json is accepted as no body', async () => {
  const created = await navis.request('POST', '/public/sessions', {
    rawBody: '',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(created.status, 200, created.text);
  assert.equal(created.body.ttl, 600);
  const terminated = await navis.request('POST', `/public/sessions/${created.body.session_id}/terminate`, {
    rawBody: '',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(terminated.status, 204, terminated.text);
});

test('a JSON body that is not an object gets a 400 naming the problem', async () => {
  const res = await navis.request('POST', '/public/sessions', {
    rawBody: '[1,2]',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(res.status, 400);
  assert.match(res.body.detail, /^Invalid request body/);
});

test('a body that is not JSON at all gets 400 (public) and 400 with a code (browser)', async () => {
  const pub = await navis.request('POST', '/public/sessions', {
    rawBody: '{"ttl":',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(pub.status, 400);
  assert.deepEqual(pub.body, {
    detail: 'Body is not valid JSON. Send a JSON object with Content-Type: application/json.',
  });
  const br = await navis.request('POST', '/browser/sessions', {
    rawBody: '{"ttl',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(br.status, 400);
  assert.equal(br.body.code, 'INVALID_REQUEST');
});

test('a body of another content type gets 415 with what to send instead', async () => {
  const res = await navis.request('POST', '/public/sessions', {
    rawBody: 'ttl=5',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(res.status, 415);
  assert.match(res.body.detail, /application\/json/);
});
