// Site discovery end to end on the fixture shop (test/fixtures/shop) with one real Chromium: the
// crawl (robots.txt, bounds), states and URL templates, actions and their inputs, views,
// verification, progress and naming (derived, a scripted namer, the LLM namer).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { NavisError } from '../../src/errors.js';
import { ManifestSchema, type Manifest, type ManifestState } from '../../src/sites/manifest.js';
import {
  SiteDiscovery,
  pageOpener,
  type DiscoverOptions,
  type DiscoveryProgress,
  type NamingSummary,
  type StateNamer,
} from '../../src/sites/discovery/index.js';
import { llmNamer } from '../../src/sites/discovery/llm-namer.js';
import { testGuard } from '../helpers/guard.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startModelServer } from '../helpers/model-server.js';

const log = pino({ level: 'silent' });
const ADMIN = path.join(import.meta.dirname, '..', 'fixtures', 'shop', 'admin.html');
let browser: Browser;
let fixtures: FixtureServer;
let adminRequests = 0;

before(async () => {
  fixtures = await startFixtureServer({
    routes: {
      '/robots.txt': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('User-agent: *\nDisallow: /shop/admin\n');
      },
      // Served as the file would be, counted: robots.txt disallows it, so no request may come.
      '/shop/admin.html': (_req, res) => {
        adminRequests++;
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(fs.readFileSync(ADMIN));
      },
    },
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
});

after(async () => {
  await browser?.close();
  await fixtures?.close();
});

const start = () => `${fixtures.url}/shop/index.html`;

function discover(opts: Partial<DiscoverOptions> = {}, namer?: StateNamer) {
  return new SiteDiscovery({ openPage: pageOpener(browser), guard: testGuard(), log, namer }).discover({
    url: start(),
    delayMs: 0,
    verifyStepTimeoutMs: 1500,
    ...opts,
  });
}

function state(manifest: Manifest, name: string): ManifestState {
  const found = manifest.states.find((s) => s.name === name);
  assert.ok(found, `no state ${name}; states are ${manifest.states.map((s) => s.name).join(', ')}`);
  return found;
}

const action = (manifest: Manifest, stateName: string, name: string) => {
  const found = state(manifest, stateName).actions.find((a) => a.name === name);
  assert.ok(found, `no action ${stateName}.${name}`);
  return found;
};

describe('discovery of the fixture shop', () => {
  let manifest: Manifest;
  let report: Awaited<ReturnType<SiteDiscovery['discover']>>['report'];
  const events: DiscoveryProgress[] = [];

  before(async () => {
    ({ manifest, report } = await discover({ onProgress: (event) => events.push(event) }));
  });

  test('names states from URLs and headings, one state per kind of page', () => {
    assert.deepEqual(manifest.states.map((s) => s.name).sort(), [
      'CartPage',
      'HomePage',
      'LoginPage',
      'ProductPage',
      'ProductsPage',
    ]);
    assert.equal(report.states, 5);
    assert.equal(report.pagesVisited, 7);
  });

  test('the login state has a submit action whose inputs are the required email and password', () => {
    const login = action(manifest, 'LoginPage', 'submit_login');
    assert.deepEqual(
      login.inputs.map((i) => [i.name, i.type, i.required, i.description]),
      [
        ['email', 'string', true, 'Email'],
        ['password', 'string', true, 'Password'],
      ],
    );
    assert.deepEqual(login.steps, [
      { type: 'type', selector: '#email', text: '{{email}}' },
      { type: 'type', selector: '#password', text: '{{password}}' },
      { type: 'click', selector: '#login-form [type=submit]' },
    ]);
    assert.equal(state(manifest, 'LoginPage').url, '/shop/login.html');
  });

  test('product pages are one state with an {{id}} URL template and an add-to-cart action taking a number and an enum', () => {
    const product = state(manifest, 'ProductPage');
    assert.equal(product.url, '/shop/products/{{id}}.html');
    assert.match('/shop/products/42.html', new RegExp(product.recognize!.urlPattern!));
    assert.doesNotMatch('/shop/products.html', new RegExp(product.recognize!.urlPattern!));
    const add = action(manifest, 'ProductPage', 'add_to_cart');
    const byName = Object.fromEntries(add.inputs.map((i) => [i.name, i]));
    assert.deepEqual(Object.keys(byName), ['id', 'quantity', 'size']);
    assert.equal(byName.id.required, true, 'the URL template needs an id');
    assert.equal(byName.quantity.type, 'number');
    assert.equal(byName.quantity.required, true);
    assert.deepEqual(byName.size.enum, ['Small', 'Medium', 'Large']);
    assert.deepEqual(add.steps.at(-1), { type: 'click', selector: '#add-to-cart [type=submit]' });
  });

  test('the products state has a list view of the products, the product state a record view', () => {
    const list = state(manifest, 'ProductsPage').views.find((v) => v.kind === 'list');
    assert.ok(list);
    assert.equal(list.selector, 'ul.products > li.product');
    assert.deepEqual(
      list.fields.map((f) => [f.name, f.selector, f.attribute]),
      [
        ['name', 'a', 'text'],
        ['url', 'a', 'href'],
        ['price', 'span.price', 'text'],
      ],
    );
    const record = state(manifest, 'ProductPage').views.find((v) => v.kind === 'record');
    assert.ok(record);
    assert.deepEqual(
      record.fields.map((f) => f.name),
      ['title', 'price', 'description'],
    );
  });

  test('robots.txt: the disallowed admin page is reported and never requested', () => {
    assert.deepEqual(report.skippedByRobots, [`${fixtures.url}/shop/admin.html`]);
    assert.equal(adminRequests, 0);
    assert.ok(!manifest.states.some((s) => s.url.includes('admin')));
  });

  test('links that are fragments, mail, files or other sites are not followed', () => {
    assert.ok(!manifest.states.some((s) => /pdf|mailto|elsewhere/.test(s.url)));
  });

  test('the checkout button is a destructive click action and is not tried', () => {
    const checkout = action(manifest, 'CartPage', 'checkout');
    assert.equal(checkout.destructive, true);
    assert.equal(checkout.verified, undefined);
    assert.deepEqual(checkout.steps, [{ type: 'click', selector: '#checkout' }]);
  });

  test('the non-destructive actions were tried once and passed', () => {
    for (const [s, a] of [
      ['LoginPage', 'submit_login'],
      ['ProductPage', 'add_to_cart'],
      ['ProductsPage', 'sort_by_price'],
    ]) {
      const verified = action(manifest, s, a).verified;
      assert.equal(verified?.ok, true, `${s}.${a}: ${verified?.error}`);
      assert.ok(!Number.isNaN(Date.parse(verified.at)));
    }
    assert.equal(report.verified, 3);
  });

  test('an action whose field disappears while it runs is marked verified.ok false, naming the step', () => {
    const coupon = action(manifest, 'CartPage', 'apply_coupon');
    assert.equal(coupon.verified?.ok, false);
    assert.match(coupon.verified.error!, /steps\[1\] \(type\).*#gift/);
    assert.equal(report.failed, 1);
  });

  test('the manifest passes ManifestSchema, with a slug from the host', () => {
    assert.doesNotThrow(() => ManifestSchema.parse(manifest));
    assert.equal(manifest.slug, new URL(fixtures.url).host.replace(/[.:]/g, '-'));
    assert.equal(manifest.baseUrl, fixtures.url);
    assert.equal(manifest.name, 'Mug Shop');
    assert.equal(report.actions, 5);
  });

  test('progress is reported for every phase, in order, with page counts', () => {
    const phases = [...new Set(events.map((e) => e.phase))];
    assert.deepEqual(phases, ['crawl', 'group', 'actions', 'verify', 'done']);
    const crawled = events.filter((e) => e.phase === 'crawl' && e.message.startsWith('Read '));
    assert.equal(crawled.length, 7);
    assert.deepEqual(
      crawled.map((e) => e.pagesVisited),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.equal(events.at(-1)!.pagesQueued, 0);
  });
});

test('maxPages bounds the crawl', async () => {
  const { manifest, report } = await discover({ maxPages: 2, verify: false });
  assert.equal(report.pagesVisited, 2);
  assert.deepEqual(
    manifest.states.map((s) => s.name),
    ['HomePage', 'LoginPage'],
  );
  assert.equal(manifest.states[1].actions[0].verified, undefined, 'verify: false tries nothing');
  assert.match(report.warnings.join('\n'), /maxPages \(2\) ended the crawl with 2 pages found but not read/);
});

test('maxDepth 1 reads the start page and its links, not the product pages', async () => {
  const { manifest } = await discover({ maxDepth: 1, verify: false });
  assert.ok(state(manifest, 'ProductsPage'));
  assert.ok(!manifest.states.some((s) => s.url.includes('{{id}}')));
});

test('with a scripted namer, its valid names and descriptions are used, and invalid ones fall back', async () => {
  let seen: NamingSummary | undefined;
  const namer: StateNamer = {
    async name(summary) {
      seen = summary;
      return {
        states: [
          { key: 'LoginPage', name: 'SignInPage', description: 'Where customers sign in.' },
          { key: 'HomePage', name: 'not an identifier' },
        ],
        actions: [
          {
            state: 'LoginPage',
            key: 'submit_login',
            name: 'sign_in',
            description: 'Signs in with email and password.',
          },
        ],
      };
    },
  };
  const { manifest, report } = await discover({ maxPages: 2, verify: false }, namer);
  assert.deepEqual(
    seen?.states.map((s) => s.key),
    ['HomePage', 'LoginPage'],
  );
  assert.deepEqual(seen?.states[1].actions[0], {
    key: 'submit_login',
    kind: 'submit',
    label: 'Log in',
    inputs: ['email', 'password'],
    destructive: false,
  });
  const signIn = state(manifest, 'SignInPage');
  assert.equal(signIn.description, 'Where customers sign in.');
  assert.equal(signIn.actions[0].name, 'sign_in');
  assert.equal(signIn.actions[0].description, 'Signs in with email and password.');
  assert.ok(state(manifest, 'HomePage'));
  assert.equal(report.namedBy, 'namer');
  assert.match(report.warnings.join('\n'), /'not an identifier' is not an Identifier/);
});

test('a namer that fails leaves the derived names and says so', async () => {
  const namer: StateNamer = { name: async () => Promise.reject(new Error('model unavailable')) };
  const { manifest, report } = await discover({ maxPages: 2, verify: false }, namer);
  assert.deepEqual(
    manifest.states.map((s) => s.name),
    ['HomePage', 'LoginPage'],
  );
  assert.equal(report.namedBy, 'derived');
  assert.match(report.warnings.join('\n'), /namer failed.*model unavailable/);
});

test('the LLM namer, against a scripted model server, names states and actions', async (t) => {
  const server = await startModelServer();
  t.after(() => server.close());
  server.script([
    {
      tool: 'name_site',
      args: {
        states: [{ key: 'LoginPage', name: 'AccountLoginPage', description: 'Customers log in here.' }],
        actions: [{ state: 'LoginPage', key: 'submit_login', name: 'log_in', description: 'Logs in.' }],
      },
    },
  ]);
  const namer = llmNamer({ provider: 'openai', baseUrl: server.url, model: 'test-model', timeoutMs: 5000 });
  const { manifest } = await discover({ maxPages: 2, verify: false }, namer);
  assert.equal(state(manifest, 'AccountLoginPage').actions[0].name, 'log_in');
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0].body.tools[0].function.name, 'name_site');
});

test("robots.txt's Crawl-delay spaces the page loads", async (t) => {
  const slow = await startFixtureServer({
    routes: {
      '/robots.txt': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('User-agent: navis\nCrawl-delay: 0.4\nDisallow: /shop/admin\n');
      },
    },
  });
  t.after(() => slow.close());
  const loads: number[] = [];
  await discover({
    url: `${slow.url}/shop/index.html`,
    maxPages: 3,
    verify: false,
    onProgress: (e) => e.message.startsWith('Read ') && loads.push(Date.now()),
  });
  assert.equal(loads.length, 3);
  for (let i = 1; i < loads.length; i++)
    assert.ok(loads[i] - loads[i - 1] >= 400, `loads ${i - 1} and ${i} were ${loads[i] - loads[i - 1]} ms apart`);
});

test('a start page robots.txt disallows answers an error that says so', async () => {
  await assert.rejects(discover({ url: `${fixtures.url}/shop/admin.html` }), (error: unknown) => {
    assert.ok(error instanceof NavisError);
    assert.match(error.message, /robots\.txt disallows/);
    return true;
  });
  assert.equal(adminRequests, 0);
});

test('bad options answer INVALID_REQUEST before any page loads', async () => {
  for (const opts of [{ url: 'ftp://example.com/' }, { maxPages: 0 }, { maxDepth: 11 }, { slug: 'Not A Slug' }]) {
    await assert.rejects(
      discover(opts),
      (error: unknown) => error instanceof NavisError && error.code === 'INVALID_REQUEST',
    );
  }
});

test('an aborted discovery stops with the abort reason', async () => {
  const controller = new AbortController();
  const run = discover({
    delayMs: 50,
    signal: controller.signal,
    onProgress: (e) => {
      if (e.pagesVisited === 2) controller.abort(new Error('stop now'));
    },
  });
  await assert.rejects(run, /stop now/);
});
