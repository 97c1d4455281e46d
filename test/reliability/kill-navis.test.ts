// navis killed with kill -9 in the middle of a task, a natural-language action and a profile
// session, then started again on the same data dir: the store is intact, those sessions read
// terminated/server_restart, no Chromium of the killed process is left, and what was written
// before the kill (a credential, a step cache entry, a profile's last completed save) is there.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { browsersUnder, startChildNavis, type ChildNavis } from '../helpers/child-navis.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/navis.js';

let fixtures: FixtureServer;
let slowHits = 0;
const pending = new Set<NodeJS.Timeout>();
const started: ChildNavis[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-kill-'));

before(async () => {
  fixtures = await startFixtureServer({
    routes: {
      // A page that takes its time: the work in flight when navis is killed.
      '/slow': (_req, res) => {
        slowHits++;
        const timer = setTimeout(() => res.end('<!doctype html><title>slow</title>finally'), 20_000);
        pending.add(timer);
        res.once('close', () => clearTimeout(timer));
      },
    },
  });
});
after(async () => {
  for (const timer of pending) clearTimeout(timer);
  await Promise.all(started.map((navis) => navis.stop('SIGKILL')));
  await fixtures?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<ChildNavis> {
  const navis = await startChildNavis(dataDir);
  started.push(navis);
  return navis;
}

async function task(navis: ChildNavis, sessionId: string, body: Record<string, unknown>) {
  const res = await navis.request('POST', `/browser/sessions/${sessionId}/tasks`, { body });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function session(navis: ChildNavis, body: Record<string, unknown> = {}): Promise<string> {
  const res = await navis.request('POST', '/public/sessions', { body });
  assert.equal(res.status, 200, res.text);
  return res.body.session_id;
}

test('kill -9 of navis mid-work, then a restart on the same data dir', async () => {
  const first = await start();

  // Written before the kill, each completed.
  const credential = await first.request('POST', '/browser/credentials', {
    body: { name: 'kept login', allowedDomains: ['login.example.com'], username: 'ada', password: 'kill-9-Pw-77' },
  });
  assert.equal(credential.status, 201, credential.text);
  const worker = await session(first);
  const cached = await first.request('POST', '/public/single-actions/run-action', {
    body: {
      action: `Go to ${fixtures.url}/index.html, then click "Click me"`,
      session_id: worker,
      id: 'kept-entry',
    },
  });
  assert.equal(cached.status, 200, cached.text);
  assert.equal(cached.body.success, true, cached.text);
  const profile = await first.request('POST', '/public/browser-profiles', { body: { name: 'kept profile' } });
  const saver = await session(first, { profile_id: profile.body.id });
  await task(first, saver, { url: `${fixtures.url}/set-cookie?name=saved&value=1&maxAge=3600` });
  const saved = await first.request('POST', `/public/sessions/${saver}/terminate`);
  assert.equal(saved.status, 204, saved.text);

  // In flight at the kill: a profile session with unsaved changes, a task, a natural-language action.
  const profiled = await session(first, { profile_id: profile.body.id });
  await task(first, profiled, { url: `${fixtures.url}/set-cookie?name=unsaved&value=2&maxAge=3600` });
  const tasked = await session(first);
  const acting = await session(first);
  const inFlight = [
    first.request('POST', `/browser/sessions/${tasked}/tasks`, { body: { url: `${fixtures.url}/slow` } }),
    first.request('POST', '/public/single-actions/run-action', {
      body: { action: `Go to ${fixtures.url}/slow`, session_id: acting },
    }),
  ].map((request) => request.catch((error: Error) => error));
  await waitFor(() => slowHits >= 2, 'both runs to reach the slow page');
  assert.ok(browsersUnder(dataDir).length > 0);

  first.child.kill('SIGKILL');
  await first.exited;
  for (const answer of await Promise.all(inFlight)) assert.ok(answer instanceof Error, 'no answer from a killed navis');
  await waitFor(() => browsersUnder(dataDir).length === 0, "the killed navis's browsers to go", 30_000);

  const second = await start();
  for (const id of [worker, profiled, tasked, acting]) {
    const read = await second.request('GET', `/public/sessions/${id}`);
    assert.equal(read.status, 200, read.text);
    assert.equal(read.body.status, 'terminated', id);
    assert.equal(read.body.end_reason, 'server_restart', id);
  }
  const vault = await second.request('GET', `/browser/credentials/${credential.body.id}`);
  assert.equal(vault.status, 200, vault.text);
  assert.equal(vault.body.name, 'kept login');
  assert.deepEqual(vault.body.allowedDomains, ['login.example.com']);
  const entry = await second.request('GET', '/public/step-cache/kept-entry');
  assert.equal(entry.status, 200, entry.text);
  assert.ok(entry.body.steps.length > 0, entry.text);

  // The profile holds its last completed save, and its lock went with the killed session.
  const reader = await session(second, { profile_id: profile.body.id });
  const cookies = await task(second, reader, {
    url: `${fixtures.url}/cookies`,
    actions: [{ type: 'evaluate', script: 'document.body.innerText' }],
  });
  assert.match(cookies.actionResults[0].value, /\bsaved=1\b/);
  const ended = await second.request('POST', `/public/sessions/${reader}/terminate`);
  assert.equal(ended.status, 204, ended.text);

  const stopped = await second.stop('SIGTERM');
  assert.equal(stopped.code, 0, second.output());
  assert.deepEqual(browsersUnder(dataDir), [], 'a stopped navis leaves no Chromium');
  const db = new Database(path.join(dataDir, 'navis.db'), { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  } finally {
    db.close();
  }
});
