// seed 002's limits on site executions: at most NAVIS_MAX_SITE_EXECUTIONS at once (429 beyond,
// with the seed's exact body), one shared Chromium that is relaunched when it dies, and no context,
// page or process left behind after many executions.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CdpConnection } from '../../src/browsers/cdp.js';
import { loadConfig } from '../../src/config.js';
import type { ManifestRunner } from '../../src/sites/runner.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, waitFor, type TestNavis } from '../helpers/navis.js';

const SLUG = 'fixture-site';
const MANIFEST = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'site', 'manifest.json'), 'utf8'),
);

let fixture: FixtureServer;
before(async () => {
  fixture = await startFixtureServer();
});
after(async () => {
  await fixture.close();
});

async function startWithManifest(overrides: Record<string, unknown> = {}): Promise<TestNavis> {
  const navis = await startNavis(overrides);
  const put = await navis.request('PUT', `/api/sites/${SLUG}/manifest`, {
    body: { ...MANIFEST, baseUrl: `${fixture.url}/site/` },
  });
  assert.equal(put.status, 201, put.text);
  return navis;
}

const execute = (navis: TestNavis, state: string, action: string) =>
  navis.request('POST', `/api/sites/${SLUG}/actions/${state}/${action}`, { body: {} });

/** Chromium browser processes (not their renderers and helpers) running on a user-data dir of this navis. */
function browserProcessesOf(dataDir: string): number[] {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  return lines
    .filter((line) => line.includes(`--user-data-dir=${dataDir}`) && !line.includes('--type='))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** The contexts (besides the default one) and pages the shared browser holds, asked over CDP. */
async function openInBrowser(runner: ManifestRunner): Promise<{ contexts: number; pages: number }> {
  const cdp = await CdpConnection.connect(runner.sharedBrowser!.wsEndpoint);
  try {
    const { browserContextIds } = await cdp.send<{ browserContextIds: string[] }>('Target.getBrowserContexts');
    const { targetInfos } = await cdp.send<{ targetInfos: Array<{ type: string }> }>('Target.getTargets');
    return { contexts: browserContextIds.length, pages: targetInfos.filter((t) => t.type === 'page').length };
  } finally {
    cdp.close();
  }
}

test('NAVIS_MAX_SITE_EXECUTIONS sets the limit, 3 by default', () => {
  assert.equal(loadConfig({}).maxSiteExecutions, 3);
  assert.equal(loadConfig({ NAVIS_MAX_SITE_EXECUTIONS: '5' }).maxSiteExecutions, 5);
});

test('NAVIS_SITE_SETTLE_QUIET_MS and NAVIS_SITE_SETTLE_MAX_MS bound the settle wait: 100 ms and 3 s by default', () => {
  const defaults = loadConfig({});
  assert.deepEqual([defaults.siteSettleQuietMs, defaults.siteSettleMaxMs], [100, 3000]);
  const set = loadConfig({ NAVIS_SITE_SETTLE_QUIET_MS: '250', NAVIS_SITE_SETTLE_MAX_MS: '10000' });
  assert.deepEqual([set.siteSettleQuietMs, set.siteSettleMaxMs], [250, 10000]);
  assert.throws(() => loadConfig({ NAVIS_SITE_SETTLE_QUIET_MS: 'soon' }), /NAVIS_SITE_SETTLE_QUIET_MS/);
});

describe('with the default limit of 3', () => {
  let navis: TestNavis;
  let runner: ManifestRunner;
  before(async () => {
    navis = await startWithManifest();
    runner = navis.navis.services.siteRunner;
  });
  after(async () => {
    await navis.close();
  });

  test('a 4th concurrent execution answers 429 with the seed body; once they finish a 5th succeeds', async () => {
    const running = [1, 2, 3].map(() => execute(navis, 'SlowPage', 'press_late'));
    await waitFor(() => runner.activeExecutions === 3, 'three executions to run');
    const fourth = await execute(navis, 'SlowPage', 'press_late');
    assert.equal(fourth.status, 429, fourth.text);
    assert.deepEqual(fourth.body, { error: 'Max concurrent executions (3) reached. Try again later.' });
    for (const res of await Promise.all(running)) assert.equal(res.status, 200, res.text);
    assert.equal(runner.activeExecutions, 0);
    const fifth = await execute(navis, 'SlowPage', 'press_late');
    assert.equal(fifth.status, 200, fifth.text);
  });

  test('50 sequential executions leave no context, page or Chromium process behind', async () => {
    assert.equal((await execute(navis, 'LoginPage', 'look')).status, 200);
    const { pid } = runner.sharedBrowser!;
    const before = await openInBrowser(runner);
    for (let i = 0; i < 50; i++) {
      const res = await execute(navis, 'LoginPage', i % 10 === 9 ? 'broken' : 'look');
      assert.equal(res.status, i % 10 === 9 ? 500 : 200, res.text);
    }
    assert.equal(runner.openContexts, 0);
    assert.equal(runner.sharedBrowser!.pid, pid, 'the shared browser was replaced');
    assert.deepEqual(await openInBrowser(runner), before);
    assert.equal(before.contexts, 0);
    assert.deepEqual(browserProcessesOf(navis.dataDir), [pid]);
  });

  test('a shared browser that died is replaced on the next execution', async () => {
    assert.equal((await execute(navis, 'LoginPage', 'look')).status, 200);
    const { pid } = runner.sharedBrowser!;
    process.kill(-pid, 'SIGKILL');
    await waitFor(() => runner.sharedBrowser === undefined, 'the shared browser to be seen gone');
    const res = await execute(navis, 'LoginPage', 'look');
    assert.equal(res.status, 200, res.text);
    assert.notEqual(runner.sharedBrowser!.pid, pid);
    assert.deepEqual(browserProcessesOf(navis.dataDir), [runner.sharedBrowser!.pid]);
  });

  test('closing navis closes the shared browser', async () => {
    const { pid } = runner.sharedBrowser!;
    await navis.close();
    assert.deepEqual(browserProcessesOf(navis.dataDir), []);
    assert.throws(() => process.kill(pid, 0));
  });
});

test('the 429 message shows the configured limit', async () => {
  const navis = await startWithManifest({ maxSiteExecutions: 1 });
  try {
    const first = execute(navis, 'SlowPage', 'press_late');
    await waitFor(() => navis.navis.services.siteRunner.activeExecutions === 1, 'one execution to run');
    const second = await execute(navis, 'LoginPage', 'look');
    assert.equal(second.status, 429, second.text);
    assert.deepEqual(second.body, { error: 'Max concurrent executions (1) reached. Try again later.' });
    assert.equal((await first).status, 200);
  } finally {
    await navis.close();
  }
});
