// Fair shares (issue 10, item 11), with real Chromium: per-tenant limits on sessions (bring-your-own
// ones count), site executions (seed 002's 429 body) and discoveries, leaving other tenants their
// places; the whole-run deadline NAVIS_MAX_TASK_MS on tasks, natural-language actions and site
// actions; and a client that disconnects: its work still queued on the session never runs, and a
// running task stops before its next step.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { gate, type Gate } from '../helpers/gate.js';
import { startModelServer, type ModelServer } from '../helpers/model-server.js';
import { ADMIN_KEY, startNavis, waitFor, type TestNavis } from '../helpers/navis.js';
import { startOwnBrowser, type OwnBrowser } from '../helpers/own-browser.js';
import { createTenant, patchTenant, type AdminTenant } from '../helpers/tenants.js';

/** Requests that hold until their test opens them, one gate per test that needs one. */
const gates: Record<string, Gate> = {
  sites: gate(),
  discovery: gate('<!doctype html><title>held</title><a href="/index.html">home</a>'),
  queue: gate(),
  step: gate('opened'),
  deadline: gate(),
};
/** Hits of /count: work that reached the page. */
let counted = 0;

let fixture: FixtureServer;
let fixtureHost: string;
let navis: TestNavis;
before(async () => {
  const routes = Object.fromEntries(Object.entries(gates).map(([name, g]) => [`/gate/${name}`, g.route]));
  fixture = await startFixtureServer({
    routes: {
      ...routes,
      '/count': (_req, res) => {
        counted++;
        res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
        res.end(String(counted));
      },
    },
  });
  fixtureHost = new URL(fixture.url).host;
  // Server-wide room for 3 of each, so a tenant's own limit is what refuses it.
  navis = await startNavis({ poolSize: 0, maxSiteExecutions: 3, maxDiscoveries: 3 });
});
after(async () => {
  for (const g of Object.values(gates)) g.open();
  await navis.close();
  await fixture.close();
});

/** A tenant whose browsers may reach the fixture server (and nothing else private). */
const tenantWithFixture = (name: string, limits: Record<string, number>) =>
  createTenant(navis, name, { network: { allowHosts: [fixtureHost] }, limits });

describe('limits.maxSessions of a tenant', () => {
  let b: AdminTenant;
  let own: OwnBrowser;
  const made: Array<{ id: string; key: string }> = [];
  before(async () => {
    b = await createTenant(navis, 'two sessions', { limits: { maxSessions: 2 } });
    own = await startOwnBrowser();
  });
  after(async () => {
    for (const s of made) await navis.request('DELETE', `/public/sessions/${s.id}`, { key: s.key });
    own.kill();
  });

  const create = async (key: string, body: Record<string, unknown> = {}) => {
    const res = await navis.request('POST', '/public/sessions', { key, body });
    if (res.status === 200) made.push({ id: res.body.session_id, key });
    return res;
  };

  test('a session past the tenant limit answers 429 TOO_MANY_SESSIONS naming the tenant limit', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await create(b.apiKey)).status, 200);
    const refused = await create(b.apiKey);
    assert.equal(refused.status, 429, refused.text);
    assert.match(refused.body.detail, /This tenant may run at most 2 sessions at once/);
    assert.match(refused.body.detail, /limits\.maxSessions/);
    const browserDialect = await navis.request('POST', '/browser/sessions', { key: b.apiKey, body: {} });
    assert.equal(browserDialect.status, 429);
    assert.equal(browserDialect.body.code, 'TOO_MANY_SESSIONS');
  });

  test('other tenants still create sessions while it is at its limit', async () => {
    const res = await create(ADMIN_KEY);
    assert.equal(res.status, 200, res.text);
  });

  test('bring-your-own cdp_url sessions count against the limit too', async () => {
    // B's policy opens the DevTools port of its own browser (and nothing else on this machine).
    await patchTenant(navis, b.id, { network: { allowHosts: [`127.0.0.1:${own.port}`] } });
    const mine = made.filter((s) => s.key === b.apiKey);
    await navis.terminate(mine[0].id, { key: b.apiKey });
    const byo = await create(b.apiKey, { cdp_url: own.httpUrl });
    assert.equal(byo.status, 200, byo.text);
    const managed = await create(b.apiKey);
    assert.equal(managed.status, 429, managed.text);
    await navis.terminate(mine[1].id, { key: b.apiKey });
    const secondByo = await create(b.apiKey, { cdp_url: own.wsUrl });
    assert.equal(secondByo.status, 200, secondByo.text);
    const thirdByo = await create(b.apiKey, { cdp_url: own.wsUrl });
    assert.equal(thirdByo.status, 429, 'two bring-your-own sessions fill the limit of 2');
  });

  test('once one of its sessions ends it may create one again', async () => {
    const active = await navis.request('GET', '/public/sessions?status_filter=active', { key: b.apiKey });
    await navis.terminate(active.body.sessions[0].session_id, { key: b.apiKey });
    assert.equal((await create(b.apiKey)).status, 200);
  });
});

describe('limits.maxSiteExecutions of a tenant', () => {
  let b: AdminTenant;
  let held: Promise<Awaited<ReturnType<TestNavis['request']>>>;
  const manifest = () => ({
    name: 'Held site',
    baseUrl: `${fixture.url}/`,
    states: [
      { name: 'Held', url: 'gate/sites', actions: [{ name: 'look', steps: [{ type: 'wait', selector: '#opened' }] }] },
      {
        name: 'Home',
        url: 'index.html',
        actions: [{ name: 'look', steps: [{ type: 'wait', selector: 'body', state: 'attached' }] }],
        views: [{ name: 'page', kind: 'record', selector: 'body', fields: [{ name: 'text' }] }],
      },
    ],
  });
  before(async () => {
    b = await tenantWithFixture('one execution', { maxSiteExecutions: 1 });
    for (const key of [b.apiKey, ADMIN_KEY]) {
      const put = await navis.request('PUT', '/api/sites/held/manifest', { key, body: manifest() });
      assert.equal(put.status, 201, put.text);
    }
    held = navis.request('POST', '/api/sites/held/actions/Held/look', { key: b.apiKey, body: {} });
    await gates.sites.waitForArrivals(1);
  });
  after(async () => {
    gates.sites.open();
    await held;
  });

  test("a second execution of the tenant answers 429 with seed 002's exact body", async () => {
    const refused = await navis.request('POST', '/api/sites/held/actions/Home/look', { key: b.apiKey, body: {} });
    assert.equal(refused.status, 429);
    assert.deepEqual(refused.body, { error: 'Max concurrent executions (1) reached. Try again later.' });
  });

  test('a view of the tenant is refused the same way', async () => {
    const refused = await navis.request('GET', '/api/sites/held/views/Home/page', { key: b.apiKey });
    assert.equal(refused.status, 429);
    assert.deepEqual(refused.body, { error: 'Max concurrent executions (1) reached. Try again later.' });
  });

  test('another tenant runs its site actions meanwhile', async () => {
    const res = await navis.request('POST', '/api/sites/held/actions/Home/look', { key: ADMIN_KEY, body: {} });
    assert.equal(res.status, 200, res.text);
    const keyless = await navis.request('POST', '/api/sites/held/actions/Home/look', { key: null, body: {} });
    assert.equal(keyless.status, 200, keyless.text);
  });

  test('once its execution finishes the tenant runs the next one', async () => {
    gates.sites.open();
    const first = await held;
    assert.equal(first.status, 200, first.text);
    const next = await navis.request('POST', '/api/sites/held/actions/Home/look', { key: b.apiKey, body: {} });
    assert.equal(next.status, 200, next.text);
  });
});

describe('limits.maxDiscoveries of a tenant', () => {
  let b: AdminTenant;
  let held: Promise<Awaited<ReturnType<TestNavis['request']>>>;
  const discover = (key: string | null, path: string, slug: string) =>
    navis.request('POST', '/api/sites/discover', {
      key,
      body: { url: `${fixture.url}${path}`, slug, maxPages: 1, verify: false },
    });
  before(async () => {
    b = await tenantWithFixture('one discovery', { maxDiscoveries: 1 });
    held = discover(b.apiKey, '/gate/discovery', 'held-discovery');
    await gates.discovery.waitForArrivals(1);
  });
  after(async () => {
    gates.discovery.open();
    await held;
  });

  test('a second discovery of the tenant answers 429', async () => {
    const refused = await discover(b.apiKey, '/index.html', 'second');
    assert.equal(refused.status, 429, refused.text);
    assert.deepEqual(refused.body, { error: 'A discovery is already running. Try again when it has finished.' });
  });

  test('another tenant discovers meanwhile', async () => {
    const res = await discover(ADMIN_KEY, '/index.html', 'admin-discovery');
    assert.equal(res.status, 201, res.text);
  });

  test('once its discovery finishes the tenant may start another', async () => {
    gates.discovery.open();
    const first = await held;
    assert.equal(first.status, 201, first.text);
    const next = await discover(b.apiKey, '/index.html', 'next');
    assert.equal(next.status, 201, next.text);
  });
});

describe('NAVIS_MAX_TASK_MS', () => {
  let bounded: TestNavis;
  let model: ModelServer;
  let llm: TestNavis;
  before(async () => {
    bounded = await startNavis({ poolSize: 0, maxTaskMs: 1500 });
    model = await startModelServer();
    llm = await startNavis({
      poolSize: 0,
      maxTaskMs: 1500,
      planner: 'llm',
      llmModel: 'scripted',
      llmBaseUrl: model.url,
    });
  });
  after(async () => {
    await bounded.close();
    await llm.close();
    await model.close();
  });

  test('a task whose wait would outlast it answers 408 ACTION_TIMEOUT naming NAVIS_MAX_TASK_MS', async () => {
    const session = await bounded.createSession({}, { dialect: 'browser' });
    const res = await bounded.request('POST', `/browser/sessions/${session.id}/tasks`, {
      body: { url: `${fixture.url}/index.html`, actions: [{ type: 'wait', selector: '#never', timeoutMs: 60_000 }] },
    });
    assert.equal(res.status, 408, res.text);
    assert.equal(res.body.code, 'ACTION_TIMEOUT');
    assert.match(res.body.error, /NAVIS_MAX_TASK_MS/);
    assert.equal(res.body.failedActionIndex, 0);
    await bounded.terminate(session.id);
  });

  test('a natural-language wait is cut at the deadline: success false, the error naming NAVIS_MAX_TASK_MS', async () => {
    const session = await bounded.createSession({});
    await bounded.request('POST', `/browser/sessions/${session.session_id}/tasks`, {
      body: { url: `${fixture.url}/index.html` },
    });
    const res = await bounded.request('POST', '/public/single-actions/run-action', {
      body: { session_id: session.session_id, action: "wait for the text 'never shows up'" },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.success, false);
    assert.match(res.body.error, /NAVIS_MAX_TASK_MS/);
    await bounded.terminate(session.session_id);
  });

  test('a natural-language timed wait longer than the deadline does not run to its end', async () => {
    const session = await bounded.createSession({});
    const res = await bounded.request('POST', '/public/single-actions/run-action', {
      body: { session_id: session.session_id, action: 'wait 5 seconds' },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.success, false);
    assert.match(res.body.error, /NAVIS_MAX_TASK_MS/);
    assert.deepEqual(res.body.steps, [], 'the 5-second wait was cut, not completed');
    await bounded.terminate(session.session_id);
  });

  test('a model call still waiting at the deadline ends the action with an error naming NAVIS_MAX_TASK_MS, not a 500', async () => {
    model.script([{ delayMs: 5000 }]);
    const session = await llm.createSession({});
    const res = await llm.request('POST', '/public/single-actions/run-action', {
      body: { session_id: session.session_id, action: 'read the page title' },
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.success, false);
    assert.match(res.body.error, /NAVIS_MAX_TASK_MS/);
    await llm.terminate(session.session_id);
  });

  describe('site actions', () => {
    before(async () => {
      const put = await bounded.request('PUT', '/api/sites/slow/manifest', {
        body: {
          name: 'Slow site',
          baseUrl: `${fixture.url}/`,
          states: [
            {
              name: 'Home',
              url: 'index.html',
              actions: [{ name: 'wait_long', steps: [{ type: 'wait', selector: '#never', timeoutMs: 60_000 }] }],
            },
            {
              name: 'Held',
              url: 'gate/deadline',
              actions: [{ name: 'look', steps: [{ type: 'wait', selector: 'body', state: 'attached' }] }],
            },
          ],
        },
      });
      assert.equal(put.status, 201, put.text);
    });

    test("a step that would outlast the deadline fails the action (seed 002's 500) naming NAVIS_MAX_TASK_MS", async () => {
      const res = await bounded.request('POST', '/api/sites/slow/actions/Home/wait_long', { body: {} });
      assert.equal(res.status, 500, res.text);
      assert.deepEqual(Object.keys(res.body), ['error']);
      assert.match(res.body.error, /^Action 'wait_long' failed: steps\[0\] \(wait\): .*NAVIS_MAX_TASK_MS/);
    });

    test('a state page that never loads fails the action at the deadline, naming NAVIS_MAX_TASK_MS', async () => {
      const res = await bounded.request('POST', '/api/sites/slow/actions/Held/look', { body: {} });
      assert.equal(res.status, 500, res.text);
      assert.match(res.body.error, /NAVIS_MAX_TASK_MS/);
    });
  });
});

describe('a client that disconnects', () => {
  /** "incoming request" log lines for `url`. */
  const arrivals = (url: string) =>
    navis.logs.filter((line) => {
      const entry = JSON.parse(line);
      return entry.msg === 'incoming request' && entry.req?.url === url;
    }).length;
  /** Log lines of requests answered CANCELLED (their client went away). */
  const cancellations = () => navis.logs.filter((line) => JSON.parse(line).code === 'CANCELLED').length;
  const task = (sessionId: string, body: unknown, signal?: AbortSignal) =>
    fetch(`${navis.base}/browser/sessions/${sessionId}/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY },
      body: JSON.stringify(body),
      signal,
    });
  /** What the page says of window.x (set only by work that must never run). */
  const windowX = async (sessionId: string) => {
    const res = await task(sessionId, { actions: [{ type: 'evaluate', script: 'return window.x ?? null' }] });
    assert.equal(res.status, 201);
    return (await res.json()).actionResults[0].value;
  };
  const countAndMark = {
    type: 'evaluate',
    script: "await fetch('/count'); window.x = (window.x ?? 0) + 1; return window.x",
  };

  test('its task queued behind a long one on the same session never runs', async () => {
    const session = await navis.createSession({}, { dialect: 'browser' });
    const url = `/browser/sessions/${session.id}/tasks`;
    await task(session.id, { url: `${fixture.url}/index.html` });
    const countedBefore = counted;
    // The long task holds the session's queue until the gate opens.
    const long = task(session.id, {
      actions: [
        { type: 'evaluate', script: "return await (await fetch('/gate/queue')).text() && 'done'", timeoutMs: 60_000 },
      ],
    });
    await gates.queue.waitForArrivals(1);
    const client = new AbortController();
    const queued = task(session.id, { actions: [countAndMark] }, client.signal).catch((error: Error) => error);
    await waitFor(() => arrivals(url) === 3, 'navis to receive the queued task (the third task of the session)');
    const cancelledBefore = cancellations();
    client.abort();
    assert.equal(((await queued) as Error).name, 'AbortError');
    await waitFor(() => cancellations() > cancelledBefore, 'navis to notice the client went away');

    gates.queue.open();
    assert.equal((await long).status, 201);
    assert.equal(await windowX(session.id), null, 'the queued evaluate never ran in the page');
    assert.equal(counted, countedBefore, 'the queued task never reached the fixture');
    await navis.terminate(session.id);
  });

  test('its running task stops before its next step', async () => {
    const session = await navis.createSession({}, { dialect: 'browser' });
    await task(session.id, { url: `${fixture.url}/index.html` });
    const countedBefore = counted;
    const client = new AbortController();
    const running = task(
      session.id,
      {
        actions: [
          { type: 'evaluate', script: "return await (await fetch('/gate/step')).text()", timeoutMs: 60_000 },
          countAndMark,
        ],
      },
      client.signal,
    ).catch((error: Error) => error);
    await gates.step.waitForArrivals(1);
    const cancelledBefore = cancellations();
    client.abort();
    await running;
    await waitFor(() => cancellations() > cancelledBefore, 'navis to notice the client went away');

    gates.step.open();
    // Tasks on a session run one at a time: this one runs after the cancelled one has stopped.
    assert.equal(await windowX(session.id), null, 'the second step never ran');
    assert.equal(counted, countedBefore);
    await navis.terminate(session.id);
  });
});
