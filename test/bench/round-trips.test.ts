// Why a task server beats scripting a remote browser (bench/remote.ts), kept true as actions are
// added: a task with every action type is one client round trip to navis, counted on the link the
// client talks through, where raw playwright-core over CDP pays a round trip per call.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { GREETING_ACTIONS, GREETING_PAGE, rawGreetingTask } from '../../bench/greeting-task.js';
import { DelayLink } from '../../bench/link.js';
import { ACTION_TYPES } from '../../src/actions/schemas.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
let link: DelayLink;
let session: { id: string; cdpUrl: string };

/** A page with something for every element action; /login signs in and lands on /welcome. */
const PAGE = `<!doctype html><title>every action</title>
<input id="name"><button id="greet" onclick="greeting.textContent = 'Hello, ' + document.getElementById('name').value">Greet</button>
<p id="greeting"></p>
<select id="color"><option value="">--</option><option value="g">Green</option></select>
<label><input type="checkbox" id="agree"> agree</label>
<span id="hover">Hover me</span>
<input type="file" id="upload">
<div style="height: 3000px"></div>`;

before(async () => {
  navis = await startNavis();
  fixtures = await startFixtureServer({
    routes: {
      '/every-action.html': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(PAGE);
      },
      '/login': (_req, res) => {
        res.writeHead(303, { location: '/welcome' });
        res.end();
      },
      '/welcome': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>welcome</title><p id="welcome">Welcome back</p>');
      },
    },
  });
  link = await DelayLink.start({ host: '127.0.0.1', port: Number(new URL(navis.base).port) });
  session = (await navis.createSession({}, { dialect: 'browser' })) as typeof session;
});
after(async () => {
  await link?.close();
  await navis?.close();
  await fixtures?.close();
});

test('a task with every action type is one client round trip, where raw CDP takes one or more per call', async (t) => {
  const upload = await navis.request('POST', `/browser/sessions/${session.id}/files?filename=hello.txt`, {
    rawBody: 'hello',
    headers: { 'content-type': 'text/plain' },
  });
  assert.equal(upload.status, 201, upload.text);
  const credential = await navis.request('POST', '/browser/credentials', {
    body: { name: 'fixture', allowedDomains: ['127.0.0.1'], username: 'ada', password: 'correct horse' },
  });
  assert.equal(credential.status, 201, credential.text);
  const page = `${fixtures.url}/every-action.html`;
  const actions = [
    { type: 'navigate', url: page },
    { type: 'type', selector: '#name', text: 'Ada' },
    { type: 'click', selector: '#greet' },
    { type: 'wait', text: 'Hello, Ada' },
    { type: 'evaluate', script: "document.querySelector('#greeting').textContent" },
    { type: 'select', selector: '#color', text: 'Green' },
    { type: 'hover', selector: '#hover' },
    { type: 'check', selector: '#agree' },
    { type: 'focus', selector: '#name' },
    { type: 'press', key: 'End', selector: '#name' },
    { type: 'scroll', direction: 'down' },
    { type: 'extract', selector: '#greeting' },
    { type: 'screenshot' },
    { type: 'uploadFile', selector: '#upload', filename: 'hello.txt' },
    { type: 'navigate', url: `${fixtures.url}/login.html` },
    { type: 'back' },
    { type: 'forward' },
    {
      type: 'authenticate',
      mode: 'vault',
      credentialId: credential.body.id,
      success: { condition: 'url', value: '/welcome' },
    },
  ];
  assert.deepEqual(
    [...new Set(actions.map((a) => a.type))].sort(),
    [...ACTION_TYPES].sort(),
    'the task covers every action type: a new one is added here, and must keep this one round trip',
  );

  link.take();
  const res = await fetch(link.rewrite(`${navis.base}/browser/sessions/${session.id}/tasks`), {
    method: 'POST',
    headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' },
    body: JSON.stringify({ actions }),
  });
  const text = await res.text();
  const navisCounts = link.take();
  assert.equal(res.status, 201, text);
  const answer = JSON.parse(text) as { stepLog: Array<{ type: string; status: string }> };
  assert.deepEqual(
    answer.stepLog.map((s) => s.type),
    actions.map((a) => a.type),
  );
  assert.equal(navisCounts.turns, 1, `the client sent ${navisCounts.turns} times for one task`);

  // The same session scripted raw through the same link: bench/tasks' task, over its cdp_url.
  const browser = await chromium.connectOverCDP(link.rewrite(session.cdpUrl));
  try {
    const context = browser.contexts()[0];
    const rawPage = context.pages()[0] ?? (await context.newPage());
    link.take();
    await rawGreetingTask(rawPage, `${fixtures.url}${GREETING_PAGE}`, 'Ada', 10_000);
    const rawCounts = link.take();
    assert.ok(
      rawCounts.turns >= GREETING_ACTIONS.length,
      `raw CDP took ${rawCounts.turns} turns for ${GREETING_ACTIONS.length} calls`,
    );
    t.diagnostic(
      `client turns: navis ${navisCounts.turns} for ${actions.length} actions, raw ${rawCounts.turns} for 8`,
    );
  } finally {
    await browser.close();
  }
});
