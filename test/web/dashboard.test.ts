// The dashboard at / as a person uses it: a real Chromium against a real navis. Sign in with an
// API key, create a session, watch it live, terminate it; every page loads without a console
// error; a wrong key shows navis's own message; only the admin key sees Tenants and keys.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { ADMIN_KEY, startNavis, waitFor, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
let browser: Browser;

before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer();
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
});
after(async () => {
  await browser?.close();
  await navis?.close();
  await fixtures?.close();
});

/** A fresh tab (its own sessionStorage) that records every console error and uncaught page error. */
async function openDashboard(): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(`${navis.base}/`);
  return { page, problems, close: () => context.close() };
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Clicks a page's link in the navigation and waits until its data is on screen. */
async function visit(page: Page, label: string, heading = label): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  await waitFor(async () => (await page.getByText('Loading…').count()) === 0, `${label} to load`);
}

test('the dashboard is served by navis with a strict CSP, its runtime from the package', async () => {
  const index = await fetch(`${navis.base}/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type') ?? '', /text\/html/);
  const csp = index.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const runtime = await fetch(`${navis.base}/ui/vendor/preact-htm.js`);
  assert.equal(runtime.status, 200);
  assert.match(runtime.headers.get('content-type') ?? '', /javascript/);
  assert.match(await runtime.text(), /export\{.*html/);
  assert.equal((await fetch(`${navis.base}/ui/nope.js`)).status, 404);
  assert.equal((await fetch(`${navis.base}/ui/../package.json`)).status, 404);
});

test('a wrong key shows navis’s own error and stays on the sign-in form', async () => {
  const { page, problems, close } = await openDashboard();
  try {
    await page.getByLabel('API key').fill('nv_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Invalid API key' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('navis.apiKey')), null);
    // The 401 itself is the one console line Chromium writes (a failed resource); nothing threw.
    assert.deepEqual(
      problems.filter((p) => !/status of 401/.test(p)),
      [],
    );
  } finally {
    await close();
  }
});

test('sign in, create a session, see it listed, watch it live, terminate it and see its status change', async () => {
  const key = await navis.newTenant('dashboard-user');
  const { page, problems, close } = await openDashboard();
  try {
    await signIn(page, key);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('navis.apiKey')), key);
    await page.getByRole('form', { name: 'Create session' }).getByLabel('TTL (s)').fill('900');
    await page.getByRole('button', { name: 'Create session' }).click();
    const row = page.locator('tr[data-session]').first();
    await row.waitFor();
    const id = (await row.getAttribute('data-session'))!;
    const listed = await navis.request('GET', `/browser/sessions/${id}`, { key });
    assert.equal(listed.status, 200, 'the session is the tenant’s');
    assert.equal(listed.body.ttlSeconds, 900);
    assert.equal(await row.locator('.badge').textContent(), 'active');

    await row.getByRole('link').click();
    const live = page.frameLocator('iframe[title="Live view"]');
    await live.locator('canvas').waitFor();
    const frame = page.frame({ url: /\/live\// });
    assert.ok(frame, 'the live view page is framed');
    await frame.waitForFunction(() => {
      const state = (window as unknown as { __navisLive?: { frames: number; connected: boolean } }).__navisLive;
      return state?.connected === true && state.frames > 0;
    });

    await page.getByRole('button', { name: 'Terminate' }).click();
    await page.getByRole('button', { name: 'Yes, terminate' }).click();
    await page.locator('table.facts .badge-terminated').waitFor();
    await page.getByText('(terminated_by_user)').waitFor();
    assert.equal(await page.locator('iframe[title="Live view"]').count(), 0, 'the live view closes with the session');

    await page.getByRole('link', { name: '← Sessions' }).click();
    await page.locator(`tr[data-session="${id}"] .badge`).filter({ hasText: 'terminated' }).waitFor();
    assert.equal((await navis.request('GET', `/browser/sessions/${id}`, { key })).body.status, 'terminated');
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('a session’s files upload, download and delete; its runs show their steps and a picture', async () => {
  const session = await navis.createSession({});
  const id = session.session_id as string;
  const task = await navis.request('POST', `/browser/sessions/${id}/tasks`, {
    body: { url: `${fixtures.url}/index.html`, actions: [{ type: 'wait', selector: 'body' }] },
  });
  assert.equal(task.status, 201, task.text);
  await waitFor(
    async () => (await navis.request('GET', `/browser/sessions/${id}/runs`)).body.runs[0]?.screenshot,
    'the run’s picture',
  );
  const { page, problems, close } = await openDashboard();
  try {
    await signIn(page, ADMIN_KEY);
    await page.goto(`${navis.base}/#/sessions/${id}`);
    await page.getByRole('heading', { name: 'Files' }).waitFor();

    await page.getByLabel('Files to upload').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello from the dashboard'),
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const fileRow = page.locator('table.files tr', { hasText: 'notes.txt' });
    await fileRow.waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      fileRow.getByRole('button', { name: 'Download' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'notes.txt');
    assert.equal(fs.readFileSync(await download.path(), 'utf8'), 'hello from the dashboard');
    await fileRow.getByRole('button', { name: 'Delete' }).click();
    await fileRow.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('No files.').waitFor();

    const run = page.locator('details.run').first();
    await run.locator('summary').click();
    await run.getByText('actions[0] (wait)').waitFor();
    await run.getByText('url', { exact: true }).waitFor();
    assert.equal(await run.locator('img.thumb').count(), 1);
    assert.equal(await run.locator('.badge-ok').count(), 1);
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('every page loads without a console error, with data on it', async () => {
  const session = await navis.createSession({});
  const action = await navis.request('POST', '/public/single-actions/run-action', {
    body: { action: `Navigate to ${fixtures.url}/sa-home.html`, session_id: session.session_id, id: 'home' },
  });
  assert.equal(action.body.success, true, action.text);
  const manifest = JSON.parse(fs.readFileSync('test/fixtures/site/manifest.json', 'utf8'));
  const put = await navis.request('PUT', '/api/sites/fixture-site/manifest', {
    body: { ...manifest, baseUrl: `${fixtures.url}/site/` },
  });
  assert.equal(put.status, 201, put.text);
  await navis.createProfile('dashboard profile');
  const { page, problems, close } = await openDashboard();
  try {
    await signIn(page, ADMIN_KEY);
    await visit(page, 'Sessions');
    await page.locator(`tr[data-session="${session.session_id}"]`).waitFor();
    await page.locator(`tr[data-session="${session.session_id}"] a`).click();
    await page.getByRole('heading', { name: 'Recent tasks and actions' }).waitFor();
    await page.locator('details.run').filter({ hasText: 'sa-home.html' }).waitFor();

    await visit(page, 'Step cache');
    await page.getByRole('link', { name: 'home', exact: true }).click();
    await page.getByRole('heading', { name: 'Steps' }).waitFor();
    await page.locator('ol.cached-steps li').first().waitFor();

    await visit(page, 'Sites');
    await page.getByRole('link', { name: 'fixture-site' }).click();
    const view = page.getByRole('form', { name: 'LoginPage.views.form' });
    await view.getByRole('button', { name: 'Read' }).click();
    await view.locator('pre.answer').filter({ hasText: '"emailType": "email"' }).waitFor();

    await visit(page, 'Usage');
    await page
      .locator('figure.chart rect.bar-actions')
      .filter({ hasText: /: [1-9]\d* actions/ })
      .waitFor();
    await visit(page, 'Profiles');
    await page.getByRole('cell', { name: 'dashboard profile' }).waitFor();
    await visit(page, 'Credentials');
    await visit(page, 'Tenants and keys');
    await page.getByRole('link', { name: 'default' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await close();
    await navis.terminate(session.session_id);
  }
});

test('a discovery started from the Sites page shows its progress as it goes, then the manifest', async () => {
  const { page, problems, close } = await openDashboard();
  try {
    await signIn(page, ADMIN_KEY);
    await visit(page, 'Sites');
    const form = page.getByRole('form', { name: 'Discover a site' });
    await form.getByLabel('Start URL').fill(`${fixtures.url}/shop/index.html`);
    await form.getByLabel('Pages').fill('3');
    await form.getByLabel('Slug').fill('dash-shop');
    await form.getByLabel('try each safe action').uncheck();
    await form.getByRole('button', { name: 'Discover' }).click();
    await form.getByRole('list', { name: 'Discovery progress' }).getByRole('listitem').first().waitFor();
    await form.getByText('Manifest dash-shop created', { exact: false }).waitFor({ timeout: 60_000 });
    await page.locator('table').getByRole('link', { name: 'dash-shop' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('the admin key sees Tenants and keys and a new key once; a tenant key does not see them', async () => {
  const { page, problems, close } = await openDashboard();
  try {
    await signIn(page, ADMIN_KEY);
    await visit(page, 'Tenants and keys');
    await page.getByRole('form', { name: 'Create tenant' }).getByLabel('Name').fill('from-the-dashboard');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    const shown = page.getByLabel('New API key');
    await shown.waitFor();
    const newKey = await shown.inputValue();
    assert.ok(newKey.length > 20);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, newKey);
    await page.getByRole('heading', { name: 'Sessions', level: 1 }).waitFor();
    await page.getByText('from-the-dashboard').waitFor();
    assert.equal(await page.getByRole('link', { name: 'Tenants and keys' }).count(), 0);
    await page.goto(`${navis.base}/#/tenants`);
    await page.getByRole('alert').filter({ hasText: 'This page needs the admin API key.' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});

test('the live view may be framed by navis’s own pages only', async () => {
  const session = await navis.createSession({});
  try {
    const res = await fetch(session.metadata.live_url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-security-policy'), "frame-ancestors 'self'");
  } finally {
    await navis.terminate(session.session_id);
  }
});
