// seed 002 execution, against the fixture site of test/fixtures/site: POST
// /api/sites/:slug/actions/:state/:action runs the steps on a real page and answers {ok, state,
// steps}; every error body is exactly the seed's; views read lists and records; ?session_id= runs
// in that session's default context; a password input never reaches a response or a log line.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureRoute, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';

const SLUG = 'fixture-site';
const PASSWORD = 'hunter2-Sup3r Secret!';
const MANIFEST = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'site', 'manifest.json'), 'utf8'),
);

let navis: TestNavis;
let fixture: FixtureServer;
const logins: Array<Record<string, unknown>> = [];
const carts: Array<Record<string, unknown>> = [];

/** Records the JSON body a fixture page POSTs. */
const recorder =
  (into: Array<Record<string, unknown>>): FixtureRoute =>
  async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    into.push(JSON.parse(body));
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  };

before(async () => {
  fixture = await startFixtureServer({
    routes: {
      '/site-api/login': recorder(logins),
      '/site-api/cart': recorder(carts),
      // Slower than the step's 500 ms deadline: only a settled page has the data when the step starts.
      '/site-api/data': async (_req, res) => {
        await new Promise((r) => setTimeout(r, 1500));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('loaded data');
      },
    },
  });
  navis = await startNavis();
  const put = await navis.request('PUT', `/api/sites/${SLUG}/manifest`, {
    body: { ...MANIFEST, baseUrl: `${fixture.url}/site/` },
  });
  assert.equal(put.status, 201, put.text);
});
after(async () => {
  await navis.close();
  await fixture.close();
});

const execute = (state: string, action: string, body?: unknown, query = '') =>
  navis.request('POST', `/api/sites/${SLUG}/actions/${state}/${action}${query}`, { body });
const view = (state: string, name: string, query = '') =>
  navis.request('GET', `/api/sites/${SLUG}/views/${state}/${name}${query}`);

/** An error answer of seed 002: the status, and a body that is exactly {"error": message}. */
/** The entry of `steps` for the action's step `index` (the state's URL comes first, with index null). */
const step = (res: { body: any }, index: number) => res.body.steps.find((s: any) => s.index === index);

function assertError(res: { status: number; body: any; text: string }, status: number, message: string | RegExp): void {
  assert.equal(res.status, status, res.text);
  assert.deepEqual(Object.keys(res.body ?? {}), ['error'], res.text);
  if (typeof message === 'string') assert.equal(res.body.error, message);
  else assert.match(res.body.error, message);
}

describe('executing an action', () => {
  let res: Awaited<ReturnType<typeof execute>>;
  before(async () => {
    res = await execute('LoginPage', 'submit_login', { email: 'user@example.com', password: PASSWORD });
  });

  test('answers 200 {ok: true, state, steps}', () => {
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body), ['ok', 'state', 'steps']);
    assert.equal(res.body.ok, true);
    assert.equal(res.body.state, 'LoginPage');
  });

  test('steps lists what the executor did, in order, with status, detail and duration', () => {
    assert.deepEqual(
      res.body.steps.map((s: any) => [s.index, s.type, s.status]),
      [
        [null, 'navigate', 'ok'],
        [0, 'type', 'ok'],
        [1, 'type', 'ok'],
        [2, 'click', 'ok'],
        [3, 'wait', 'ok'],
        [4, 'extract', 'ok'],
      ],
      "the state's URL is the first step the executor performed",
    );
    for (const step of res.body.steps) {
      assert.equal(typeof step.detail, 'string');
      assert.ok(Number.isInteger(step.durationMs) && step.durationMs >= 0);
    }
    assert.match(res.body.steps[0].detail, /^navigate to .*\/site\/login\.html until load, then settled/);
    assert.equal(step(res, 3).detail, "wait for text 'Welcome user@example.com'");
    assert.equal(step(res, 4).result.text, 'Welcome user@example.com');
  });

  test('the page really submitted the form', () => {
    assert.deepEqual(logins.at(-1), { email: 'user@example.com', password: PASSWORD });
  });

  test('the password never appears in the response or the logs', () => {
    for (const form of [PASSWORD, encodeURIComponent(PASSWORD)]) {
      assert.ok(!res.text.includes(form), res.text);
      assert.ok(!navis.logs.join('\n').includes(form), 'a log line holds the password');
    }
  });
});

test('a failing step that would quote the password answers 500 with it redacted', async () => {
  const res = await execute('LoginPage', 'wait_for_password', { password: PASSWORD });
  assertError(res, 500, /^Action 'wait_for_password' failed: steps\[0\] \(wait\): .*\[redacted\]/);
  assert.ok(!res.text.includes(PASSWORD), res.text);
  assert.ok(!navis.logs.join('\n').includes(PASSWORD), 'a log line holds the password');
});

test("a secret in a view's query string never reaches the logs", async () => {
  const res = await view('Catalog', 'products', `?api_token=${encodeURIComponent(PASSWORD)}`);
  assertError(res, 400, "Unknown input 'api_token': this view takes no inputs");
  assert.ok(navis.logs.join('\n').includes('api_token=[redacted]'), 'the request line is logged, redacted');
  assert.ok(!navis.logs.join('\n').includes(encodeURIComponent(PASSWORD)), 'a log line holds the token');
});

test('inputs fill the templates of the state URL and of the steps; defaults apply', async () => {
  const res = await execute('ProductPage', 'add_to_cart', { id: 42, quantity: 2 });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.state, 'ProductPage');
  assert.deepEqual(carts.at(-1), { sku: 'SKU-42', qty: '2', size: 'M', gift: false });
  const again = await execute('ProductPage', 'add_to_cart', { id: '7', quantity: 3, size: 'L' });
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(carts.at(-1), { sku: 'SKU-7', qty: '3', size: 'L', gift: false });
});

test('an input in the query of the state URL is URL-encoded and reaches the page', async () => {
  const res = await execute('SearchPage', 'open_first', { query: 'red shoes & socks?' });
  assert.equal(res.status, 200, res.text);
  assert.equal(step(res, 0).detail, "wait for text 'Results for red shoes & socks?'");
  assert.equal(step(res, 3).result.text, 'Product 42');
});

test('the steps start once the DOM has settled (content fetched after load is there)', async () => {
  const res = await execute('LateDataPage', 'read_data');
  assert.equal(res.status, 200, res.text);
  assert.equal(step(res, 0).result.text, 'loaded data');
});

test('an action without inputs takes an empty body or {}', async () => {
  assert.equal((await execute('LoginPage', 'look')).status, 200);
  const res = await execute('LoginPage', 'look', {});
  assert.equal(res.status, 200, res.text);
  assert.deepEqual(
    res.body.steps.map((s: any) => s.type),
    ['navigate', 'wait'],
  );
});

describe("error bodies are exactly the seed's", () => {
  test('404 Manifest not found', async () => {
    assertError(
      await navis.request('POST', '/api/sites/no-such-site/actions/LoginPage/look', { body: {} }),
      404,
      'Manifest not found',
    );
  });

  test('404 State not found', async () => {
    assertError(await execute('BadState', 'look', {}), 404, "State 'BadState' not found");
  });

  test('404 Route not found', async () => {
    assertError(await execute('LoginPage', 'bad_action', {}), 404, "Route 'bad_action' not found");
  });

  test("500 Action 'x' failed when a step's selector matches nothing", async () => {
    assertError(
      await execute('LoginPage', 'broken', {}),
      500,
      /^Action 'broken' failed: steps\[0\] \(click\): selector '#missing' matched nothing on http:\/\/127\.0\.0\.1:\d+\/site\/login\.html within 1000 ms/,
    );
  });

  test("500 Action 'x' failed when the state's page answers an error status", async () => {
    assertError(
      await execute('GonePage', 'anything', {}),
      500,
      `Action 'anything' failed: navigating to ${fixture.url}/site/gone.html: the page answered HTTP 404`,
    );
  });
});

describe("the caller's own mistakes are 400s, not the site's 500", () => {
  const OWN = 'own-mistakes';
  before(async () => {
    const manifest = {
      name: 'Own mistakes',
      baseUrl: `${fixture.url}/site/`,
      states: [
        {
          name: 'LoginPage',
          url: 'login.html',
          actions: [
            { name: 'odd_pseudo', steps: [{ type: 'click', selector: 'button:no-such-state', timeoutMs: 3000 }] },
          ],
        },
      ],
    };
    const put = await navis.request('PUT', `/api/sites/${OWN}/manifest`, { body: manifest });
    assert.equal(put.status, 201, put.text);
  });
  const run = (action: string, body: unknown) =>
    navis.request('POST', `/api/sites/${OWN}/actions/LoginPage/${action}`, { body });

  test('a selector the page refuses answers 400 naming it', async () => {
    assertError(
      await run('odd_pseudo', {}),
      400,
      /^Action 'odd_pseudo' failed: steps\[0\] \(click\): selector 'button:no-such-state' is not valid on this page: /,
    );
  });
});

describe('inputs are checked before anything runs', () => {
  test('a missing required input is a 400 naming it', async () => {
    assertError(await execute('ProductPage', 'add_to_cart', { id: 42 }), 400, "Input 'quantity' is required");
  });

  test('a number input given a word is a 400 naming it', async () => {
    assertError(
      await execute('ProductPage', 'add_to_cart', { id: 42, quantity: 'lots' }),
      400,
      "Input 'quantity' must be a number",
    );
  });

  test('a boolean input given a word is a 400 naming it', async () => {
    assertError(
      await execute('ProductPage', 'add_to_cart', { id: 42, quantity: 1, gift: 'yes' }),
      400,
      "Input 'gift' must be a boolean (true or false)",
    );
  });

  test('a choice outside its enum is a 400 naming the choices', async () => {
    assertError(
      await execute('ProductPage', 'add_to_cart', { id: 42, quantity: 1, size: 'XL' }),
      400,
      "Input 'size' must be one of 'S', 'M', 'L'",
    );
  });

  test('unknown inputs are a 400 naming them', async () => {
    assertError(
      await execute('ProductPage', 'add_to_cart', { id: 42, quantity: 1, colour: 'red', pattern: 'dots' }),
      400,
      "Unknown inputs 'colour', 'pattern': this action takes 'id', 'quantity', 'size', 'gift'",
    );
  });

  test('a body that is not a JSON object is a 400', async () => {
    for (const body of [[1, 2], 'hello', 3]) {
      assertError(await execute('LoginPage', 'look', body), 400, /^Body must be a flat JSON object/);
    }
  });
});

describe('views', () => {
  test('a list view answers one item per matching element (href absolute)', async () => {
    const res = await view('Catalog', 'products');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      ok: true,
      state: 'Catalog',
      view: 'products',
      items: [
        { name: 'Product 42', href: `${fixture.url}/site/products/42.html`, price: '$42.00' },
        { name: 'Product 7', href: `${fixture.url}/site/products/7.html`, price: '$7.50' },
      ],
    });
  });

  test('a record view reads text, value, href and attributes; query parameters fill the URL', async () => {
    const res = await view('ProductPage', 'product', '?id=7');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      ok: true,
      state: 'ProductPage',
      view: 'product',
      record: {
        name: 'Product 7',
        price: '$7.00',
        sku: 'SKU-7',
        quantity: '1',
        more: `${fixture.url}/site/products/index.html`,
        missing: null,
      },
    });
  });

  test('a view reads elements the page rendered from its URL', async () => {
    const res = await view('SearchPage', 'results', '?query=shoes');
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.items, [
      { title: 'Product 42', href: `${fixture.url}/site/products/42.html` },
      { title: 'Product 7', href: `${fixture.url}/site/products/7.html` },
    ]);
  });

  test('404 View not found, 400 for a missing or unknown URL input', async () => {
    assertError(await view('ProductPage', 'nope', '?id=7'), 404, "View 'nope' not found");
    assertError(await view('BadState', 'product'), 404, "State 'BadState' not found");
    assertError(await view('ProductPage', 'product'), 400, "Input 'id' is required");
    assertError(
      await view('ProductPage', 'product', '?id=7&colour=red'),
      400,
      "Unknown input 'colour': this view takes 'id'",
    );
  });
});

describe('?session_id= runs in that session', () => {
  let sessionId: string;
  let tenantId: string;
  before(async () => {
    tenantId = navis.navis.services.tenants.authenticate(ADMIN_KEY).tenantId;
    sessionId = (await navis.createSession({}, { dialect: 'browser' })).id;
    const task = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, {
      body: { url: `${fixture.url}/set-cookie?name=visited&value=yes&maxAge=600` },
    });
    assert.equal(task.status, 201, task.text);
  });
  after(async () => {
    await navis.terminate(sessionId);
  });

  const pagesOfSession = async () => {
    const browser = await navis.navis.services.sessions.usable(tenantId, sessionId).playwright();
    return browser.contexts()[0].pages().length;
  };

  test("a cookie set earlier in the session is visible to the action, and the session's page count is unchanged", async () => {
    const pages = await pagesOfSession();
    const res = await execute('CookiePage', 'see_cookie', {}, `?session_id=${sessionId}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(await pagesOfSession(), pages);
  });

  test('without it the action runs in a fresh context, without the cookie', async () => {
    assertError(
      await execute('CookiePage', 'see_cookie', {}),
      500,
      /^Action 'see_cookie' failed: steps\[0\] \(wait\): timed out after 2000 ms/,
    );
  });

  test('an unknown session is a 404', async () => {
    assertError(
      await execute('CookiePage', 'see_cookie', {}, '?session_id=00000000-0000-0000-0000-000000000000'),
      404,
      'Session not found',
    );
  });
});
