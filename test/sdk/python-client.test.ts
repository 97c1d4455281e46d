// navis's Python package (sdk/python, standard library only) against a live navis with real
// Chromium: each scenario in test/sdk/python runs with PYTHONPATH=sdk/python as a tenant whose
// network policy opens the fixture pages on 127.0.0.1, and reports what the client returned or
// raised; this file checks it. Scripts written for the Dari client are in python-dari-scripts.test.ts.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';
import { pngSize } from '../helpers/png.js';
import { runPython } from '../helpers/python.js';

const SDK = path.join(import.meta.dirname, '..', '..', 'sdk', 'python');
const SCENARIOS = path.join(import.meta.dirname, 'python');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let navis: TestNavis;
let fixtures: FixtureServer;
let key: string;
const logins: unknown[] = [];
before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer({
    routes: {
      '/site-api/login': (req, res) => {
        let text = '';
        req.on('data', (chunk: Buffer) => (text += chunk.toString()));
        req.on('end', () => {
          logins.push(JSON.parse(text || '{}'));
          res.writeHead(204).end();
        });
      },
      '/download/report.csv': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/csv', 'content-disposition': 'attachment; filename="report.csv"' });
        res.end('a,b\n1,2\n');
      },
    },
  });
  key = await navis.newTenant('python', { network: { allowPrivate: true } });
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

/** Runs test/sdk/python/<name> as the tenant, and parses the JSON object it reports. */
async function scenario(name: string, env: Record<string, string> = {}): Promise<any> {
  const { stdout, stderr, status } = await runPython([path.join(SCENARIOS, name)], {
    PYTHONPATH: SDK,
    NAVIS_URL: navis.base,
    NAVIS_API_KEY: key,
    FIXTURES: fixtures.url,
    ...env,
  });
  assert.equal(status, 0, `${name} failed:\n${stderr}`);
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

/** What report.raised gives for a NavisError. */
function assertRaised(outcome: any, status: number | null, detail: string | RegExp, code: string | null = null): void {
  assert.equal(outcome.raised, 'NavisError', JSON.stringify(outcome));
  assert.equal(outcome.status_code, status, JSON.stringify(outcome));
  if (typeof detail === 'string') assert.equal(outcome.detail, detail);
  else assert.match(outcome.detail, detail);
  assert.equal(outcome.message, outcome.detail, 'str(error) is the detail');
  assert.equal(outcome.code, code, JSON.stringify(outcome));
}

test('sessions: create, get, list, update, terminate and delete, and the same session through client.browser', async () => {
  const out = await scenario('sessions.py');
  assert.match(out.created.session_id, UUID);
  assert.deepEqual(out.created.screen_config, { width: 1024, height: 768 });
  assert.equal(out.created.ttl, 900);
  assert.ok(out.created.metadata.live_url.startsWith(`${navis.base}/live/`));
  assert.deepEqual(out.got, out.created);
  assert.deepEqual(out.listed, { sessions: [out.created], total: 1 });
  assert.deepEqual([out.updated.ttl, out.updated.metadata.job, out.updated.metadata.step], [600, 'py', 2]);
  assert.equal(out.as_browser.id, out.created.session_id);
  assert.equal(out.as_browser.liveViewUrl, out.created.metadata.live_url);
  assert.deepEqual(
    out.browser_listed.sessions.map((s: any) => s.id),
    [out.created.session_id],
  );
  assert.equal(out.terminated, null);
  assert.equal(out.after_terminate, 'terminated');
  assertRaised(out.terminated_again, 400, 'Session is already terminated');
  assert.equal(out.deleted, null);
  assertRaised(out.after_delete, 404, 'Session not found');
  assert.deepEqual(
    [out.browser_created.ttlSeconds, out.browser_created.timeout, out.browser_created.screen],
    [120, 60000, { width: 800, height: 600 }],
  );
  assert.equal(out.browser_deleted, null);
  assertRaised(out.browser_after_delete, 404, 'Session not found', 'SESSION_NOT_FOUND');
  assert.equal(out.in_with_block, 0, 'both sessions were deleted');
});

test('run_task types into a page the test serves and answers its content and screenshot; screenshot and pdf answer bytes', async () => {
  const out = await scenario('tasks.py');
  assert.deepEqual(out.task.actionResults.at(-1), { text: 'Welcome ada@example.com' });
  assert.equal(out.task.content.url, `${fixtures.url}/site/login.html`);
  assert.match(out.task.content.html, /Welcome ada@example\.com/);
  assert.deepEqual(pngSize(out.task.screenshot), { width: 800, height: 600 });
  assert.deepEqual(logins.at(-1), { email: 'ada@example.com', password: 'py-task-pass-9' });
  assert.doesNotMatch(JSON.stringify(out.task), /py-task-pass-9/);
  assert.equal(pngSize(out.png).width, 800);
  assert.deepEqual(out.png_size, [800, pngSize(out.png).height]);
  assert.deepEqual([...Buffer.from(out.jpeg_start, 'base64')], [0xff, 0xd8, 0xff]);
  assert.equal(Buffer.from(out.pdf, 'base64').subarray(0, 5).toString('latin1'), '%PDF-');
  assertRaised(out.failed, 404, /^actions\[0\] \(click\): selector '#missing' matched nothing/, 'SELECTOR_NOT_FOUND');
});

test('files: uploaded in one multipart request, used by uploadFile, downloaded as bytes and to a path, a page download fetched, deleted', async () => {
  const out = await scenario('files.py');
  assert.deepEqual(
    out.uploaded.files.map((f: any) => [f.filename, f.size]),
    [
      ['€ rates.csv', 9],
      ['blob.bin', 256],
      ['notes.txt', 12],
    ],
  );
  assert.deepEqual(
    out.one.files.map((f: any) => [f.filename, f.size]),
    [['renamed.txt', 12]],
  );
  assert.equal(out.listed.files.length, 4);
  assert.deepEqual(out.page_read, [{ name: 'notes.txt', text: 'from a path\n' }]);
  assert.equal(out.downloaded, true);
  assert.equal(out.utf8_name, 'eur,1.08\n');
  assert.equal(out.to_path, 'from a path\n');
  assert.equal(out.page_download, 'a,b\n1,2\n');
  assert.equal(out.deleted, null);
  assertRaised(out.after_delete, 404, /^No file "blob\.bin" in session/, 'FILE_NOT_FOUND');
  assert.deepEqual(out.names_left, ['€ rates.csv', 'notes.txt', 'renamed.txt', 'report.csv']);
});

test('profiles: create, get, list and delete; a session holds its profile (409 on delete); the /browser twins', async () => {
  const out = await scenario('profiles.py');
  assert.deepEqual(Object.keys(out.created).sort(), ['created_at', 'id', 'name']);
  assert.equal(out.with_provider.name, 'py kernel');
  assert.deepEqual(out.got, out.created);
  assert.deepEqual(out.listed, { profiles: [out.created, out.with_provider] });
  assert.deepEqual(out.session_profile, [out.created.id, true]);
  assert.equal(out.in_use, true);
  assertRaised(out.delete_in_use, 409, /is in use by session/);
  assert.equal(out.deleted, null);
  assertRaised(out.after_delete, 404, 'Browser profile not found');
  assert.equal(out.browser_created.inUseBySession, null);
  assert.deepEqual(out.browser_listed, ['py kernel', 'py camel']);
  assert.equal(out.browser_deleted, null);
});

test('credentials: create and list, get, change (a re-binding needs the password), delete; no secret comes back', async () => {
  const account = {
    ACCOUNT_USERNAME: 'py-user-7Hq@example.test',
    ACCOUNT_PASSWORD: 'py-pass-Zr4!mK',
    ACCOUNT_TOTP: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  };
  const out = await scenario('credentials.py', account);
  assert.deepEqual(
    [out.created.service_name, out.created.allowed_domains, out.created.has_totp, out.created.username_or_email],
    ['127.0.0.1', ['127.0.0.1'], true, null],
  );
  assert.deepEqual(out.named.allowed_domains, ['intranet.example']);
  assert.deepEqual(out.listed, [out.created, out.named]);
  assert.deepEqual([out.got.id, out.got.name, out.got.hasTotp], [out.created.id, '127.0.0.1', true]);
  assert.deepEqual([out.renamed.name, out.renamed.hasTotp], ['local login', false]);
  assertRaised(out.rebind_without_password, 403, /needs the credential's current password/, 'FORBIDDEN');
  assert.deepEqual(out.rebound.allowedDomains, ['login.example.com']);
  assertRaised(out.not_a_host, 400, /service_name "Gmail" is not a host name/);
  assert.deepEqual(out.browser_created.allowedDomains, ['camel.example']);
  assert.deepEqual(out.browser_listed, ['local login', 'Intranet', 'camel']);
  assert.deepEqual(out.after_delete, []);
  assertRaised(out.get_deleted, 404, /not found/i, 'CREDENTIAL_NOT_FOUND');
  const everything = JSON.stringify(out);
  for (const secret of Object.values(account)) assert.equal(everything.includes(secret), false, secret);
});

test('run_single_action caches under an id and replays it with new variables; the cache entry and usage are read', async () => {
  const out = await scenario('actions.py');
  assert.deepEqual(
    [out.first.success, out.first.used_cache, out.first.set_cache],
    [true, false, true],
    JSON.stringify(out.first),
  );
  assert.deepEqual(
    [out.replay.success, out.replay.used_cache, out.replay.credits],
    [true, true, 0],
    JSON.stringify(out.replay),
  );
  assert.match(out.page, /Meeting scheduled: Review/);
  assert.deepEqual(
    out.cache.entries.map((e: any) => [e.id, e.step_count, e.replays]),
    [['py-meeting', 3, 1]],
  );
  assert.equal(out.entry.steps[0].text, '{{meeting_title}}');
  assert.equal(out.usage.actions, 5);
  assert.equal(out.usage.cached_actions, 1);
  assert.equal(out.usage.recent.length, 3);
  assert.equal(out.cache_deleted, null);
  assertRaised(out.entry_after_delete, 404, /not found/i);
});

test('sites: a manifest put, listed and read; an action run and a view read on the fixture site; a discovery streamed', async () => {
  const out = await scenario('sites.py');
  assert.equal(out.stored.slug, 'py-site');
  assert.deepEqual(out.got, out.stored);
  assert.deepEqual(
    out.listed.sites.map((s: any) => [s.slug, s.states, s.actions, s.views]),
    [['py-site', 2, 1, 1]],
  );
  assert.equal(out.action.ok, true);
  assert.deepEqual(out.action.steps.at(-1).result, { text: 'Welcome ada@example.com' });
  assert.doesNotMatch(JSON.stringify(out.action), /py-site-pass-4/);
  assert.deepEqual(out.view.items, [
    { title: 'Product 42', link: `${fixtures.url}/site/products/42.html` },
    { title: 'Product 7', link: `${fixtures.url}/site/products/7.html` },
  ]);
  assert.deepEqual(out.openapi_paths, [
    '/api/sites/py-site/actions/LoginPage/submit_login',
    '/api/sites/py-site/views/SearchPage/results',
  ]);
  assert.equal(out.docs_title, true);
  assert.deepEqual(out.bad_input, {
    raised: 'NavisError',
    status_code: 400,
    detail: "Input 'password' is required",
    message: "Input 'password' is required",
    code: null,
  });
  assertRaised(out.bad_manifest, 400, /^Invalid manifest: /);

  assert.equal(out.discovered.slug, 'py-shop');
  assert.equal(out.discovered.created, true);
  assert.ok(out.discovered.report.states >= 1, JSON.stringify(out.discovered.report));
  assert.ok(out.heard.length >= 2);
  assert.deepEqual(out.discovered.progress, out.heard);
  assert.ok(out.heard.some((e: any) => e.phase === 'done'));
  for (const event of out.heard)
    assert.deepEqual(Object.keys(event).sort(), ['message', 'pagesQueued', 'pagesVisited', 'phase']);
  assert.ok(out.events.length >= 2);
  assert.deepEqual([...new Set(out.events.slice(0, -1))], ['progress']);
  assert.equal(out.events.at(-1), 'result');
  assertRaised(out.bad_discovery, 400, /maxPages|url/);
  assert.equal(out.deleted, null);
  assertRaised(out.after_delete, 404, 'Manifest not found');
});

test('errors: NavisError is DariError, with status_code, detail, code, body and the response; a navis not reached has no status_code', async () => {
  const out = await scenario('errors.py');
  assert.equal(out.same_class, true);
  assert.deepEqual(out.wrong_key, {
    class: 'NavisError',
    status_code: 401,
    status: 401,
    detail: 'Invalid API key',
    str: 'Invalid API key',
    response: [401, { detail: 'Invalid API key' }, 'application/json; charset=utf-8'],
  });
  assertRaised(out.ttl_too_long, 400, 'TTL cannot exceed 86400 seconds (24 hours)');
  assert.deepEqual(out.browser_error, {
    status_code: 404,
    code: 'SESSION_NOT_FOUND',
    detail: 'Session not found',
    body: { error: 'Session not found', code: 'SESSION_NOT_FOUND' },
  });
  assertRaised(out.site_error, 404, 'Manifest not found');
  assertRaised(
    out.unreachable,
    null,
    /^Could not reach navis at http:\/\/127\.0\.0\.1:\d+ \(.*Connection refused\)\. .*base_url= or the NAVIS_URL/,
  );
  assertRaised(
    out.hosted_only.start_workflow,
    404,
    'No route POST /public/workflows/start/wf_1. See /docs for the API.',
  );
  assertRaised(out.hosted_only.list_phone_numbers, 404, 'No route GET /public/phone-numbers. See /docs for the API.');
  assertRaised(out.hosted_only.resume_workflow, 401, 'Invalid API key');
  assert.match(out.no_key, /api_key must be provided .*NAVIS_API_KEY/);
});
