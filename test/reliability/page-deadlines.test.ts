// What a schema-driven fuzz found hanging (issue 14): page calls with no deadline of their own
// blocked a session for good once its page went busy (a script that never yields) or waited for a
// navigation whose server never answered. Every such call now ends within its deadline with 408
// ACTION_TIMEOUT saying what held the page, the page is freed, and the session's next task works.
// The run's deadline (NAVIS_MAX_TASK_MS) is short here, so that a call cut by it ends soon.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
/** Accepts connections and never answers them. */
let silent: net.Server;
let silentUrl: string;
const silentSockets = new Set<net.Socket>();

before(async () => {
  navis = await startNavis({ poolSize: 1, maxTaskMs: 5000 });
  fixtures = await startFixtureServer({
    routes: {
      // Loads, then goes busy for good 400 ms later: the page's own script, not a navis evaluate.
      '/busy': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<!doctype html><title>busy soon</title><p id="note">about to go busy</p><script>setTimeout(() => { for (;;) {} }, 400)</script>',
        );
      },
    },
  });
  silent = net.createServer((socket) => {
    silentSockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}/never`;
});
after(async () => {
  await navis?.close();
  await fixtures?.close();
  for (const socket of silentSockets) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
});

type Answer = Awaited<ReturnType<TestNavis['request']>>;

async function withSession(use: (task: (body: unknown) => Promise<Answer>, id: string) => Promise<void>) {
  const session = await navis.createSession({}, { dialect: 'browser' });
  try {
    await use((body) => navis.request('POST', `/browser/sessions/${session.id}/tasks`, { body }), session.id);
  } finally {
    await navis.request('DELETE', `/browser/sessions/${session.id}`);
  }
}

/** A task that opens /busy and waits until its page has gone busy (the wait itself needs nothing of the page). */
const goBusy = () => ({ url: `${fixtures.url}/busy`, actions: [{ type: 'wait', ms: 700 }] });

/** The session's next task works: it opens a page, reads it and returns its HTML. */
async function assertUsable(task: (body: unknown) => Promise<Answer>): Promise<void> {
  const next = await task({
    url: `${fixtures.url}/index.html`,
    actions: [{ type: 'evaluate', script: '6 * 7' }],
    content: true,
  });
  assert.equal(next.status, 201, next.text);
  assert.equal(next.body.actionResults[0].value, 42);
  assert.match(next.body.content.html, /<html/);
}

function assertTimeout(res: Answer, error: RegExp): void {
  assert.equal(res.status, 408, res.text.slice(0, 500));
  assert.equal(res.body.code, 'ACTION_TIMEOUT');
  assert.match(res.body.error, error);
}

const busyStopped = /busy running a script that never yielded: navis stopped it/;

test('content: true on a page that went busy answers 408 saying so, and the next task works', async () => {
  await withSession(async (task) => {
    const res = await task({ ...goBusy(), content: true });
    assertTimeout(res, /reading the page's HTML/);
    assert.match(res.body.error, busyStopped);
    assert.equal(res.body.failedActionIndex, null, 'no action failed: the artifact did');
    await assertUsable(task);
  });
});

test('a selector screenshot on a page that went busy answers 408 saying so, and the next task works', async () => {
  await withSession(async (task) => {
    const res = await task({ ...goBusy(), screenshot: { selector: '#note' } });
    assertTimeout(res, /looking for '#note' to screenshot/);
    assert.match(res.body.error, busyStopped);
    await assertUsable(task);
  });
});

test('an action on a page that went busy answers 408 saying the script was stopped, and the next task works', async () => {
  await withSession(async (task) => {
    const res = await task({ ...goBusy(), actions: [...goBusy().actions, { type: 'extract', timeoutMs: 1000 }] });
    assertTimeout(res, /^actions\[1\] \(extract\): /);
    assert.match(res.body.error, busyStopped);
    await assertUsable(task);
  });
});

test('a natural-language action on a page that went busy fails saying so, and the next one works', async () => {
  await withSession(async (task, id) => {
    assert.equal((await task(goBusy())).status, 201);
    const run = (action: string) =>
      navis.request('POST', '/public/single-actions/run-action', { body: { action, session_id: id } });
    const res = await run('read the page text');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.success, false);
    assert.match(res.body.error, /could not read the page: .*reading the page's elements and text/);
    assert.match(res.body.error, busyStopped);
    const next = await run('read the page text');
    assert.equal(next.status, 200, next.text);
    assert.equal(next.body.success, true, next.text);
    assert.match(next.body.result, /about to go busy/);
  });
});

test('a navigate to a server that never answers ends at its timeoutMs with 408, and the next task works', async () => {
  await withSession(async (task) => {
    const res = await task({
      url: `${fixtures.url}/index.html`,
      actions: [{ type: 'navigate', url: silentUrl, timeoutMs: 1000 }],
    });
    assertTimeout(res, /^actions\[0\] \(navigate\): timed out after \d+ ms: .*\/never did not answer/);
    assert.match(res.body.error, /navis stopped the navigation, the page stays on .*\/index\.html/);
    // No url: the page the session is on answers again.
    const here = await task({ actions: [{ type: 'evaluate', script: 'location.pathname' }], content: true });
    assert.equal(here.status, 201, here.text);
    assert.equal(here.body.actionResults[0].value, '/index.html');
    await assertUsable(task);
  });
});

test("a task's url that never answers is cut at the run's deadline with 408 naming it, and the next task works", async () => {
  await withSession(async (task) => {
    const res = await task({ url: silentUrl, actions: [{ type: 'evaluate', script: '1' }] });
    assertTimeout(res, /^url: The run reached its deadline \(NAVIS_MAX_TASK_MS/);
    assert.match(res.body.error, /did not answer/);
    assert.equal(res.body.failedActionIndex, null);
    assert.deepEqual(res.body.actionResults, []);
    await assertUsable(task);
  });
});

test("authenticate prompt_user without pauseTimeoutMs ends at the step's timeoutMs", async () => {
  await withSession(async (task) => {
    const res = await task({
      url: `${fixtures.url}/index.html`,
      actions: [{ type: 'authenticate', mode: 'prompt_user', timeoutMs: 800 }],
    });
    assertTimeout(
      res,
      /^actions\[0\] \(authenticate\): prompt_user: nobody clicked Done on the live view within 800 ms/,
    );
    await assertUsable(task);
  });
});

test("authenticate prompt_user with a pauseTimeoutMs past the run's deadline ends at the deadline, naming it", async () => {
  await withSession(async (task) => {
    const res = await task({
      url: `${fixtures.url}/index.html`,
      actions: [{ type: 'authenticate', mode: 'prompt_user', pauseTimeoutMs: 600_000 }],
    });
    assertTimeout(
      res,
      /prompt_user: the run reached its deadline \(NAVIS_MAX_TASK_MS\) after \d+ ms of the 600000 ms asked for/,
    );
    await assertUsable(task);
  });
});
