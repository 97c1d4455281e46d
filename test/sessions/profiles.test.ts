// Browser profiles with real Chromium: cookies saved on terminate, read-only sessions, the lock
// that lets one saving session at a time use a profile, and tenant isolation (seed 001 profile_id).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
let key: string;
before(async () => {
  navis = await startNavis();
  fixtures = await startFixtureServer();
  key = await navis.newTenant('profiles');
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

async function newProfile(name: string): Promise<string> {
  const res = await navis.request('POST', '/public/browser-profiles', { key, body: { name } });
  assert.equal(res.status, 200, res.text);
  return res.body.id;
}

async function createSession(body: Record<string, unknown>): Promise<{ session_id: string; cdp_url: string }> {
  const res = await navis.request('POST', '/public/sessions', { key, body });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

async function terminate(sessionId: string): Promise<void> {
  const res = await navis.request('POST', `/public/sessions/${sessionId}/terminate`, { key });
  assert.equal(res.status, 204, res.text);
}

/** Opens each path in the session's existing page (default context) and returns the last page's text. */
async function visit(cdpUrl: string, ...paths: string[]): Promise<string> {
  const browser = await chromium.connectOverCDP(cdpUrl);
  try {
    const context = browser.contexts()[0];
    const page = context.pages()[0] ?? (await context.newPage());
    for (const p of paths) await page.goto(fixtures.url + p);
    return await page.innerText('body');
  } finally {
    await browser.close();
  }
}

const cookieNames = (header: string) => header.split(/;\s*/).filter(Boolean).map((c) => c.split('=')[0]).sort();

test('cookies set in a saving session, persistent and session ones, are there in the next session on the profile', async () => {
  const profileId = await newProfile('keeps cookies');
  const first = await createSession({ profile_id: profileId });
  await visit(first.cdp_url, '/set-cookie?name=kept&value=1&maxAge=3600', '/set-cookie?name=login&value=2');
  await terminate(first.session_id);

  const second = await createSession({ profile_id: profileId });
  const cookies = await visit(second.cdp_url, '/cookies');
  await terminate(second.session_id);
  assert.deepEqual(cookieNames(cookies), ['kept', 'login']);
});

test('a read-only session sees the profile cookies but its own cookies are not saved', async () => {
  const profileId = await newProfile('read only');
  const setup = await createSession({ profile_id: profileId });
  await visit(setup.cdp_url, '/set-cookie?name=kept&value=1&maxAge=3600', '/set-cookie?name=login&value=2');
  await terminate(setup.session_id);

  const readOnly = await createSession({ profile_id: profileId, persist_changes: false });
  const seen = await visit(readOnly.cdp_url, '/cookies', '/set-cookie?name=scratch&value=3&maxAge=3600', '/set-cookie?name=temp&value=4', '/cookies');
  await terminate(readOnly.session_id);
  assert.deepEqual(cookieNames(seen), ['kept', 'login', 'scratch', 'temp']);

  const after = await createSession({ profile_id: profileId });
  const cookies = await visit(after.cdp_url, '/cookies');
  await terminate(after.session_id);
  assert.deepEqual(cookieNames(cookies), ['kept', 'login']);
});

test('a second saving session on a profile in use answers 409 saying what to do, a read-only one works', async () => {
  const profileId = await newProfile('locked');
  const holder = await createSession({ profile_id: profileId });

  const refused = await navis.request('POST', '/public/sessions', { key, body: { profile_id: profileId, persist_changes: true } });
  assert.equal(refused.status, 409);
  assert.match(refused.body.detail, new RegExp(holder.session_id));
  assert.match(refused.body.detail, /persist_changes: false/);
  assert.match(refused.body.detail, /Terminate/);

  const readOnly = await createSession({ profile_id: profileId, persist_changes: false });
  await terminate(readOnly.session_id);
  await terminate(holder.session_id);

  const next = await createSession({ profile_id: profileId, persist_changes: true });
  await terminate(next.session_id);
});

test('deleting a profile in use answers 409 until its session ends', async () => {
  const profileId = await newProfile('in use');
  const session = await createSession({ profile_id: profileId });

  const refused = await navis.request('DELETE', `/public/browser-profiles/${profileId}`, { key });
  assert.equal(refused.status, 409);
  assert.match(refused.body.detail, /Terminate that session/);

  await terminate(session.session_id);
  const deleted = await navis.request('DELETE', `/public/browser-profiles/${profileId}`, { key });
  assert.equal(deleted.status, 204);
});

test('a profile of another tenant is not found', async () => {
  const profileId = await newProfile('private');
  const otherKey = await navis.newTenant('other');

  const create = await navis.request('POST', '/public/sessions', { key: otherKey, body: { profile_id: profileId } });
  assert.equal(create.status, 404);
  assert.equal(create.body.detail, 'Browser profile not found');
  assert.equal((await navis.request('GET', `/public/browser-profiles/${profileId}`, { key: otherKey })).status, 404);
  assert.equal((await navis.request('DELETE', `/public/browser-profiles/${profileId}`, { key: otherKey })).status, 404);
  assert.equal((await navis.request('GET', `/public/browser-profiles/${profileId}`, { key })).status, 200);
});
