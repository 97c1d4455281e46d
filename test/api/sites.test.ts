// Contract of /api/sites manifests (seed 002, errors exactly {"error": "..."}): list, read,
// create/replace, delete, the per-site OpenAPI document and docs page, NAVIS_SITES_DIR, and the
// guard that lets seed 002's keyless curl on 127.0.0.1 through but no foreign web page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';

const NOT_FOUND = { error: 'Manifest not found' };
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** A small manifest: a login form, a product page with a URL variable and a list view. */
function exampleManifest(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Example',
    baseUrl: 'https://example.com',
    description: 'The example shop',
    states: [
      {
        name: 'LoginPage',
        url: '/login',
        description: 'Sign-in form',
        actions: [
          {
            name: 'submit_login',
            description: 'Signs in. <script>alert("pwned")</script>',
            destructive: true,
            inputs: [
              { name: 'email', type: 'string', required: true, description: 'Account e-mail' },
              { name: 'password', type: 'string', required: true },
              { name: 'remember', type: 'boolean' },
              { name: 'region', enum: ['eu', 'us'], default: 'eu' },
            ],
            steps: [
              { type: 'type', selector: '#email', text: '{{email}}' },
              { type: 'type', selector: '#password', text: '{{password}}' },
              { type: 'click', selector: 'button[type=submit]' },
            ],
          },
        ],
      },
      {
        name: 'ProductPage',
        url: '/products/{{id}}',
        actions: [
          {
            name: 'add_to_cart',
            inputs: [{ name: 'quantity', type: 'number', required: true }],
            steps: [
              { type: 'type', selector: '#note', text: '{{note}}' },
              { type: 'click', selector: '#add' },
            ],
          },
        ],
        views: [
          {
            name: 'reviews',
            kind: 'list',
            selector: '.review',
            fields: [
              { name: 'author', selector: '.author' },
              { name: 'link', selector: 'a', attribute: 'href' },
            ],
          },
        ],
      },
    ],
    ...overrides,
  };
}

let navis: TestNavis;
const keyless = { key: null } as const;

before(async () => {
  navis = await startNavis({ poolSize: 0 });
});
after(async () => {
  await navis.close();
});

/** A request whose Host header says what a browser would send (fetch cannot set Host). */
function requestWithHost(
  base: string,
  urlPath: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(base + urlPath, { headers: { ...headers, host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('PUT /api/sites/:slug/manifest', () => {
  test('creates with 201 and answers the stored manifest, defaults filled in', async () => {
    const res = await navis.request('PUT', '/api/sites/put-create/manifest', { ...keyless, body: exampleManifest() });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.slug, 'put-create');
    assert.equal(res.body.states[0].actions[0].inputs[1].required, true);
    assert.equal(res.body.states[0].actions[0].inputs[3].type, 'string');
    assert.deepEqual(res.body.states[0].views, []);
  });

  test('replaces with 200, keeping createdAt and moving updatedAt', async () => {
    await navis.request('PUT', '/api/sites/put-replace/manifest', { ...keyless, body: exampleManifest() });
    const [first] = (await navis.request('GET', '/api/sites', keyless)).body.sites.filter(
      (s: any) => s.slug === 'put-replace',
    );
    await new Promise((r) => setTimeout(r, 5));
    const res = await navis.request('PUT', '/api/sites/put-replace/manifest', {
      ...keyless,
      body: exampleManifest({ name: 'Renamed' }),
    });
    assert.equal(res.status, 200, res.text);
    const [second] = (await navis.request('GET', '/api/sites', keyless)).body.sites.filter(
      (s: any) => s.slug === 'put-replace',
    );
    assert.equal(second.name, 'Renamed');
    assert.equal(second.createdAt, first.createdAt);
    assert.ok(second.updatedAt > first.updatedAt);
  });

  test('a manifest without a name answers 400 naming name', async () => {
    const { name: _name, ...rest } = exampleManifest();
    const res = await navis.request('PUT', '/api/sites/bad-one/manifest', { ...keyless, body: rest });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.match(res.body.error, /^Invalid manifest: name: /);
  });

  test('a bad step answers 400 naming the step by its path', async () => {
    const manifest = exampleManifest();
    (manifest.states[0].actions[0].steps[2] as Record<string, unknown>).type = 'teleport';
    const res = await navis.request('PUT', '/api/sites/bad-one/manifest', { ...keyless, body: manifest });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /^Invalid manifest: states\[0\]\.actions\[0\]\.steps\[2\]/);
  });

  test('a step whose selector does not parse answers 400 naming the state, the action and the step', async () => {
    const manifest = exampleManifest();
    manifest.states[1].actions[0].steps[1].selector = '#add[';
    const res = await navis.request('PUT', '/api/sites/bad-one/manifest', { ...keyless, body: manifest });
    assert.equal(res.status, 400, res.text);
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.equal(
      res.body.error,
      "Invalid manifest: states[1].actions[0].steps[1].selector: '#add[' is not a valid selector " +
        '(Unexpected token "" while parsing css selector "#add[". Did you mean to CSS.escape it?). Check its syntax: CSS, or an engine such as text=…, role=…, xpath=…. ' +
        "(in state 'ProductPage', action 'add_to_cart')",
    );
    assert.equal(
      (await navis.request('GET', '/api/sites/bad-one/manifest', keyless)).status,
      404,
      'nothing was stored',
    );
  });

  test("a view's selectors are checked too: the view's as a locator, its fields' as plain CSS", async () => {
    const manifest = exampleManifest();
    const view = manifest.states[1].views![0];
    view.fields[0].selector = 'text=Author';
    view.selector = '.review >> ';
    const res = await navis.request('PUT', '/api/sites/bad-one/manifest', { ...keyless, body: manifest });
    assert.equal(res.status, 400, res.text);
    assert.match(
      res.body.error,
      /states\[1\]\.views\[0\]\.selector: '\.review >> ' is not a valid selector .*\(in state 'ProductPage', view 'reviews'\)/,
    );
    assert.match(
      res.body.error,
      /states\[1\]\.views\[0\]\.fields\[0\]\.selector: 'text=Author' is not a valid selector .*\(in state 'ProductPage', view 'reviews'\)/,
    );
  });

  test('Playwright selectors, engines, chains and {{input}} templates in selectors are accepted', async () => {
    const manifest = exampleManifest();
    manifest.states[1].actions[0].steps = [
      { type: 'click', selector: 'role=button[name="Add"]' },
      { type: 'click', selector: 'text=Add to cart' },
      { type: 'click', selector: 'xpath=//button[@id="add"]' },
      { type: 'click', selector: '.product:has-text("Mug") >> button:visible' },
      { type: 'click', selector: '[data-sku="{{sku}}"]' },
      { type: 'click', selector: '#row-{{id}} .add' },
    ] as never;
    const res = await navis.request('PUT', '/api/sites/good-selectors/manifest', { ...keyless, body: manifest });
    assert.equal(res.status, 201, res.text);
  });

  test('a non-http baseUrl and a bad input name answer 400 naming both fields', async () => {
    const manifest = exampleManifest({ baseUrl: 'ftp://example.com' });
    manifest.states[1].actions[0].inputs[0].name = '9lives';
    const res = await navis.request('PUT', '/api/sites/bad-one/manifest', { ...keyless, body: manifest });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /baseUrl: must be an http\(s\) URL/);
    assert.match(res.body.error, /states\[1\]\.actions\[0\]\.inputs\[0\]\.name: must start with a letter/);
  });

  test('a slug in the body that differs from the URL answers 400', async () => {
    const res = await navis.request('PUT', '/api/sites/bad-one/manifest', {
      ...keyless,
      body: exampleManifest({ slug: 'other' }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error, "Invalid manifest: slug 'other' does not match the URL's 'bad-one'");
  });

  test('a slug that is not lower-case words joined by hyphens answers 400', async () => {
    const res = await navis.request('PUT', '/api/sites/Bad_Slug/manifest', { ...keyless, body: exampleManifest() });
    assert.equal(res.status, 400);
    assert.match(res.body.error, /^Invalid slug 'Bad_Slug': must be lower-case/);
  });

  test('no body answers 400 Invalid manifest', async () => {
    const res = await navis.request('PUT', '/api/sites/bad-one/manifest', keyless);
    assert.equal(res.status, 400);
    assert.match(res.body.error, /^Invalid manifest: /);
  });

  test('a body that is not JSON answers 400 saying so', async () => {
    const res = await navis.request('PUT', '/api/sites/bad-one/manifest', {
      ...keyless,
      rawBody: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.match(res.body.error, /not valid JSON/);
  });
});

describe('GET /api/sites and GET /api/sites/:slug/manifest', () => {
  before(async () => {
    const res = await navis.request('PUT', '/api/sites/example-com/manifest', { ...keyless, body: exampleManifest() });
    assert.equal(res.status, 201, res.text);
  });

  test('lists each site with exactly its summary fields and counts', async () => {
    const res = await navis.request('GET', '/api/sites', keyless);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body), ['sites']);
    const site = res.body.sites.find((s: any) => s.slug === 'example-com');
    assert.deepEqual(Object.keys(site).sort(), [
      'actions',
      'baseUrl',
      'createdAt',
      'name',
      'slug',
      'states',
      'updatedAt',
      'views',
    ]);
    assert.deepEqual(
      { ...site, createdAt: 'x', updatedAt: 'x' },
      {
        slug: 'example-com',
        name: 'Example',
        baseUrl: 'https://example.com',
        states: 2,
        actions: 2,
        views: 1,
        createdAt: 'x',
        updatedAt: 'x',
      },
    );
    assert.match(site.createdAt, ISO_8601);
  });

  test('answers the manifest as stored', async () => {
    const res = await navis.request('GET', '/api/sites/example-com/manifest', keyless);
    assert.equal(res.status, 200);
    assert.equal(res.body.slug, 'example-com');
    assert.equal(res.body.states[1].views[0].fields[0].attribute, 'text');
  });

  test('a manifest stored before a rule it breaks was added is still answered, as stored', async () => {
    // Selectors that do not parse are refused at PUT since an earlier release; one stored before stays readable, to be fixed.
    const old = { ...exampleManifest(), slug: 'old-site', states: [{ ...exampleManifest().states[0], views: [] }] };
    old.states[0].actions[0].steps[0].selector = 'button[unclosed';
    const tenantId = navis.navis.services.tenants.defaultTenantId();
    navis.navis.services.db
      .prepare('INSERT INTO sites (tenant_id, slug, manifest, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(tenantId, 'old-site', JSON.stringify(old), '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
    const res = await navis.request('GET', '/api/sites/old-site/manifest', keyless);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, old);
  });

  test('an unknown slug answers 404 {"error": "Manifest not found"}', async () => {
    const res = await navis.request('GET', '/api/sites/nope/manifest', keyless);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
  });

  test('an unknown route under /api/sites answers 404 with an {"error"} body', async () => {
    const res = await navis.request('GET', '/api/sites/example-com/nothing-here', keyless);
    assert.equal(res.status, 404);
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.match(res.body.error, /^No route GET \/api\/sites\/example-com\/nothing-here/);
  });
});

describe('DELETE /api/sites/:slug', () => {
  test('answers 204, after which the manifest is gone', async () => {
    await navis.request('PUT', '/api/sites/to-delete/manifest', { ...keyless, body: exampleManifest() });
    const res = await navis.request('DELETE', '/api/sites/to-delete', keyless);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.deepEqual((await navis.request('GET', '/api/sites/to-delete/manifest', keyless)).body, NOT_FOUND);
  });

  test('an unknown slug answers 404 {"error": "Manifest not found"}', async () => {
    const res = await navis.request('DELETE', '/api/sites/never-was', keyless);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
  });
});

describe('GET /api/sites/:slug/openapi.json', () => {
  let doc: any;
  before(async () => {
    await navis.request('PUT', '/api/sites/openapi-site/manifest', { ...keyless, body: exampleManifest() });
    const res = await navis.request('GET', '/api/sites/openapi-site/openapi.json', keyless);
    assert.equal(res.status, 200, res.text);
    doc = res.body;
  });

  test('is an OpenAPI 3 document with one operation per action and view', () => {
    assert.match(doc.openapi, /^3\./);
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      '/api/sites/openapi-site/actions/LoginPage/submit_login',
      '/api/sites/openapi-site/actions/ProductPage/add_to_cart',
      '/api/sites/openapi-site/views/ProductPage/reviews',
    ]);
    assert.deepEqual(Object.keys(doc.paths['/api/sites/openapi-site/actions/LoginPage/submit_login']), ['post']);
    assert.deepEqual(Object.keys(doc.paths['/api/sites/openapi-site/views/ProductPage/reviews']), ['get']);
  });

  test("an action's body schema has its inputs' types, required list, enum and descriptions", () => {
    const op = doc.paths['/api/sites/openapi-site/actions/LoginPage/submit_login'].post;
    const schema = op.requestBody.content['application/json'].schema;
    assert.deepEqual(schema.properties, {
      email: { type: 'string', description: 'Account e-mail' },
      password: { type: 'string' },
      remember: { type: 'boolean' },
      region: { type: 'string', enum: ['eu', 'us'], default: 'eu' },
    });
    assert.deepEqual(schema.required, ['email', 'password']);
    assert.equal(op.requestBody.required, true);
  });

  test('templates an action uses without declaring them (URL, steps) are required string inputs', () => {
    const action =
      doc.paths['/api/sites/openapi-site/actions/ProductPage/add_to_cart'].post.requestBody.content['application/json']
        .schema;
    assert.deepEqual(action.required, ['quantity', 'id', 'note']);
    assert.equal(action.properties.quantity.type, 'number');
    assert.equal(action.properties.id.type, 'string');
    assert.equal(action.properties.id.description, 'Fills {{id}} in the page URL /products/{{id}}');
  });

  test("a view's URL templates are required query parameters, and its answer lists the fields", () => {
    const view = doc.paths['/api/sites/openapi-site/views/ProductPage/reviews'].get;
    assert.deepEqual(
      view.parameters.map((p: any) => [p.name, p.in, p.required]),
      [
        ['id', 'query', true],
        ['session_id', 'query', false],
      ],
    );
    const schema = view.responses[200].content['application/json'].schema;
    assert.deepEqual(schema.required, ['ok', 'state', 'view', 'items']);
    assert.deepEqual(Object.keys(schema.properties.items.items.properties), ['author', 'link']);
  });

  test("responses are seed 002's: 200 {ok, state, steps} and the {error} bodies", () => {
    const { responses } = doc.paths['/api/sites/openapi-site/actions/LoginPage/submit_login'].post;
    assert.deepEqual(doc.components.schemas.ActionResult.required, ['ok', 'state', 'steps']);
    assert.equal(responses[200].content['application/json'].schema.$ref, '#/components/schemas/ActionResult');
    const examples = responses[404].content['application/json'].examples;
    assert.deepEqual(
      Object.values(examples).map((e: any) => e.value),
      [NOT_FOUND, { error: "State 'BadState' not found" }, { error: "Route 'bad_action' not found" }],
    );
    assert.deepEqual(responses[429].content['application/json'].example, {
      error: 'Max concurrent executions (3) reached. Try again later.',
    });
    assert.deepEqual(responses[500].content['application/json'].example, {
      error: "Action 'submit_login' failed: <message>",
    });
  });

  test('an unknown slug answers 404 {"error": "Manifest not found"}', async () => {
    const res = await navis.request('GET', '/api/sites/nope/openapi.json', keyless);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
  });
});

describe('GET /api/sites/:slug/docs', () => {
  let page: { status: number; text: string; headers: Headers };
  before(async () => {
    await navis.request('PUT', '/api/sites/docs-site/manifest', { ...keyless, body: exampleManifest() });
    page = await navis.request('GET', '/api/sites/docs-site/docs', keyless);
  });

  test('is an HTML page naming every state, action, input and view', () => {
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    for (const name of [
      'LoginPage',
      'ProductPage',
      'submit_login',
      'add_to_cart',
      'email',
      'password',
      'quantity',
      'reviews',
    ])
      assert.ok(page.text.includes(name), name);
  });

  test('has a form per action posting to its endpoint', () => {
    assert.ok(
      page.text.includes('data-method="POST" data-endpoint="/api/sites/docs-site/actions/LoginPage/submit_login"'),
    );
    assert.ok(
      page.text.includes('data-method="POST" data-endpoint="/api/sites/docs-site/actions/ProductPage/add_to_cart"'),
    );
    assert.ok(page.text.includes('data-method="GET" data-endpoint="/api/sites/docs-site/views/ProductPage/reviews"'));
  });

  test('escapes manifest text: a <script> in a description stays text', () => {
    assert.ok(page.text.includes('Signs in. &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;'));
    assert.ok(!page.text.includes('<script>alert'));
  });

  test('loads nothing from elsewhere and runs only its own nonce script', () => {
    assert.doesNotMatch(page.text, /(src|href)="(https?:)?\/\//);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    const nonce = csp.match(/'nonce-([^']+)'/)?.[1];
    assert.ok(nonce && page.text.includes(`<script nonce="${nonce}">`));
    assert.equal(page.text.match(/<script/g)?.length, 1);
  });

  test('an unknown slug answers 404 {"error": "Manifest not found"}', async () => {
    const res = await navis.request('GET', '/api/sites/nope/docs', keyless);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
  });
});

describe('guard of /api/sites', () => {
  test("a keyless call on loopback acts as the default tenant, the admin key's", async () => {
    await navis.request('PUT', '/api/sites/keyless-site/manifest', { ...keyless, body: exampleManifest() });
    const res = await navis.request('GET', '/api/sites/keyless-site/manifest', { key: ADMIN_KEY });
    assert.equal(res.status, 200);
  });

  test('a wrong key answers 401 {"error": "Invalid API key"}', async () => {
    const res = await navis.request('GET', '/api/sites', { key: 'nv_wrong_key_000000000000000000' });
    assert.equal(res.status, 401);
    assert.deepEqual(res.body, { error: 'Invalid API key' });
  });

  test('a foreign Origin answers 403 and changes nothing', async () => {
    const res = await navis.request('PUT', '/api/sites/from-evil/manifest', {
      ...keyless,
      body: exampleManifest(),
      headers: { origin: 'http://evil.example' },
    });
    assert.equal(res.status, 403);
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.match(res.body.error, /origin 'http:\/\/evil\.example' refused/);
    const del = await navis.request('DELETE', '/api/sites/example-com', {
      ...keyless,
      headers: { origin: 'http://evil.example' },
    });
    assert.equal(del.status, 403);
    assert.deepEqual((await navis.request('GET', '/api/sites/from-evil/manifest', keyless)).body, NOT_FOUND);
    assert.equal((await navis.request('GET', '/api/sites/example-com/manifest', keyless)).status, 200);
  });

  test("navis's own Origin (a page it served) is allowed", async () => {
    const res = await navis.request('PUT', '/api/sites/from-docs/manifest', {
      ...keyless,
      body: exampleManifest(),
      headers: { origin: navis.base },
    });
    assert.equal(res.status, 201, res.text);
  });

  test('Sec-Fetch-Site: cross-site answers 403', async () => {
    const res = await navis.request('GET', '/api/sites', { ...keyless, headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(res.status, 403);
    assert.match(res.body.error, /^Cross-site request refused/);
  });

  test('a body sent as text/plain answers 415 and changes nothing', async () => {
    const res = await navis.request('PUT', '/api/sites/plain-text/manifest', {
      ...keyless,
      rawBody: JSON.stringify(exampleManifest()),
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(res.status, 415);
    assert.deepEqual(Object.keys(res.body), ['error']);
    assert.match(res.body.error, /Content-Type: application\/json/);
    assert.deepEqual((await navis.request('GET', '/api/sites/plain-text/manifest', keyless)).body, NOT_FOUND);
  });

  test('a POST without a body passes the guard', async () => {
    const res = await navis.request('POST', '/api/sites/nope/actions/A/b', keyless);
    assert.equal(res.status, 404, res.text);
  });

  test('a keyless request with Host: evil.example answers 403 naming the Host', async () => {
    const res = await requestWithHost(navis.base, '/api/sites', 'evil.example');
    assert.equal(res.status, 403);
    assert.match(res.body.error, /^Host 'evil\.example' refused: without an API key/);
  });

  test('a request with a key may use any Host', async () => {
    const res = await requestWithHost(navis.base, '/api/sites', 'navis.lan:8787', { 'x-api-key': ADMIN_KEY });
    assert.equal(res.status, 200);
  });

  test("another tenant's key sees only its own manifests", async () => {
    const key = await navis.newTenant('sites-other');
    assert.deepEqual((await navis.request('GET', '/api/sites/example-com/manifest', { key })).body, NOT_FOUND);
    assert.deepEqual((await navis.request('DELETE', '/api/sites/example-com', { key })).body, NOT_FOUND);
    assert.deepEqual((await navis.request('GET', '/api/sites', { key })).body, { sites: [] });
    assert.equal(
      (await navis.request('PUT', '/api/sites/theirs/manifest', { key, body: exampleManifest() })).status,
      201,
    );
    assert.deepEqual(
      (await navis.request('GET', '/api/sites', { key })).body.sites.map((s: any) => s.slug),
      ['theirs'],
    );
    assert.deepEqual((await navis.request('GET', '/api/sites/theirs/manifest', keyless)).body, NOT_FOUND);
  });
});

describe('NAVIS_SITES_DIR', () => {
  let fromDir: TestNavis;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-sites-'));
    fs.writeFileSync(path.join(dir, 'shop-example.json'), JSON.stringify(exampleManifest()));
    fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ name: 'Broken', states: [] }));
    fromDir = await startNavis({ poolSize: 0, sitesDir: dir });
  });
  after(async () => {
    await fromDir.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('serves the manifests of the folder, named by file, in the default tenant', async () => {
    const res = await fromDir.request('GET', '/api/sites/shop-example/manifest', keyless);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.name, 'Example');
    assert.deepEqual(
      (await fromDir.request('GET', '/api/sites', keyless)).body.sites.map((s: any) => s.slug),
      ['shop-example'],
    );
  });

  test('logs each file it could not import, with the reason', () => {
    const line = fromDir.logs.map((l) => JSON.parse(l)).find((l) => l.file === 'broken.json');
    assert.ok(line, 'no log line names broken.json');
    assert.match(line.err, /Invalid manifest: baseUrl/);
  });
});
