// How sessions end with real Chromium: TTL expiry, a crashed browser, the session limit, the warm
// pool's hand-over, the window size, a graceful shutdown, and a restart after navis itself crashed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { isAlive, startNavis, waitFor, type TestNavis, upgradeStatus } from '../helpers/navis.js';

/** A navis on a temp data dir for one test, closed (and the dir removed) when the test ends. */
async function navisFor(t: TestContext, overrides: Parameters<typeof startNavis>[0] = {}): Promise<TestNavis> {
  const navis = await startNavis(overrides);
  t.after(() => navis.close());
  return navis;
}

/** A session as `navis.createSession` answers it, plus the pid of its browser. */
async function createSession(
  navis: TestNavis,
  body: Record<string, unknown> = {},
): Promise<Record<string, any> & { pid: number }> {
  const session = await navis.createSession(body);
  // The pid is only kept while the session runs: read it before anything can end it.
  const row = navis.navis.services.db
    .prepare('SELECT browser_pid FROM sessions WHERE id = ?')
    .get(session.session_id) as { browser_pid: number };
  assert.ok(row.browser_pid > 0, 'a managed session records its browser pid');
  return { ...session, pid: row.browser_pid };
}

/** Pids of the Chromium processes whose user-data dir lies under `dir`: main ones, or with their helpers. */
function browserPidsUnder(dir: string, opts: { helpers?: boolean } = {}): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!args.some((a) => a.startsWith(`--user-data-dir=${dir}/`))) continue;
    if (opts.helpers || !args.some((a) => a.startsWith('--type='))) pids.push(Number(entry));
  }
  return pids.sort((a, b) => a - b);
}

test('a session past its ttl expires, its browser exits and its cdp_url answers 410', async (t) => {
  const navis = await navisFor(t, { reaperIntervalMs: 100 });
  const session = await createSession(navis, { ttl: 1 });

  const ended = await navis.waitUntilEnded(session.session_id, { dialect: 'public', what: 'the session to expire' });
  assert.equal(ended.status, 'expired');
  assert.equal(ended.end_reason, 'ttl_expired');
  await waitFor(() => !isAlive(session.pid), 'the expired session browser to exit');
  assert.equal(await upgradeStatus(session.cdp_url), 410);
});

test('a crashed browser ends its session as browser_crashed and its cdp_url answers 503', async (t) => {
  const navis = await navisFor(t);
  const session = await createSession(navis);

  process.kill(session.pid, 'SIGKILL');
  const ended = await navis.waitUntilEnded(session.session_id, {
    dialect: 'public',
    what: 'the session to notice the crash',
  });
  assert.equal(ended.status, 'terminated');
  assert.match(ended.end_reason, /^browser_crashed/);

  const browserDialect = await navis.request('GET', `/browser/sessions/${session.session_id}`);
  assert.equal(browserDialect.status, 200);
  assert.equal(browserDialect.body.status, 'terminated');
  assert.equal(browserDialect.body.endReason, ended.end_reason);
  assert.equal(await upgradeStatus(session.cdp_url), 503);
});

test('beyond NAVIS_MAX_SESSIONS create answers 429 naming the limit, and works again once one ends', async (t) => {
  const navis = await navisFor(t, { maxSessions: 2 });
  const first = await createSession(navis);
  const second = await createSession(navis);

  const refused = await navis.request('POST', '/public/sessions', { body: {} });
  assert.equal(refused.status, 429);
  assert.match(refused.body.detail, /Maximum of 2 concurrent sessions/);
  assert.match(refused.body.detail, /NAVIS_MAX_SESSIONS/);

  await navis.terminate(first.session_id);
  const third = await createSession(navis);
  for (const s of [second, third]) await navis.terminate(s.session_id);
});

test('a session without a profile gets the warm browser and the pool refills', async (t) => {
  const navis = await navisFor(t, { poolSize: 1 });
  const { pool } = navis.navis.services;
  await pool.whenWarm();
  assert.equal(pool.readyCount, 1);
  const [warmPid] = browserPidsUnder(path.join(navis.dataDir, 'browsers'));

  const session = await createSession(navis);
  assert.equal(session.pid, warmPid);
  await waitFor(() => pool.readyCount === 1, 'the pool to refill');
  // Exactly one other browser: polled, since a Chromium that is starting a helper shows it for a
  // moment with its own command line (between fork and exec).
  const others = () => browserPidsUnder(path.join(navis.dataDir, 'browsers')).filter((pid) => pid !== session.pid);
  await waitFor(() => others().length === 1, "exactly one refilled browser beside the session's");
  await navis.terminate(session.session_id);
});

test('screen_config sets the window size Chromium is launched with', async (t) => {
  const navis = await navisFor(t);
  const session = await createSession(navis, { screen_config: { width: 1024, height: 768 } });
  const args = fs.readFileSync(`/proc/${session.pid}/cmdline`, 'utf8').split('\0');
  assert.ok(args.includes('--window-size=1024,768'), args.join(' '));
  await navis.terminate(session.session_id);
});

test('closing navis ends every session as server_shutdown and leaves no browser running', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-lifecycle-'));
  const navis = await startNavis({ poolSize: 1 }, { dataDir });
  t.after(async () => {
    await navis.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const sessions = [await createSession(navis), await createSession(navis)];
  await navis.navis.services.pool.whenWarm();
  const pids = browserPidsUnder(dataDir);
  assert.equal(pids.length, 3, 'two sessions and one warm browser');

  await navis.close();
  for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} is gone`);
  await waitFor(() => browserPidsUnder(dataDir, { helpers: true }).length === 0, 'the helper processes to go');
  const db = new Database(path.join(dataDir, 'navis.db'), { readonly: true });
  try {
    for (const s of sessions) {
      const row = db.prepare('SELECT status, end_reason FROM sessions WHERE id = ?').get(s.session_id);
      assert.deepEqual({ ...(row as object) }, { status: 'terminated', end_reason: 'server_shutdown' });
    }
  } finally {
    db.close();
  }
});

test('after a crash of navis the next start kills its browsers, ends its sessions and frees its profiles', async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-lifecycle-'));
  let restarted: TestNavis | undefined;
  const crashed = await startNavis({}, { dataDir });
  t.after(async () => {
    if (restarted) {
      await restarted.close();
      crashed.navis.services.db.close();
    } else {
      await crashed.navis.close(); // the test failed before the restart: end the leftover browser here
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const profile = await crashed.createProfile('survivor');
  const session = await createSession(crashed, { profile_id: profile.id });
  // The crash: the HTTP server goes away, the sessions and their Chromium are left as they are.
  await crashed.navis.app.close();
  assert.equal(isAlive(session.pid), true);
  // A crashed navis's lock names a dead pid and is taken over; this one lives on in the test
  // process, so its lock goes by hand (test/reliability/data-dir.test.ts covers the real thing).
  fs.rmSync(path.join(dataDir, 'navis.lock'));

  restarted = await startNavis({}, { dataDir });
  await waitFor(() => !isAlive(session.pid), 'the leftover browser to be killed');
  const ended = await restarted.request('GET', `/public/sessions/${session.session_id}`);
  assert.equal(ended.body.status, 'terminated');
  assert.equal(ended.body.end_reason, 'server_restart');

  const reused = await createSession(restarted, { profile_id: profile.id, persist_changes: true });
  await restarted.terminate(reused.session_id);
});
