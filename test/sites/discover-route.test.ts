// POST /api/sites/discover and `navis discover`: a crawl of the fixture shop becomes a stored
// manifest whose actions then run through seed 002's endpoint.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
before(async () => {
  navis = await startNavis({ poolSize: 0 });
  fixtures = await startFixtureServer();
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

test('a discovered site is stored and its actions execute through the endpoint', async () => {
  const res = await navis.request('POST', '/api/sites/discover', {
    key: null,
    body: { url: `${fixtures.url}/shop/index.html`, maxPages: 10, slug: 'shop' },
  });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.slug, 'shop');
  assert.ok(res.body.report.states >= 3, JSON.stringify(res.body.report));
  assert.ok(res.body.progress.some((e: any) => e.phase === 'crawl'));
  assert.ok(res.body.progress.some((e: any) => e.phase === 'done'));

  const stored = await navis.request('GET', '/api/sites/shop/manifest', { key: null });
  assert.equal(stored.status, 200);
  const login = stored.body.states.find((s: any) =>
    s.actions.some((a: any) => a.inputs.some((i: any) => i.name === 'email')),
  );
  assert.ok(login, 'a state with the login form');
  const submit = login.actions.find((a: any) => a.inputs.some((i: any) => i.name === 'email'));
  const run = await navis.request('POST', `/api/sites/shop/actions/${login.name}/${submit.name}`, {
    key: null,
    body: { email: 'user@example.com', password: 'secret-pass-123' },
  });
  assert.equal(run.status, 200, run.text);
  assert.equal(run.body.ok, true);
  assert.equal(run.body.state, login.name);
  assert.ok(Array.isArray(run.body.steps) && run.body.steps.length >= 3);
  assert.doesNotMatch(run.text, /secret-pass-123/);
});

test('a bad discover body is a 400 {"error"} naming the field', async () => {
  const res = await navis.request('POST', '/api/sites/discover', {
    key: null,
    body: { url: 'ftp://example.com', maxPages: 0 },
  });
  assert.equal(res.status, 400);
  assert.equal(typeof res.body.error, 'string');
  assert.match(res.body.error, /maxPages|url/);
});

test('`navis discover` streams progress and writes the manifest with --out', async () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'navis-cli-')), 'shop.json');
  const cli = path.join(import.meta.dirname, '..', '..', 'src', 'cli.ts');
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number }>((resolve) =>
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        cli,
        'discover',
        `${fixtures.url}/shop/index.html`,
        '--server',
        navis.base,
        '--max-pages',
        '5',
        '--slug',
        'shop-cli',
        '--no-verify',
        '--out',
        out,
      ],
      { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NAVIS_API_KEY: '' } },
      (error, stdout, stderr) =>
        resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 }),
    ),
  );
  assert.equal(code, 0, stderr);
  assert.match(stderr, /\[crawl\]/);
  assert.match(stdout, /manifest 'shop-cli'/);
  assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).slug, 'shop-cli');
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});
