// The TypeScript SDK (sdk/typescript, imported from its source) against a live navis with real
// Chromium: every resource on pages the test serves on 127.0.0.1, errors as NavisError, and
// Playwright on a session's cdp_url.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium } from 'playwright-core';
import { Navis, NavisError, type Session } from '../../sdk/typescript/src/index.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
let client: Navis;
/** The session most tests work in (the admin key's tenant may open 127.0.0.1). */
let session: Session;
before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer();
  client = new Navis({ apiKey: ADMIN_KEY, baseUrl: navis.base });
  session = await client.sessions.create({ ttl: 600, metadata: { by: 'sdk test' } });
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

const page = (name: string) => `${fixtures.url}/site/${name}`;

/** The NavisError `promise` rejects with. */
async function refusal(promise: Promise<unknown>): Promise<NavisError> {
  const error = await promise.then(
    () => assert.fail('expected a NavisError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof NavisError, String(error));
  return error;
}

describe('sessions', () => {
  test('create answers the /public session: cdp_url, live_url in metadata, snake_case fields', () => {
    assert.match(session.session_id, /^[0-9a-f-]{36}$/);
    assert.equal(session.status, 'active');
    assert.match(session.cdp_url, /^ws:\/\//);
    assert.match(String(session.metadata.live_url), /\/live\//);
    assert.equal(session.metadata.by, 'sdk test');
    assert.deepEqual(session.screen_config, { width: 1280, height: 720 });
  });

  test('get, list and update', async () => {
    assert.equal((await client.sessions.get(session.session_id)).session_id, session.session_id);
    const listed = await client.sessions.list({ status_filter: 'active', limit: 10 });
    assert.ok(listed.total >= 1);
    assert.ok(listed.sessions.some((s) => s.session_id === session.session_id));
    const updated = await client.sessions.update(session.session_id, { metadata: { step: 2 }, ttl: 500 });
    assert.equal(updated.ttl, 500);
    assert.deepEqual({ by: updated.metadata.by, step: updated.metadata.step }, { by: 'sdk test', step: 2 });
  });

  test('terminate ends a session and delete removes one', async () => {
    const other = await client.sessions.create();
    assert.equal(await client.sessions.terminate(other.session_id), undefined);
    assert.equal((await client.sessions.get(other.session_id)).status, 'terminated');
    await client.sessions.delete(other.session_id);
    assert.equal((await refusal(client.sessions.get(other.session_id))).status, 404);
  });
});

describe('tasks, PDF and screenshots', () => {
  test('a task runs on a page the test serves and answers its results, screenshot and content', async () => {
    const result = await client.tasks.run(session.session_id, {
      url: page('login.html'),
      actions: [
        { type: 'type', selector: '#email', text: 'sdk@example.com' },
        { type: 'evaluate', script: "document.querySelector('#email').value" },
      ],
      screenshot: {},
      content: true,
    });
    assert.equal(result.url, page('login.html'));
    assert.equal(result.actionResults[1].value, 'sdk@example.com');
    assert.ok(result.screenshot && result.screenshot.length > 100);
    assert.match(result.content?.html ?? '', /id="login"/);
    assert.ok(result.stepLog.every((step) => step.status === 'ok'));
  });

  test('pdf answers PDF bytes and screenshot PNG or JPEG bytes', async () => {
    const pdf = await client.tasks.pdf(session.session_id, { format: 'A4' });
    assert.equal(Buffer.from(pdf.subarray(0, 5)).toString(), '%PDF-');
    const png = await client.tasks.screenshot(session.session_id);
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    const jpeg = await client.tasks.screenshot(session.session_id, { type: 'jpeg', quality: 50 });
    assert.deepEqual([...jpeg.subarray(0, 2)], [0xff, 0xd8]);
  });

  test("Playwright connects to the session's cdp_url and sees the page the task opened", async () => {
    const browser = await chromium.connectOverCDP(session.cdp_url);
    try {
      const [tab] = browser.contexts()[0].pages();
      assert.equal(tab.url(), page('login.html'));
      assert.equal(await tab.inputValue('#email'), 'sdk@example.com');
    } finally {
      await browser.close();
    }
  });

  test('a failed step throws NavisError with the code and the step log in its body', async () => {
    const error = await refusal(
      client.tasks.run(session.session_id, { actions: [{ type: 'extract', selector: '#nothing', timeoutMs: 300 }] }),
    );
    assert.equal(error.status, 404);
    assert.equal(error.code, 'SELECTOR_NOT_FOUND');
    assert.match(error.message, /#nothing/);
    assert.ok(Array.isArray((error.body as { stepLog?: unknown }).stepLog));
  });
});

describe('files', () => {
  test('upload, list, download and delete', async () => {
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    const uploaded = await client.files.upload(session.session_id, 'data.bin', bytes);
    assert.deepEqual(
      uploaded.files.map((f) => [f.filename, f.size]),
      [['data.bin', 6]],
    );
    await client.files.upload(session.session_id, 'note.txt', 'hello from the SDK');
    const listed = await client.files.list(session.session_id);
    assert.deepEqual(listed.files.map((f) => f.filename).sort(), ['data.bin', 'note.txt']);
    assert.deepEqual(await client.files.download(session.session_id, 'data.bin'), bytes);
    assert.equal(
      Buffer.from(await client.files.download(session.session_id, 'note.txt')).toString(),
      'hello from the SDK',
    );
    await client.files.delete(session.session_id, 'data.bin');
    const gone = await refusal(client.files.download(session.session_id, 'data.bin'));
    assert.deepEqual([gone.status, gone.code], [404, 'FILE_NOT_FOUND']);
  });
});

describe('profiles and credentials', () => {
  test('profiles: create, list, get, start a session with one, delete', async () => {
    const profile = await client.profiles.create('sdk profile');
    assert.deepEqual(Object.keys(profile).sort(), ['created_at', 'id', 'name']);
    assert.ok((await client.profiles.list()).profiles.some((p) => p.id === profile.id));
    assert.equal((await client.profiles.get(profile.id)).name, 'sdk profile');
    const withProfile = await client.sessions.create({ profile_id: profile.id });
    assert.equal(withProfile.profile_id, profile.id);
    await client.sessions.terminate(withProfile.session_id);
    await client.profiles.delete(profile.id);
    assert.equal((await refusal(client.profiles.get(profile.id))).message, 'Browser profile not found');
  });

  test('credentials: create, list, get, update, delete, and the secrets never come back', async () => {
    const credential = await client.credentials.create({
      name: 'fixture login',
      allowedDomains: ['127.0.0.1'],
      username: 'sdk@example.com',
      password: 'sdk-secret-password',
    });
    assert.deepEqual(credential.allowedDomains, ['127.0.0.1']);
    assert.ok((await client.credentials.list()).credentials.some((c) => c.id === credential.id));
    const renamed = await client.credentials.update(credential.id, { name: 'renamed' });
    assert.equal(renamed.name, 'renamed');
    assert.equal((await client.credentials.get(credential.id)).name, 'renamed');
    assert.doesNotMatch(JSON.stringify(await client.credentials.get(credential.id)), /sdk-secret-password|sdk@/);
    await client.credentials.delete(credential.id);
    const gone = await refusal(client.credentials.get(credential.id));
    assert.deepEqual([gone.status, gone.code], [404, 'CREDENTIAL_NOT_FOUND']);
  });
});

describe('act, the step cache and usage', () => {
  test('act runs a natural-language action, caches it under its id and replays it from the cache', async () => {
    const body = { action: `go to ${page('login.html')}`, session_id: session.session_id, id: 'sdk-open-login' };
    const first = await client.act(body);
    assert.equal(first.success, true, first.error);
    assert.equal(first.used_cache, false);
    const again = await client.act(body);
    assert.equal(again.used_cache, true);

    const entry = await client.stepCache.get('sdk-open-login');
    assert.ok(entry.steps.length >= 1);
    assert.ok((await client.stepCache.list()).entries.some((e) => e.id === 'sdk-open-login'));
    const usage = await client.usage();
    assert.ok(usage.actions >= 2 && usage.cached_actions >= 1, JSON.stringify(usage));
    assert.equal(usage.recent[0].id, 'sdk-open-login');
    await client.stepCache.delete('sdk-open-login');
    assert.equal((await refusal(client.stepCache.get('sdk-open-login'))).status, 404);
  });
});

describe('sites', () => {
  const manifest = () => ({
    name: 'SDK site',
    baseUrl: page(''),
    states: [
      {
        name: 'LoginPage',
        url: 'login.html',
        actions: [
          {
            name: 'fill_email',
            inputs: [{ name: 'email', required: true }],
            steps: [{ type: 'type' as const, selector: '#email', text: '{{email}}' }],
          },
        ],
        views: [
          {
            name: 'form',
            kind: 'record' as const,
            selector: '#login',
            fields: [{ name: 'button', selector: '#submit' }],
          },
        ],
      },
    ],
  });

  test('put, list, get, run an action, read a view, delete', async () => {
    const stored = await client.sites.put('sdk-site', manifest());
    assert.equal(stored.slug, 'sdk-site');
    assert.equal(stored.states[0].actions[0].inputs[0].type, 'string', 'answered as stored, defaults filled in');
    assert.ok((await client.sites.list()).sites.some((s) => s.slug === 'sdk-site'));
    assert.deepEqual(await client.sites.get('sdk-site'), stored);
    const ran = await client.sites.run('sdk-site', 'LoginPage', 'fill_email', { email: 'a@example.com' });
    assert.deepEqual([ran.ok, ran.state], [true, 'LoginPage']);
    const inSession = await client.sites.run(
      'sdk-site',
      'LoginPage',
      'fill_email',
      { email: 'b@example.com' },
      {
        session_id: session.session_id,
      },
    );
    assert.equal(inSession.ok, true);
    const view = await client.sites.view('sdk-site', 'LoginPage', 'form');
    assert.deepEqual(view.record, { button: 'Log in' });
    await client.sites.delete('sdk-site');
    const gone = await refusal(client.sites.get('sdk-site'));
    assert.deepEqual([gone.status, gone.message, gone.code], [404, 'Manifest not found', undefined]);
  });

  test('discover yields progress events as they happen, then the result', async () => {
    const events = [];
    for await (const event of client.sites.discover({ url: page('login.html'), maxPages: 1, verify: false })) {
      events.push(event);
    }
    const result = events.at(-1);
    assert.equal(result?.type, 'result');
    assert.ok(events.slice(0, -1).length > 0 && events.slice(0, -1).every((e) => e.type === 'progress'));
    if (result?.type !== 'result') return;
    assert.equal(result.report.pagesVisited, 1);
    assert.equal((await client.sites.get(result.slug)).slug, result.slug);
  });

  test('a discovery that fails throws NavisError with the status and code of its error line', async () => {
    const error = await refusal(
      (async () => {
        for await (const _ of client.sites.discover({ url: 'ftp://example.com/' })) void _;
      })(),
    );
    assert.equal(error.status, 400);
    assert.equal(typeof error.code, 'string');
    assert.match(error.message, /ftp|http/i);
  });
});

describe('errors', () => {
  test("a /public refusal carries the status and the server's detail, without a code", async () => {
    const error = await refusal(client.sessions.get('00000000-0000-4000-8000-000000000000'));
    assert.deepEqual([error.status, error.message, error.code], [404, 'Session not found', undefined]);
    assert.deepEqual(error.body, { detail: 'Session not found' });
  });

  test('a wrong key is a 401 NavisError', async () => {
    const error = await refusal(new Navis({ apiKey: 'wrong', baseUrl: navis.base }).sessions.list());
    assert.deepEqual([error.status, error.message], [401, 'Invalid API key']);
  });

  test('an invalid body is a 400 naming the field', async () => {
    const error = await refusal(client.sessions.create({ screen_config: { width: 1, height: 1 } }));
    assert.equal(error.status, 400);
    assert.match(error.message, /screen_config/);
  });

  test('a navis that cannot be reached is a NavisError with status 0 naming the address', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await refusal(new Navis({ baseUrl: `http://127.0.0.1:${port}/` }).sessions.list());
    assert.equal(error.status, 0);
    assert.equal(error.message.split(' (')[0], `Could not reach navis at http://127.0.0.1:${port}`);
    assert.match(error.message, /ECONNREFUSED/);
  });
});
