// kill -9 of one session's Chromium: that session answers 503 BROWSER_GONE naming its end
// reason (410 in the Dari-compatible family, for which the session has ended), every other session
// keeps working, and the warm pool refills, also after one of its own browsers is killed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, waitFor, type TestNavis } from '../helpers/navis.js';
import { browserOf } from '../helpers/tenants.js';
import { browsersUnder } from '../helpers/child-navis.js';

/** The main Chromium processes (not their helpers) navis runs on `dataDir`. */
const browsersOf = (dataDir: string) =>
  browsersUnder(dataDir).filter((pid) => {
    try {
      return !fs
        .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .some((arg) => arg.startsWith('--type='));
    } catch {
      return false; // exited meanwhile
    }
  });

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

const title = { url: '', actions: [{ type: 'evaluate', script: 'document.title' }] };

test("kill -9 of one session's Chromium ends that session alone, with 503 BROWSER_GONE and its reason", async () => {
  const { pool } = navis.navis.services;
  await pool.whenWarm();
  const victim = await navis.createSession({});
  const bystander = await navis.createSession({});
  const body = { ...title, url: `${fixtures.url}/index.html` };
  for (const s of [victim, bystander]) {
    const ok = await navis.request('POST', `/browser/sessions/${s.session_id}/tasks`, { body });
    assert.equal(ok.status, 201, ok.text);
  }

  process.kill(browserOf(navis, victim.session_id).pid, 'SIGKILL');
  const ended = await navis.waitUntilEnded(victim.session_id, { dialect: 'public' });
  assert.match(ended.end_reason, /^browser_crashed/);
  const reason =
    /The browser of session .* is gone \(browser_crashed: Chromium exited \(signal SIGKILL\)\)\. Create a new session\./;
  for (const path of ['tasks', 'screenshot', 'pdf', 'files']) {
    const res = await navis.request(
      path === 'files' ? 'GET' : 'POST',
      `/browser/sessions/${victim.session_id}/${path}`,
      {
        body: path === 'files' ? undefined : path === 'tasks' ? body : {},
      },
    );
    assert.equal(res.status, 503, `${path}: ${res.text}`);
    assert.equal(res.body.code, 'BROWSER_GONE');
    assert.match(res.body.error, reason);
  }
  // The Dari-compatible family has no 503 for this: a session whose browser is gone has ended (410).
  const action = await navis.request('POST', '/public/single-actions/run-action', {
    body: { action: 'click "Click me"', session_id: victim.session_id },
  });
  assert.equal(action.status, 410, action.text);
  assert.match(action.body.detail, reason);

  const still = await navis.request('POST', `/browser/sessions/${bystander.session_id}/tasks`, { body });
  assert.equal(still.status, 201, still.text);
  await waitFor(() => pool.readyCount === 1, 'the pool to refill');
  await navis.terminate(bystander.session_id);
});

test('a warm browser killed in the pool is replaced', async () => {
  const { pool, db } = navis.navis.services;
  await pool.whenWarm();
  const before = pool.readyCount;
  const taken = await navis.createSession({}); // the warm one goes to a session; its replacement is the one to kill
  await waitFor(() => pool.readyCount === before, 'the pool to refill');
  const session = db.prepare('SELECT browser_pid FROM sessions WHERE id = ?').get(taken.session_id) as {
    browser_pid: number;
  };
  const warm = browsersOf(navis.dataDir).filter((pid) => pid !== session.browser_pid);
  assert.equal(warm.length, 1, `one warm browser: ${warm.join(', ')}`);
  process.kill(warm[0], 'SIGKILL');
  await waitFor(
    () =>
      pool.readyCount === 1 && browsersOf(navis.dataDir).some((pid) => pid !== warm[0] && pid !== session.browser_pid),
    'a new warm browser in the pool',
  );
  const next = await navis.createSession({});
  const ok = await navis.request('POST', `/browser/sessions/${next.session_id}/tasks`, {
    body: { ...title, url: `${fixtures.url}/index.html` },
  });
  assert.equal(ok.status, 201, ok.text);
  for (const s of [taken, next]) await navis.terminate(s.session_id);
});
