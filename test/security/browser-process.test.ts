// What a navis browser holds and can reach on the host (issue 10, table row 7 and item 5): no
// NAVIS_* setting or key in any Chromium's environment; as root, each browser runs as its own
// unprivileged uid that cannot read navis's store, the vault key or another browser's data; and a
// session's two tokens are apart (the live one does not open CDP) and never stored in plain text.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { browserPidOf, processes, type ProcInfo } from '../helpers/cdp.js';
import { ADMIN_KEY, startNavis, upgradeStatus, type TestNavis } from '../helpers/navis.js';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const rootOnly = { skip: isRoot ? false : 'browsers run as their own users only when navis runs as root' };
/** NAVIS_BROWSER_UIDS default (config.ts). */
const UID_RANGE = [300000, 303999];
/** In navis's own environment, as an operator would set them; none may reach a browser. */
const NAVIS_ENV = { NAVIS_API_KEY: ADMIN_KEY, NAVIS_TEST_ENV_MARKER: 'navis-env-marker-7f3a' };

let navis: TestNavis;
let keyB: string;
/** A session of the default tenant and one of tenant B, each with its own browser. */
let sessionA: Record<string, any>;
let sessionB: Record<string, any>;
const savedEnv: Record<string, string | undefined> = {};

before(async () => {
  for (const [name, value] of Object.entries(NAVIS_ENV)) {
    savedEnv[name] = process.env[name];
    process.env[name] = value;
  }
  // A warm pool browser too: browsers waiting for a session are launched the same way.
  navis = await startNavis({ poolSize: 1 });
  keyB = await navis.newTenant('b');
  sessionA = await navis.createSession();
  sessionB = await navis.createSession({}, { key: keyB });
});
after(async () => {
  await navis.close();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/**
 * Every process of navis's browsers: each Chromium navis (this process) started on a user-data dir
 * in its data dir, every process in its process group (renderers, zygotes, GPU and utility
 * processes, a fork on its way to becoming a crash handler) and anything else naming the data dir
 * (the crash handlers, which leave the group).
 */
function browserProcesses(): { leaders: ProcInfo[]; all: ProcInfo[] } {
  const procs = processes();
  const leaders = procs.filter(
    (p) => p.ppid === process.pid && p.cmdline.some((arg) => arg.startsWith(`--user-data-dir=${navis.dataDir}/`)),
  );
  const groups = new Set(leaders.map((p) => p.pid));
  const all = procs.filter(
    (p) => groups.has(p.pgid) || (p.pid !== process.pid && p.cmdline.some((arg) => arg.includes(navis.dataDir))),
  );
  return { leaders, all };
}

/** One session's browser process (the leader of its process group). */
function browserOf(sessionId: string): ProcInfo {
  const pid = browserPidOf(navis, sessionId);
  const leader = processes().find((p) => p.pid === pid);
  assert.ok(leader, `the browser ${pid} of session ${sessionId} is not running`);
  return leader;
}

/** Runs `command` as `uid` (gid the same, as navis gives browsers): its exit status and stderr. */
function runAs(uid: number, command: string, args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(command, args, { uid, gid: uid, env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

describe("the browsers' environment (table row 7)", () => {
  test('no process of a navis browser has a NAVIS_* variable, the admin key or a tenant key in its environment', () => {
    const { leaders, all } = browserProcesses();
    assert.ok(leaders.length >= 2, `expected the two sessions' browsers (and the pool's), found ${leaders.length}`);
    assert.ok(all.length > leaders.length, 'expected helper processes (renderers, zygotes) next to the browsers');
    for (const proc of all) {
      const leaks = proc.environ.filter(
        (entry) =>
          entry.startsWith('NAVIS_') ||
          entry.includes(ADMIN_KEY) ||
          entry.includes(keyB) ||
          entry.includes(NAVIS_ENV.NAVIS_TEST_ENV_MARKER),
      );
      assert.deepEqual(leaks, [], `process ${proc.pid} (${proc.cmdline[0]}) holds navis's environment`);
    }
  });

  test("a browser's HOME is its own user-data dir, not navis's home", () => {
    const leader = browserOf(sessionB.session_id);
    const home = leader.environ.find((entry) => entry.startsWith('HOME='))?.slice('HOME='.length);
    const userDataDir = leader.cmdline
      .find((arg) => arg.startsWith('--user-data-dir='))
      ?.slice('--user-data-dir='.length);
    assert.ok(home && userDataDir, JSON.stringify(leader.environ));
    assert.equal(home, userDataDir);
  });
});

describe('browsers as their own users (item 5)', () => {
  test('as root, every process of every browser runs as a non-root uid from NAVIS_BROWSER_UIDS', rootOnly, () => {
    const { leaders, all } = browserProcesses();
    assert.ok(leaders.length >= 2);
    for (const proc of all) {
      const leader = leaders.find((l) => l.pid === proc.pgid) ?? proc;
      for (const uid of proc.uids) {
        assert.ok(
          uid >= UID_RANGE[0] && uid <= UID_RANGE[1],
          `process ${proc.pid} (${proc.cmdline[0]}) runs as uid ${proc.uids.join('/')}`,
        );
        assert.equal(uid, leader.uids[0], `process ${proc.pid} runs as another uid than its browser ${leader.pid}`);
      }
    }
  });

  test('as root, two browsers run as two different uids', rootOnly, () => {
    const uidA = browserOf(sessionA.session_id).uids[0];
    const uidB = browserOf(sessionB.session_id).uids[0];
    assert.notEqual(uidA, uidB);
    const { leaders } = browserProcesses();
    assert.equal(
      new Set(leaders.map((l) => l.uids[0])).size,
      leaders.length,
      'every browser (pool included) has a uid of its own',
    );
  });

  test("as root, browsers keep Chromium's sandbox on unless navis warned that the kernel has none", rootOnly, () => {
    const warned = navis.logs.some((line) => line.includes("Chromium's sandbox is not available"));
    const { leaders } = browserProcesses();
    for (const leader of leaders)
      assert.equal(
        leader.cmdline.includes('--no-sandbox'),
        warned,
        `browser ${leader.pid}: ${leader.cmdline.join(' ')}`,
      );
  });

  test('vault.key and navis.db are mode 0600, the data dir 0711', rootOnly, () => {
    const mode = (file: string) => (fs.statSync(path.join(navis.dataDir, file)).mode & 0o777).toString(8);
    assert.equal(mode('vault.key'), '600');
    for (const file of fs.readdirSync(navis.dataDir).filter((name) => name.startsWith('navis.db')))
      assert.equal(mode(file), '600', file);
    assert.equal(mode('.'), '711');
  });

  test("a browser's uid cannot read vault.key or navis.db, nor list the data dir", rootOnly, () => {
    const uid = browserOf(sessionB.session_id).uids[0];
    for (const file of ['vault.key', 'navis.db']) {
      const read = runAs(uid, 'cat', [path.join(navis.dataDir, file)]);
      assert.notEqual(read.status, 0, `uid ${uid} read ${file}`);
      assert.match(read.stderr, /Permission denied/);
    }
    const list = runAs(uid, 'ls', [navis.dataDir]);
    assert.notEqual(list.status, 0, `uid ${uid} listed the data dir`);
  });

  test("a browser's uid cannot read another session's files or another browser's user-data dir", rootOnly, async () => {
    const res = await fetch(`${navis.base}/browser/sessions/${sessionA.session_id}/files?filename=secret.txt`, {
      method: 'POST',
      headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/octet-stream' },
      body: "the default tenant's secret",
    });
    assert.equal(res.status, 201, await res.text());
    const uidB = browserOf(sessionB.session_id).uids[0];
    const secret = path.join(navis.dataDir, 'files', sessionA.session_id, 'secret.txt');
    assert.equal(
      runAs(browserOf(sessionA.session_id).uids[0], 'cat', [secret]).status,
      0,
      "session A's own browser reads its file",
    );
    const read = runAs(uidB, 'cat', [secret]);
    assert.notEqual(read.status, 0, "tenant B's browser read session A's file");
    assert.match(read.stderr, /Permission denied/);

    const userDataDirA = browserOf(sessionA.session_id)
      .cmdline.find((arg) => arg.startsWith('--user-data-dir='))!
      .slice('--user-data-dir='.length);
    const listed = runAs(uidB, 'ls', [userDataDirA]);
    assert.notEqual(listed.status, 0, "tenant B's browser listed session A's user-data dir");
  });

  test(
    "a profile's dir belongs to its session's browser while it runs, and to navis again once it ends (its uid goes to others)",
    rootOnly,
    async () => {
      const profile = await navis.createProfile('owned');
      const session = await navis.createSession({ profile_id: profile.id });
      const dir = path.join(navis.dataDir, 'profiles', profile.id);
      const uid = browserOf(session.session_id).uids[0];
      assert.equal(fs.statSync(dir).uid, uid);
      await navis.terminate(session.session_id);
      const owners = new Set<number>();
      const walk = (at: string) => {
        owners.add(fs.lstatSync(at).uid);
        if (fs.lstatSync(at).isDirectory()) for (const name of fs.readdirSync(at)) walk(path.join(at, name));
      };
      walk(dir);
      assert.deepEqual([...owners], [process.getuid!()]);
    },
  );
});

describe('session tokens (item 10)', () => {
  const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
  /** /public shows the live view's address as metadata.live_url (seed 001). */
  const liveUrlOf = (session: Record<string, any>) => session.metadata.live_url as string;

  test('GET /public/sessions/{id} shows cdp_url and live_url with two different tokens', async () => {
    const res = await navis.request('GET', `/public/sessions/${sessionB.session_id}`, { key: keyB });
    assert.equal(res.status, 200, res.text);
    const cdp = tokenOf(res.body.cdp_url);
    const live = tokenOf(liveUrlOf(res.body));
    assert.ok(cdp && live, res.text);
    assert.notEqual(cdp, live);
  });

  test('the sessions table holds neither token in plain text, only their SHA-256 hashes', () => {
    const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    for (const session of [sessionA, sessionB]) {
      const cdp = tokenOf(session.cdp_url);
      const live = tokenOf(liveUrlOf(session));
      const row = navis.navis.services.db
        .prepare('SELECT * FROM sessions WHERE id = ?')
        .get(session.session_id) as Record<string, unknown>;
      const stored = JSON.stringify(row);
      assert.ok(!stored.includes(cdp) && !stored.includes(live), `a token is stored in plain text: ${stored}`);
      assert.equal(row.cdp_token_hash, sha256(cdp));
      assert.equal(row.live_token_hash, sha256(live));
    }
    // Nor anywhere in the database files (WAL included).
    navis.navis.services.db.pragma('wal_checkpoint(PASSIVE)');
    for (const file of fs.readdirSync(navis.dataDir).filter((name) => name.startsWith('navis.db'))) {
      const bytes = fs.readFileSync(path.join(navis.dataDir, file));
      for (const session of [sessionA, sessionB]) {
        for (const token of [tokenOf(session.cdp_url), tokenOf(liveUrlOf(session))])
          assert.equal(bytes.indexOf(token), -1, `${file} holds a token`);
      }
    }
  });

  test('the cdp token opens /cdp/<id> and the live token /live/<id>/ws', async () => {
    assert.equal(await upgradeStatus(sessionB.cdp_url), 101);
    const liveWs = new URL(liveUrlOf(sessionB));
    liveWs.protocol = 'ws:';
    liveWs.pathname += '/ws';
    assert.equal(await upgradeStatus(liveWs.href), 101);
  });

  test('a live token does not open /cdp/<id>', async () => {
    const url = new URL(sessionB.cdp_url);
    url.searchParams.set('token', tokenOf(liveUrlOf(sessionB)));
    assert.equal(await upgradeStatus(url.href), 401);
  });

  test('a cdp token opens neither the live view page nor its WebSocket', async () => {
    const page = new URL(liveUrlOf(sessionB));
    page.searchParams.set('token', tokenOf(sessionB.cdp_url));
    const res = await fetch(page);
    assert.equal(res.status, 401, await res.text());
    const ws = new URL(page);
    ws.protocol = 'ws:';
    ws.pathname += '/ws';
    assert.equal(await upgradeStatus(ws.href), 401);
  });

  test("one session's cdp token does not open another session's /cdp/<id>", async () => {
    const url = new URL(sessionA.cdp_url);
    url.searchParams.set('token', tokenOf(sessionB.cdp_url));
    assert.equal(await upgradeStatus(url.href), 401);
  });
});
