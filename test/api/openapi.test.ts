// The OpenAPI document (GET /openapi.json) describes every route's request and answers, success
// and error, and what navis sends fits it: a walk of the document, then a tour of every operation
// against a real navis and real Chromium, each answer checked against the document.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';
import { answerProblems, type OpenApiDocument } from '../helpers/openapi.js';

/** Operations that take no body at all, by design. */
const BODILESS = new Set(['POST /public/sessions/{session_id}/terminate']);

let navis: TestNavis;
let fixtures: FixtureServer;
let doc: OpenApiDocument;
before(async () => {
  navis = await startNavis({ poolSize: 0 });
  fixtures = await startFixtureServer();
  doc = (await navis.request('GET', '/openapi.json', { key: null })).body;
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ name: `${method.toUpperCase()} ${path}`, operation })),
  );

test('every operation documents its request body and its answers, success and error', () => {
  const problems = operations().flatMap(({ name, operation }) => {
    const found: string[] = [];
    const statuses = Object.keys(operation.responses);
    if (!statuses.some((s) => /^2\d\d$/.test(s))) found.push(`${name}: no success answer`);
    for (const range of ['4XX', '5XX'])
      if (!operation.responses[range]?.content?.['application/json']) found.push(`${name}: no ${range} error body`);
    for (const [status, response] of Object.entries(operation.responses)) {
      if (status === '204') {
        if (response.content) found.push(`${name}: 204 has a body`);
        continue;
      }
      const media = Object.entries<{ schema?: Record<string, unknown> }>(response.content ?? {});
      if (media.length === 0) found.push(`${name}: ${status} has no response schema`);
      for (const [type, { schema }] of media)
        if (!schema?.type && !schema?.anyOf && !schema?.oneOf) found.push(`${name}: ${status} ${type} has no schema`);
    }
    if (/^(POST|PUT|PATCH) /.test(name) && !operation.requestBody && !BODILESS.has(name))
      found.push(`${name}: no request body`);
    return found;
  });
  assert.deepEqual(
    problems,
    [],
    'Give the route a response schema (src/api/openapi.ts says how for 204s, bytes, HTML and NDJSON) or a documentedBody',
  );
});

/** The operations the tour below reached, as `METHOD /template`. */
const reached = new Set<string>();

/** Calls `method template` (its {params} filled in), asserts the status and that the answer fits the document. */
async function call(
  method: string,
  template: string,
  opts: {
    expect: number;
    params?: Record<string, string>;
    query?: string;
    body?: unknown;
    raw?: { body: Uint8Array | string; type: string };
    accept?: string;
    key?: string | null;
  },
) {
  const url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(opts.params?.[name] ?? ''));
  const headers: Record<string, string> = {};
  const key = opts.key === undefined ? ADMIN_KEY : opts.key;
  if (key) headers['x-api-key'] = key;
  if (opts.accept) headers.accept = opts.accept;
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers['content-type'] = opts.raw.type;
    body = opts.raw.body as BodyInit;
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const res = await fetch(`${navis.base}${url}${opts.query ?? ''}`, { method, headers, body });
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, opts.expect, `${method} ${url}: ${bytes.toString('utf8').slice(0, 500)}`);
  const answer = { status: res.status, contentType: res.headers.get('content-type') ?? '', body: bytes };
  assert.deepEqual(answerProblems(doc, method, template, answer), [], `${method} ${template} → ${res.status}`);
  reached.add(`${method} ${template}`);
  return { bytes, headers: res.headers, json: () => JSON.parse(bytes.toString('utf8')) };
}

describe('answers fit the document', () => {
  let sessionId: string;

  test('/public: sessions, profiles, single actions, the step cache, usage and credentials', async () => {
    const session = (await call('POST', '/public/sessions', { expect: 200, body: { ttl: 300 } })).json();
    sessionId = session.session_id;
    const params = { session_id: sessionId };
    await call('GET', '/public/sessions', { expect: 200, query: '?status_filter=active' });
    await call('GET', '/public/sessions/{session_id}', { expect: 200, params });
    await call('PATCH', '/public/sessions/{session_id}', { expect: 200, params, body: { metadata: { tour: 1 } } });
    await call('GET', '/public/sessions/{session_id}', { expect: 404, params: { session_id: 'nope' } });
    await call('GET', '/public/sessions', { expect: 401, key: 'wrong' });

    const action = { action: `go to ${fixtures.url}/site/login.html`, session_id: sessionId, id: 'tour-open' };
    await call('POST', '/public/single-actions/run-action', { expect: 200, body: action });
    await call('GET', '/public/step-cache', { expect: 200 });
    await call('GET', '/public/step-cache/{id}', { expect: 200, params: { id: 'tour-open' } });
    await call('DELETE', '/public/step-cache/{id}', { expect: 204, params: { id: 'tour-open' } });
    await call('GET', '/public/usage', { expect: 200 });

    const profile = (await call('POST', '/public/browser-profiles', { expect: 200, body: { name: 'tour' } })).json();
    await call('GET', '/public/browser-profiles', { expect: 200 });
    await call('GET', '/public/browser-profiles/{profile_id}', { expect: 200, params: { profile_id: profile.id } });
    await call('DELETE', '/public/browser-profiles/{profile_id}', { expect: 204, params: { profile_id: profile.id } });

    const credential = { service_name: '127.0.0.1', username_or_email: 'tour@example.com', password: 'tour-pass-1' };
    await call('POST', '/public/credentials', { expect: 200, body: credential });
    await call('GET', '/public/credentials', { expect: 200 });

    const doomed = (await call('POST', '/public/sessions', { expect: 200, body: {} })).json();
    await call('DELETE', '/public/sessions/{session_id}', { expect: 204, params: { session_id: doomed.session_id } });
  });

  test('/browser: sessions, profiles, files, credentials, tasks, PDF and screenshot', async () => {
    const created = (await call('POST', '/browser/sessions', { expect: 201, body: {} })).json();
    await call('GET', '/browser/sessions', { expect: 200 });
    await call('GET', '/browser/sessions/{id}', { expect: 200, params: { id: created.id } });
    await call('DELETE', '/browser/sessions/{id}', { expect: 204, params: { id: created.id } });
    await call('GET', '/browser/sessions/{id}', { expect: 404, params: { id: 'nope' } });

    const profile = (await call('POST', '/browser/profiles', { expect: 201, body: { name: 'tour' } })).json();
    await call('GET', '/browser/profiles', { expect: 200 });
    await call('GET', '/browser/profiles/{id}', { expect: 200, params: { id: profile.id } });
    await call('DELETE', '/browser/profiles/{id}', { expect: 204, params: { id: profile.id } });

    const params = { id: sessionId, filename: 'tour.txt' };
    const raw = { body: 'tour file', type: 'application/octet-stream' };
    await call('POST', '/browser/sessions/{id}/files', { expect: 201, params, query: '?filename=tour.txt', raw });
    await call('GET', '/browser/sessions/{id}/files', { expect: 200, params });
    const file = await call('GET', '/browser/sessions/{id}/files/{filename}', { expect: 200, params });
    assert.equal(file.bytes.toString(), 'tour file');
    await call('DELETE', '/browser/sessions/{id}/files/{filename}', { expect: 204, params });
    await call('DELETE', '/browser/sessions/{id}/files/{filename}', { expect: 404, params });

    const body = { name: 'tour', allowedDomains: ['127.0.0.1'], username: 'tour', password: 'tour-pass-2' };
    const credential = (await call('POST', '/browser/credentials', { expect: 201, body })).json();
    await call('GET', '/browser/credentials', { expect: 200 });
    await call('GET', '/browser/credentials/{id}', { expect: 200, params: { id: credential.id } });
    await call('PATCH', '/browser/credentials/{id}', {
      expect: 200,
      params: { id: credential.id },
      body: { name: 'x' },
    });
    await call('DELETE', '/browser/credentials/{id}', { expect: 204, params: { id: credential.id } });

    const task = { url: `${fixtures.url}/site/login.html`, actions: [{ type: 'click', selector: '#email' }] };
    const ran = await call('POST', '/browser/sessions/{id}/tasks', {
      expect: 201,
      params: { id: sessionId },
      body: { ...task, screenshot: {}, content: true },
    });
    assert.equal(ran.json().content.url, `${fixtures.url}/site/login.html`);
    await call('GET', '/browser/sessions/{id}/runs', { expect: 200, params: { id: sessionId } });
    await call('GET', '/browser/sessions/{id}/snapshot', { expect: 200, params: { id: sessionId } });
    await call('GET', '/browser/me', { expect: 200 });
    const failed = await call('POST', '/browser/sessions/{id}/tasks', {
      expect: 404,
      params: { id: sessionId },
      body: { actions: [{ type: 'extract', selector: '#nothing-here', timeoutMs: 300 }] },
    });
    assert.equal(failed.json().code, 'SELECTOR_NOT_FOUND');
    assert.ok(Array.isArray(failed.json().stepLog), 'the error body keeps its details');

    const pdf = await call('POST', '/browser/sessions/{id}/pdf', { expect: 200, params: { id: sessionId }, body: {} });
    assert.ok(pdf.json().pdf.length > 0);
    const pdfBytes = await call('POST', '/browser/sessions/{id}/pdf', {
      expect: 200,
      params: { id: sessionId },
      body: {},
      accept: 'application/pdf',
    });
    assert.equal(pdfBytes.bytes.subarray(0, 5).toString(), '%PDF-');
    await call('POST', '/browser/sessions/{id}/screenshot', { expect: 200, params: { id: sessionId }, body: {} });
    const jpeg = await call('POST', '/browser/sessions/{id}/screenshot', {
      expect: 200,
      params: { id: sessionId },
      body: { type: 'jpeg' },
      accept: 'image/*',
    });
    assert.equal(jpeg.headers.get('content-type'), 'image/jpeg');
  });

  test('/api/sites: manifests, their documents, an action, a view and a streamed discovery', async () => {
    const manifest = {
      name: 'Tour',
      baseUrl: `${fixtures.url}/site/`,
      states: [
        {
          name: 'LoginPage',
          url: 'login.html',
          actions: [{ name: 'look', steps: [{ type: 'wait', selector: '#email' }] }],
          views: [
            { name: 'form', kind: 'record', selector: '#login', fields: [{ name: 'button', selector: '#submit' }] },
          ],
        },
      ],
    };
    const slug = { slug: 'tour' };
    await call('PUT', '/api/sites/{slug}/manifest', { expect: 201, params: slug, body: manifest });
    await call('PUT', '/api/sites/{slug}/manifest', { expect: 200, params: slug, body: manifest });
    await call('PUT', '/api/sites/{slug}/manifest', { expect: 400, params: slug, body: { name: 'no states' } });
    await call('GET', '/api/sites', { expect: 200 });
    await call('GET', '/api/sites/{slug}/manifest', { expect: 200, params: slug });
    await call('GET', '/api/sites/{slug}/openapi.json', { expect: 200, params: slug });
    await call('GET', '/api/sites/{slug}/docs', { expect: 200, params: slug });
    const site = { slug: 'tour', state: 'LoginPage' };
    await call('POST', '/api/sites/{slug}/actions/{state}/{action}', {
      expect: 200,
      params: { ...site, action: 'look' },
      body: {},
    });
    await call('GET', '/api/sites/{slug}/views/{state}/{view}', { expect: 200, params: { ...site, view: 'form' } });
    await call('DELETE', '/api/sites/{slug}', { expect: 204, params: slug });
    await call('GET', '/api/sites/{slug}/manifest', { expect: 404, params: slug });

    const discover = { url: `${fixtures.url}/site/login.html`, maxPages: 1, slug: 'tour-found', verify: false };
    const streamed = await call('POST', '/api/sites/discover', {
      expect: 200,
      body: discover,
      accept: 'application/x-ndjson',
    });
    const lines = streamed.bytes
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.equal(lines.at(-1).type, 'result', JSON.stringify(lines.at(-1)));
    await call('POST', '/api/sites/discover', { expect: 201, body: discover });
  });

  test('/healthz answers without a key', async () => {
    await call('GET', '/healthz', { expect: 200, key: null });
  });

  test('/admin: tenants and their keys', async () => {
    const tenant = (await call('POST', '/admin/tenants', { expect: 201, body: { name: 'tour' } })).json();
    const params = { tenant_id: tenant.id };
    await call('GET', '/admin/tenants', { expect: 200 });
    await call('GET', '/admin/tenants/{tenant_id}', { expect: 200, params });
    await call('PATCH', '/admin/tenants/{tenant_id}', { expect: 200, params, body: { name: 'tour2' } });
    const key = (await call('POST', '/admin/tenants/{tenant_id}/keys', { expect: 201, params, body: {} })).json();
    await call('GET', '/admin/tenants/{tenant_id}/keys', { expect: 200, params });
    await call('DELETE', '/admin/keys/{key_id}', { expect: 200, params: { key_id: key.id } });
    await call('GET', '/admin/tenants', { expect: 403, key: tenant.api_key });
    await call('DELETE', '/admin/tenants/{tenant_id}', { expect: 204, params });
  });

  test('terminating answers 204 with no body', async () => {
    await call('POST', '/public/sessions/{session_id}/terminate', { expect: 204, params: { session_id: sessionId } });
    await call('POST', '/public/sessions/{session_id}/terminate', { expect: 400, params: { session_id: sessionId } });
  });

  test('the tour reached every documented operation', () => {
    const missed = operations()
      .map(({ name }) => name)
      .filter((name) => !reached.has(name));
    assert.deepEqual(missed, [], 'add a call to the tour for each new route');
  });
});
