// One navis per data dir, and an admin key that is never lost: a second navis started on a data
// dir in use refuses before touching anything (the first one's browsers and sessions carry on), a
// lock left by a navis that died is taken over, and a first start that cannot listen still prints
// the admin key it made.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';
import { browserOf } from '../helpers/tenants.js';

const MAIN = path.join(import.meta.dirname, '..', '..', 'src', 'main.ts');

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

/** Runs src/main.ts with these settings until it exits (or 60 s pass: then it is killed). */
function runMain(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NAVIS_HOST: '127.0.0.1', NAVIS_POOL_SIZE: '0', NAVIS_LOG_LEVEL: 'warn', ...env },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

test('a second navis on a data dir in use refuses, naming the running one, and the first carries on', async () => {
  const session = await navis.createSession({});
  const browser = browserOf(navis, session.session_id);

  const second = await runMain({ NAVIS_DATA_DIR: navis.dataDir, NAVIS_PORT: '0' });
  assert.equal(second.code, 1, second.stderr);
  assert.match(second.stderr, new RegExp(`in use by another navis \\(pid ${process.pid}, listening at ${navis.base}`));
  assert.match(second.stderr, /NAVIS_DATA_DIR/);
  assert.doesNotMatch(second.stderr, /^\s+at /m, 'a message, not a stack trace');

  process.kill(browser.pid, 0); // the first navis's browser still runs
  const task = await navis.request('POST', `/browser/sessions/${session.session_id}/tasks`, {
    body: { url: `${fixtures.url}/index.html`, actions: [{ type: 'evaluate', script: 'document.title' }] },
  });
  assert.equal(task.status, 201, task.text);
  const read = await navis.request('GET', `/public/sessions/${session.session_id}`);
  assert.equal(read.body.status, 'active');
  await navis.terminate(session.session_id);
});

test('in one process too: building a second navis on the same data dir throws and leaves the first alone', async () => {
  const config = loadConfig({}, { dataDir: navis.dataDir, port: 0, poolSize: 0 });
  await assert.rejects(buildApp(config), /in use by another navis \(pid \d+, listening at http/);
  assert.equal((await navis.request('GET', '/healthz')).status, 200);
});

test('a lock left by a navis that died is taken over; a closed navis gives its data dir up', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-lock-'));
  const dead = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => dead.once('exit', resolve));
  fs.writeFileSync(
    path.join(dataDir, 'navis.lock'),
    JSON.stringify({ pid: dead.pid, startedAt: new Date().toISOString(), address: 'http://127.0.0.1:1' }),
  );
  for (let round = 0; round < 2; round++) {
    const again = await startNavis({}, { dataDir });
    assert.equal((await again.request('GET', '/healthz')).status, 200);
    await again.close();
  }
  assert.equal(fs.existsSync(path.join(dataDir, 'navis.lock')), false, 'the lock goes with the navis');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a first start that cannot listen still prints the admin key it made, and that key works later', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-key-'));
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as net.AddressInfo;
  const env = { NAVIS_DATA_DIR: dataDir, NAVIS_API_KEY: '' };
  const failed = await runMain({ ...env, NAVIS_PORT: String(port) });
  await new Promise<void>((resolve) => taken.close(() => resolve()));
  assert.equal(failed.code, 1, failed.stderr);
  assert.match(failed.stderr, /EADDRINUSE.*NAVIS_PORT/);
  const key = /admin API key made on this first start[^:]*: (nv_\S+)/.exec(failed.stderr)?.[1];
  assert.ok(key, `the key is printed: ${failed.stderr}`);
  assert.equal(fs.existsSync(path.join(dataDir, 'navis.lock')), false, 'the failed start gave the data dir up');

  const later = await startNavis({ apiKey: undefined }, { dataDir });
  const res = await later.request('GET', '/admin/tenants', { key });
  assert.equal(res.status, 200, res.text);
  await later.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A tmpfs of `size` mounted for one test (read-only with `ro`); undefined when this user cannot mount. */
function mountTmpfs(t: TestContext, options: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-mount-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  t.after(() => {
    execFileSync('umount', [dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

test('a data dir on a read-only disk: a clear error naming it and what to do, exit code 1, no stack trace', async (t) => {
  const mount = mountTmpfs(t, 'ro,size=1m');
  if (!mount) return t.skip('needs root to mount a read-only tmpfs');
  for (const dataDir of [mount, path.join(mount, 'navis')]) {
    const started = await runMain({ NAVIS_DATA_DIR: dataDir, NAVIS_PORT: '0' });
    assert.equal(started.code, 1, started.stderr);
    assert.match(
      started.stderr,
      new RegExp(
        `navis could not start: the data dir ${dataDir} cannot be written: its file system is read-only .*NAVIS_DATA_DIR`,
      ),
    );
    assert.doesNotMatch(started.stderr, /^\s+at /m);
  }
});

test('a data dir on a full disk: a clear error naming it and what to do, exit code 1, nothing left behind', async (t) => {
  const mount = mountTmpfs(t, 'size=64k');
  if (!mount) return t.skip('needs root to mount a small tmpfs');
  fs.writeFileSync(path.join(mount, 'filler'), Buffer.alloc(64 * 1024 - 4096));
  const dataDir = path.join(mount, 'navis');
  const started = await runMain({ NAVIS_DATA_DIR: dataDir, NAVIS_PORT: '0' });
  assert.equal(started.code, 1, started.stderr);
  assert.match(
    started.stderr,
    new RegExp(
      `navis could not start: the data dir ${dataDir} cannot be written: no space is left on its disk .*NAVIS_DATA_DIR`,
    ),
  );
  assert.doesNotMatch(started.stderr, /^\s+at /m);
  assert.equal(fs.existsSync(path.join(dataDir, 'navis.lock')), false, 'the lock is given up');
});
