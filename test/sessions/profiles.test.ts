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
  key = await navis.newTenant('profiles', { network: { allowPrivate: true } }); // the fixtures are on 127.0.0.1
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

async function newProfile(name: string): Promise<string> {
  return (await navis.createProfile(name, { key })).id;
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

/** Starts a session of this file's tenant with `body`, visits the paths in it, terminates it and returns the last page's text. */
async function visitInSession(body: Record<string, unknown>, ...paths: string[]): Promise<string> {
  const session = await navis.createSession(body, { key });
  const text = await visit(session.cdp_url, ...paths);
  await navis.terminate(session.session_id, { key });
  return text;
}

/** Sets a persistent cookie `kept` and a session cookie `login`. */
const SET_KEPT_AND_LOGIN = ['/set-cookie?name=kept&value=1&maxAge=3600', '/set-cookie?name=login&value=2'];
const cookieNames = (header: string) =>
  header
    .split(/;\s*/)
    .filter(Boolean)
    .map((c) => c.split('=')[0])
    .sort();

test('cookies set in a saving session, persistent and session ones, are there in the next session on the profile', async () => {
  const profileId = await newProfile('keeps cookies');
  await visitInSession({ profile_id: profileId }, ...SET_KEPT_AND_LOGIN);

  const cookies = await visitInSession({ profile_id: profileId }, '/cookies');
  assert.deepEqual(cookieNames(cookies), ['kept', 'login']);
});

test('a read-only session sees the profile cookies but its own cookies are not saved', async () => {
  const profileId = await newProfile('read only');
  await visitInSession({ profile_id: profileId }, ...SET_KEPT_AND_LOGIN);

  const seen = await visitInSession(
    { profile_id: profileId, persist_changes: false },
    '/cookies',
    '/set-cookie?name=scratch&value=3&maxAge=3600',
    '/set-cookie?name=temp&value=4',
    '/cookies',
  );
  assert.deepEqual(cookieNames(seen), ['kept', 'login', 'scratch', 'temp']);

  const cookies = await visitInSession({ profile_id: profileId }, '/cookies');
  assert.deepEqual(cookieNames(cookies), ['kept', 'login']);
});

test('a second saving session on a profile in use answers 409 saying what to do, a read-only one works', async () => {
  const profileId = await newProfile('locked');
  const holder = await navis.createSession({ profile_id: profileId }, { key });

  const refused = await navis.request('POST', '/public/sessions', {
    key,
    body: { profile_id: profileId, persist_changes: true },
  });
  assert.equal(refused.status, 409);
  assert.match(refused.body.detail, new RegExp(holder.session_id));
  assert.match(refused.body.detail, /persist_changes: false/);
  assert.match(refused.body.detail, /Terminate/);

  const readOnly = await navis.createSession({ profile_id: profileId, persist_changes: false }, { key });
  await navis.terminate(readOnly.session_id, { key });
  await navis.terminate(holder.session_id, { key });

  const next = await navis.createSession({ profile_id: profileId, persist_changes: true }, { key });
  await navis.terminate(next.session_id, { key });
});

test('deleting a profile in use answers 409 until its session ends', async () => {
  const profileId = await newProfile('in use');
  const session = await navis.createSession({ profile_id: profileId }, { key });

  const refused = await navis.request('DELETE', `/public/browser-profiles/${profileId}`, { key });
  assert.equal(refused.status, 409);
  assert.match(refused.body.detail, /Terminate that session/);

  await navis.terminate(session.session_id, { key });
  const deleted = await navis.request('DELETE', `/public/browser-profiles/${profileId}`, { key });
  assert.equal(deleted.status, 204);
});

test('a profile of another tenant is not found', async () => {
  const profileId = await newProfile('private');
  const otherKey = await navis.newTenant('other', { network: { allowPrivate: true } });

  const create = await navis.request('POST', '/public/sessions', { key: otherKey, body: { profile_id: profileId } });
  assert.equal(create.status, 404);
  assert.equal(create.body.detail, 'Browser profile not found');
  assert.equal((await navis.request('GET', `/public/browser-profiles/${profileId}`, { key: otherKey })).status, 404);
  assert.equal((await navis.request('DELETE', `/public/browser-profiles/${profileId}`, { key: otherKey })).status, 404);
  assert.equal((await navis.request('GET', `/public/browser-profiles/${profileId}`, { key })).status, 200);
});
