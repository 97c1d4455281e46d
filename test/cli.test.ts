// The command line against a real navis: each command group in its table form and with --json
// (navis's own JSON, parseable), errors on stderr with exit codes that say what happened (1 navis
// answered an error, 2 usage, 3 unreachable, 4 not found, 5 refused), and a credential's password
// read from stdin or a file and never printed. A navis that is not running is named by its
// address, with how to start it or point the CLI elsewhere, never a bare "fetch failed".
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from './helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type TestNavis } from './helpers/navis.js';

const CLI = path.join(import.meta.dirname, '..', 'src', 'cli.ts');
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs `navis <args>` as a user would, stdin given `input` (then closed), talking to `server` with `key`. */
function navisCli(args: string[], opts: { server?: string; key?: string; input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, NAVIS_URL: opts.server ?? server, NAVIS_API_KEY: opts.key ?? ADMIN_KEY },
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Asserts a successful run and returns its stdout parsed as JSON. */
function json(run: Run): any {
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout);
}

/** Asserts a failed run: the exit code, the message on stderr, nothing on stdout. */
function failed(run: Run, code: number, message: RegExp): void {
  assert.equal(run.code, code, `exit code ${run.code}; stderr: ${run.stderr}`);
  assert.match(run.stderr, message);
  assert.equal(run.stdout, '');
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as net.AddressInfo;
  await new Promise<void>((resolve) => listener.close(() => resolve()));
  return port;
}

const FORM = `<!doctype html><title>CLI form</title><h1>Ready</h1>
<label>Search <input id="q"></label>
<button onclick="document.querySelector('h1').textContent = 'Searched ' + document.querySelector('#q').value">Search</button>`;

let navis: TestNavis;
let fixture: FixtureServer;
let server: string;
let scratch: string;
before(async () => {
  navis = await startNavis({ poolSize: 0 });
  server = navis.base;
  fixture = await startFixtureServer({
    routes: {
      '/cli-form': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(FORM);
      },
    },
  });
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-cli-'));
});
after(async () => {
  await navis.close();
  await fixture.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('reaching navis', () => {
  test('a navis that is not running: the address, why, how to set it, exit code 3', async () => {
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const run = await navisCli(['sites', 'export', path.join(scratch, 'no-such-dir')], { server: closed });
    failed(run, 3, new RegExp(`could not reach navis at ${closed.replace(/[.]/g, '\\.')} \\(ECONNREFUSED\\)`));
    assert.match(run.stderr, /--server <url> or NAVIS_URL/);
    assert.doesNotMatch(run.stderr, /fetch failed/);
  });

  test('a wrong API key: navis says so on stderr, exit code 5', async () => {
    failed(
      await navisCli(['sessions', 'list'], { key: 'nv_wrong_key_0123456789abcdef' }),
      5,
      /answered 401: Invalid API key/,
    );
  });

  test('no API key at all: the message says how to give one', async () => {
    failed(
      await navisCli(['profiles', 'list'], { key: '' }),
      5,
      /no key was sent: set NAVIS_API_KEY or pass --api-key/,
    );
  });
});

describe('usage', () => {
  test('--help lists the command groups, --json and the exit codes', async () => {
    const run = await navisCli(['--help']);
    assert.equal(run.code, 0, run.stderr);
    for (const group of [
      'sessions',
      'task',
      'act',
      'profiles',
      'credentials',
      'cache',
      'usage',
      'tenants',
      'keys',
      'discover',
      'sites',
    ])
      assert.match(run.stdout, new RegExp(`^  ${group} `, 'm'), `--help lists ${group}`);
    assert.match(run.stdout, /--json/);
    assert.match(run.stdout, /3 {2}navis could not be reached/);
  });

  test("a command's --help says where the API key comes from, never the key", async () => {
    const run = await navisCli(['sessions', 'list', '--help']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /--api-key <key> .*\(default:\s+NAVIS_API_KEY\)/s);
    assert.ok(!run.stdout.includes(ADMIN_KEY));
  });

  test('a mistyped command is a usage error naming it: exit code 2', async () => {
    failed(await navisCli(['sesions', 'list']), 2, /unknown command 'sesions'/);
  });

  test("an unknown option is commander's usage error: exit code 2", async () => {
    failed(await navisCli(['sessions', 'list', '--colour']), 2, /unknown option '--colour'/);
  });

  test('a --var without = is a usage error and nothing is sent', async () => {
    failed(await navisCli(['act', 'click Search', '--var', 'q']), 2, /expected name=value, got 'q'/);
  });

  test('a task file that is not JSON is a usage error naming the file', async () => {
    const file = path.join(scratch, 'broken.json');
    fs.writeFileSync(file, '{"actions": [');
    failed(await navisCli(['task', 'any-session', file]), 2, /the task file .*broken\.json is not valid JSON/);
  });
});

describe('sessions', () => {
  let session: any;
  before(async () => {
    session = json(
      await navisCli([
        'sessions',
        'create',
        '--ttl',
        '300',
        '--width',
        '800',
        '--height',
        '600',
        '--meta',
        'purpose=cli',
        '--json',
      ]),
    );
  });

  test("create --json prints navis's own answer", () => {
    assert.match(session.session_id, UUID);
    assert.equal(session.status, 'active');
    assert.deepEqual(session.screen_config, { width: 800, height: 600 });
    assert.equal(session.ttl, 300);
    assert.equal(session.metadata.purpose, 'cli');
  });

  test('list is a table with the id, status, age and TTL left', async () => {
    const run = await navisCli(['sessions', 'list']);
    assert.equal(run.code, 0, run.stderr);
    const [header, ...rows] = run.stdout.trim().split('\n');
    assert.match(header, /^ID +STATUS +AGE +TTL LEFT +END REASON +PROFILE$/);
    const row = rows.find((r) => r.startsWith(session.session_id));
    assert.ok(row, run.stdout);
    assert.match(row, /active +\d+s +[45]m/);
  });

  test('list --json and --status filter as the route does', async () => {
    const active = json(await navisCli(['sessions', 'list', '--status', 'active', '--json']));
    assert.ok(active.sessions.some((s: any) => s.session_id === session.session_id));
    assert.equal(typeof active.total, 'number');
    const expired = json(await navisCli(['sessions', 'list', '--status', 'expired', '--json']));
    assert.equal(expired.sessions.length, 0);
  });

  test('get shows the live view and CDP addresses', async () => {
    const run = await navisCli(['sessions', 'get', session.session_id]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^status: +active$/m);
    assert.match(run.stdout, /^screen: +800x600$/m);
    assert.ok(run.stdout.includes(session.cdp_url), run.stdout);
    assert.ok(run.stdout.includes(session.metadata.live_url), run.stdout);
  });

  test('terminate, then get shows it terminated with the reason', async () => {
    const run = await navisCli(['sessions', 'terminate', session.session_id]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Terminated session/);
    const ended = json(await navisCli(['sessions', 'get', session.session_id, '--json']));
    assert.equal(ended.status, 'terminated');
    assert.equal(ended.end_reason, 'terminated_by_user');
  });

  test("delete removes it: get then exits 4 with navis's message on stderr", async () => {
    assert.equal((await navisCli(['sessions', 'delete', session.session_id])).code, 0);
    failed(await navisCli(['sessions', 'get', session.session_id]), 4, /answered 404: Session not found/);
  });

  test('a status navis does not have is a usage error', async () => {
    failed(
      await navisCli(['sessions', 'list', '--status', 'sleeping']),
      2,
      /Allowed choices are active, terminated, expired/,
    );
  });
});

describe('task and act on a session', () => {
  let id: string;
  before(async () => {
    id = json(await navisCli(['sessions', 'create', '--json'])).session_id;
  });
  after(async () => {
    await navis.terminate(id);
  });

  const task = () => ({
    url: `${fixture.url}/cli-form`,
    actions: [
      { type: 'type', selector: '#q', text: 'kettle' },
      { type: 'click', selector: 'button' },
      { type: 'evaluate', script: "document.querySelector('h1').textContent" },
    ],
    screenshot: {},
  });

  test('task reads its body from a file and prints the step log and results', async () => {
    const file = path.join(scratch, 'task.json');
    fs.writeFileSync(file, JSON.stringify(task()));
    const run = await navisCli(['task', id, file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Task done on .*\/cli-form$/m);
    assert.match(run.stdout, /^ {2}\[1\] +click +ok /m);
    assert.match(run.stdout, /"value":"Searched kettle"/);
    assert.doesNotMatch(run.stdout, /iVBORw0KGgo/, 'the screenshot is not dumped on the terminal');
  });

  test("task - reads stdin; --json prints navis's answer; --out saves the screenshot", async () => {
    const out = path.join(scratch, 'artifacts');
    const answer = json(await navisCli(['task', id, '-', '--json', '--out', out], { input: JSON.stringify(task()) }));
    assert.equal(answer.actionResults[2].value, 'Searched kettle');
    assert.equal(answer.stepLog.length, 4);
    const png = fs.readFileSync(path.join(out, 'screenshot.png'));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
  });

  test('a failing task: the step log and the error on stderr, exit code by status', async () => {
    const body = { url: `${fixture.url}/cli-form`, actions: [{ type: 'click', selector: '#missing', timeoutMs: 300 }] };
    const run = await navisCli(['task', id, '-'], { input: JSON.stringify(body) });
    failed(run, 4, /answered 404: actions\[0\] \(click\)/);
    assert.match(run.stderr, /^ {2}url +navigate +ok /m);
    assert.match(run.stderr, /^ {2}\[0\] +click +failed /m);
  });

  test('act plans an action and stores its steps under --id; the second run replays them', async () => {
    const act = (q: string) =>
      navisCli([
        'act',
        'type {{q}} into Search, then click Search',
        '--session',
        id,
        '--id',
        'cli-search',
        '--var',
        `q=${q}`,
      ]);
    await navis.request('POST', `/browser/sessions/${id}/tasks`, { body: { url: `${fixture.url}/cli-form` } });
    const first = await act('kettle');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^done: +Typed 'kettle' into Search/m);
    assert.match(first.stdout, /^cache: +planned, stored as 'cli-search'$/m);
    const second = await act('teapot');
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^cache: +replayed 'cli-search' \(no planner call\)$/m);
    assert.match(second.stdout, /^ {2}1\. typed 'teapot'/m);
  });

  test('an action that fails: its error on stderr, exit code 1; with --json the answer still on stdout', async () => {
    const run = await navisCli(['act', 'click the Launch rocket button', '--session', id]);
    failed(run, 1, /the action failed: .*Launch rocket/);
    const asJson = await navisCli(['act', 'click the Launch rocket button', '--session', id, '--json']);
    assert.equal(asJson.code, 1);
    assert.equal(JSON.parse(asJson.stdout).success, false);
  });

  test('cache list, show and delete the stored steps', async () => {
    const list = await navisCli(['cache', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ID +STEPS +REPLAYS +HEALS +LAST USED +ACTION$/m);
    assert.match(list.stdout, /^cli-search +2 +1 +0 /m);
    const show = await navisCli(['cache', 'show', 'cli-search']);
    assert.match(show.stdout, /^ {2}1\. type +\{"target":\{"role":"textbox","name":"Search"/m);
    assert.equal(json(await navisCli(['cache', 'show', 'cli-search', '--json'])).steps.length, 2);
    assert.equal((await navisCli(['cache', 'delete', 'cli-search'])).code, 0);
    failed(await navisCli(['cache', 'show', 'cli-search']), 4, /answered 404/);
  });

  test('usage counts the actions, the cached one and the failed one', async () => {
    const usage = json(await navisCli(['usage', '--json']));
    assert.ok(usage.actions >= 4 && usage.cached_actions >= 1 && usage.failed_actions >= 2, JSON.stringify(usage));
    const run = await navisCli(['usage']);
    assert.match(run.stdout, /^from the cache: +\d+$/m);
    assert.match(run.stdout, /^WHEN +KIND +RESULT +CACHE +CREDITS +ID +SESSION$/m);
  });
});

describe('profiles', () => {
  test('create, list, get and delete', async () => {
    const profile = json(await navisCli(['profiles', 'create', 'cli profile', '--json']));
    assert.equal(profile.name, 'cli profile');
    const list = await navisCli(['profiles', 'list']);
    assert.match(list.stdout, new RegExp(`^${profile.id} +cli profile +\\d+s ago$`, 'm'));
    assert.match((await navisCli(['profiles', 'get', profile.id])).stdout, /^name: +cli profile$/m);
    assert.equal((await navisCli(['profiles', 'delete', profile.id])).code, 0);
    failed(await navisCli(['profiles', 'get', profile.id]), 4, /Browser profile not found/);
  });
});

describe('credentials', () => {
  const PASSWORD = 'cli-pw-never-printed-7Q2';
  const FROM_FILE = 'cli-pw-from-a-file-9X4';
  const runs: Run[] = [];
  const record = async (run: Promise<Run>) => {
    const done = await run;
    runs.push(done);
    return done;
  };

  test('create reads the password from stdin and shows the name and domains', async () => {
    const run = await record(
      navisCli(['credentials', 'create', 'shop', '--domain', 'shop.example.com', '--username', 'ada@example.com'], {
        input: `${PASSWORD}\n`,
      }),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^domains: +shop\.example\.com$/m);
    const stored = (await navis.request('GET', '/browser/credentials')).body.credentials;
    assert.ok(stored.some((c: any) => c.name === 'shop'));
  });

  test('create reads it from --value-file; --json prints what navis answers (no secret)', async () => {
    const file = path.join(scratch, 'password.txt');
    fs.writeFileSync(file, `${FROM_FILE}\n`);
    const run = await record(
      navisCli([
        'credentials',
        'create',
        'intranet',
        '--domain',
        'intranet.example',
        '--domain',
        '*.intranet.example',
        '--username',
        'ada',
        '--value-file',
        file,
        '--json',
      ]),
    );
    assert.deepEqual(json(run).allowedDomains, ['intranet.example', '*.intranet.example']);
  });

  test('list shows names and domains', async () => {
    const run = await record(navisCli(['credentials', 'list']));
    assert.match(run.stdout, /^ID +NAME +DOMAINS +TOTP +CREATED$/m);
    assert.match(run.stdout, /intranet +intranet\.example, \*\.intranet\.example +no/);
    await record(navisCli(['credentials', 'list', '--json']));
  });

  test('an empty password is refused before anything is sent: exit code 2', async () => {
    failed(
      await record(navisCli(['credentials', 'create', 'x', '--domain', 'x.example', '--username', 'u'])),
      2,
      /the password is empty/,
    );
  });

  test('delete removes one', async () => {
    const { credentials } = json(await record(navisCli(['credentials', 'list', '--json'])));
    const shop = credentials.find((c: any) => c.name === 'shop');
    assert.equal((await record(navisCli(['credentials', 'delete', shop.id]))).code, 0);
    failed(await record(navisCli(['credentials', 'delete', shop.id])), 4, /Credential not found/);
  });

  test('no output of any credentials command holds a password or the username', () => {
    assert.ok(runs.length >= 7);
    for (const run of runs)
      for (const secret of [PASSWORD, FROM_FILE, 'ada@example.com'])
        assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `${secret} was printed`);
  });
});

describe('tenants and keys (admin)', () => {
  let tenant: any;
  before(async () => {
    tenant = json(
      await navisCli([
        'tenants',
        'create',
        'cli tenant',
        '--allow-hosts',
        'intranet.example',
        '--max-sessions',
        '2',
        '--json',
      ]),
    );
  });

  test('create prints the tenant and its first key, once', async () => {
    assert.equal(tenant.name, 'cli tenant');
    assert.deepEqual(tenant.network.allowHosts, ['intranet.example']);
    assert.equal(tenant.limits.maxSessions, 2);
    const human = await navisCli(['tenants', 'create', 'second tenant']);
    assert.match(human.stdout, /^API key \(shown once, store it now\): nv_\S+$/m);
    assert.match(human.stdout, /^private addresses: +refused$/m);
  });

  test('list and get', async () => {
    const list = await navisCli(['tenants', 'list']);
    assert.match(list.stdout, /^ID +NAME +STATUS +PRIVATE +MAX SESSIONS +CREATED$/m);
    assert.match(list.stdout, new RegExp(`^${tenant.id} +cli tenant +enabled +refused +2 `, 'm'));
    assert.match((await navisCli(['tenants', 'get', tenant.id])).stdout, /^allowed hosts: +intranet\.example$/m);
  });

  test('update disables it and puts its limit back to the server one', async () => {
    const updated = json(
      await navisCli(['tenants', 'update', tenant.id, '--disable', '--max-sessions', 'none', '--json']),
    );
    assert.equal(updated.disabled, true);
    assert.notEqual(updated.limits.maxSessions, 2);
    failed(await navisCli(['tenants', 'update', tenant.id, '--disable', '--enable']), 2, /cannot be used with/);
    assert.equal(json(await navisCli(['tenants', 'update', tenant.id, '--enable', '--json'])).disabled, false);
  });

  test("keys create, list and revoke; a tenant's own key is refused the admin commands: exit code 5", async () => {
    const key = json(await navisCli(['keys', 'create', tenant.id, '--label', 'ci', '--json']));
    assert.match(key.api_key, /^nv_/);
    const list = await navisCli(['keys', 'list', tenant.id]);
    assert.match(list.stdout, /^ID +PREFIX +LABEL +ADMIN +CREATED +LAST USED +REVOKED$/m);
    assert.match(list.stdout, new RegExp(`^${key.id} +${key.prefix}… +ci `, 'm'));
    assert.ok(!list.stdout.includes(key.api_key), 'a listed key is never the key itself');
    failed(
      await navisCli(['tenants', 'list'], { key: key.api_key }),
      5,
      /answered 403: This endpoint needs the admin API key/,
    );
    const revoked = await navisCli(['keys', 'revoke', key.id]);
    assert.match(revoked.stdout, /^Revoked key /);
    failed(await navisCli(['sessions', 'list'], { key: key.api_key }), 5, /answered 401/);
  });

  test('delete, then get exits 4', async () => {
    assert.equal((await navisCli(['tenants', 'delete', tenant.id])).code, 0);
    failed(await navisCli(['tenants', 'get', tenant.id]), 4, /Tenant not found/);
  });
});

describe('sites', () => {
  test("list says how to make a manifest when there is none; --json is the route's answer", async () => {
    const run = await navisCli(['sites', 'list']);
    assert.match(run.stdout, /No site manifests\. Create one with `navis discover <url>`/);
    assert.deepEqual(json(await navisCli(['sites', 'list', '--json'])), { sites: [] });
  });

  test('import from a folder, list, export back', async () => {
    const dir = path.join(scratch, 'manifests');
    fs.mkdirSync(dir);
    const manifest = {
      name: 'CLI shop',
      baseUrl: fixture.url,
      states: [{ name: 'Home', url: '/cli-form', actions: [], views: [] }],
    };
    fs.writeFileSync(path.join(dir, 'cli-shop.json'), JSON.stringify(manifest));
    assert.match((await navisCli(['sites', 'import', dir])).stdout, /cli-shop\.json → cli-shop/);
    assert.match(
      (await navisCli(['sites', 'list'])).stdout,
      /^cli-shop +CLI shop +http:\/\/127\.0\.0\.1:\d+ +1 +0 +0 /m,
    );
    const out = path.join(scratch, 'exported');
    json(await navisCli(['sites', 'export', out, '--json']));
    assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'cli-shop.json'), 'utf8')).name, 'CLI shop');
  });
});
