// Who browsers run as (src/browsers/users.ts): their own user ids when navis is root, an
// environment built for them, and a data dir they can enter but not read.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import pino from 'pino';
import { BrowserUsers } from '../../src/browsers/users.js';

const log = pino({ level: 'silent' });
const settings = (browserUids: string, browserEnv: Record<string, string> = {}) => ({ browserUids, browserEnv });

test('as root with a range, each browser gets a user id of its own, given back when it goes', () => {
  const users = new BrowserUsers(settings('410000-410002'), log, true);
  assert.equal(users.separate, true);
  assert.equal(users.sandbox, true);
  const a = users.acquire()!;
  const b = users.acquire()!;
  assert.notEqual(a.uid, b.uid);
  assert.ok(a.uid >= 410000 && a.uid <= 410002 && a.gid === a.uid);
  users.release(a);
  const ids = new Set([users.acquire()!.uid, users.acquire()!.uid]);
  assert.ok(!ids.has(b.uid), 'an id in use is not handed out twice');
});

test('a range with every id in use answers an error naming NAVIS_BROWSER_UIDS', () => {
  const users = new BrowserUsers(settings('410010-410010'), log, true);
  users.acquire();
  assert.throws(() => users.acquire(), /NAVIS_BROWSER_UIDS \(410010-410010\)/);
});

test("off, or navis not root: browsers run as navis's user (no ids), and as root without the sandbox", () => {
  const off = new BrowserUsers(settings('off'), log, true);
  assert.equal(off.separate, false);
  assert.equal(off.acquire(), undefined);
  assert.equal(off.sandbox, false, 'Chromium refuses its sandbox as root');
  const notRoot = new BrowserUsers(settings('300000-303999'), log, false);
  assert.equal(notRoot.separate, false);
  assert.equal(notRoot.sandbox, true);
});

test("a browser's environment is built for it: its own HOME, display and locale only, nothing of navis's", () => {
  const users = new BrowserUsers(settings('off', { DISPLAY: ':1', LANG: 'C.UTF-8' }), log, false);
  const env = users.env('/data/browsers/x');
  assert.deepEqual(Object.keys(env).sort(), ['DISPLAY', 'HOME', 'LANG', 'PATH', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME']);
  assert.equal(env.HOME, '/data/browsers/x');
});

test("a browser's file names are UTF-8 even when navis runs in the C locale", () => {
  const plain = new BrowserUsers(settings('off', {}), log, false).env('/b');
  assert.equal(plain.LC_CTYPE, 'C.UTF-8');
  const forced = new BrowserUsers(settings('off', { LANG: 'de_DE.UTF-8', LC_ALL: 'C' }), log, false).env('/b');
  assert.equal(forced.LC_ALL, 'C.UTF-8');
  assert.equal(forced.LANG, 'de_DE.UTF-8');
  const chosen = new BrowserUsers(settings('off', { LANG: 'fr_FR.UTF-8' }), log, false).env('/b');
  assert.equal(chosen.LC_CTYPE, undefined, "an operator's UTF-8 locale is kept as it is");
});

test('a lost sandbox is switched off once, with a warning', () => {
  const lines: string[] = [];
  const users = new BrowserUsers(
    settings('410020-410021'),
    pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }),
    true,
  );
  users.sandboxUnavailable('No usable sandbox!');
  users.sandboxUnavailable('No usable sandbox!');
  assert.equal(users.sandbox, false);
  assert.equal(lines.length, 1);
});

test("with separate users the data dir becomes enterable (0711) and navis's own files its alone (0600)", (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-users-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const dataDir = path.join(root, 'data');
  const browsers = path.join(dataDir, 'browsers');
  fs.mkdirSync(browsers, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  fs.writeFileSync(path.join(dataDir, 'navis.db'), 'x', { mode: 0o644 });
  fs.writeFileSync(path.join(dataDir, 'vault.key'), 'x', { mode: 0o644 });
  fs.chmodSync(root, 0o755);
  new BrowserUsers(settings('410030-410031'), log, true).prepareDataDir(dataDir, [browsers]);
  const mode = (p: string) => fs.statSync(p).mode & 0o777;
  assert.equal(mode(dataDir), 0o711);
  assert.equal(mode(browsers), 0o711);
  assert.equal(mode(path.join(dataDir, 'navis.db')), 0o600);
  assert.equal(mode(path.join(dataDir, 'vault.key')), 0o600);
});

test('a data dir inside a folder others cannot enter refuses the start, saying what to do', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-users-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.chmodSync(root, 0o700);
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(dataDir);
  assert.throws(
    () => new BrowserUsers(settings('410040-410041'), log, true).prepareDataDir(dataDir, []),
    (error: Error) =>
      error.message.includes(`inside ${root}`) &&
      /NAVIS_DATA_DIR=\/var\/lib\/navis/.test(error.message) &&
      /NAVIS_BROWSER_UIDS=off/.test(error.message),
  );
});
