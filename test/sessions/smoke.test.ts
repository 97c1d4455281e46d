import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startFixtureServer, type FixtureServer } from '../helpers/fixtures.js';
import { startNavis, type TestNavis } from '../helpers/navis.js';

let navis: TestNavis;
let fixtures: FixtureServer;
before(async () => {
  navis = await startNavis({ poolSize: 1 });
  fixtures = await startFixtureServer();
});
after(async () => {
  await navis.close();
  await fixtures.close();
});

test('connectOverCDP through the proxy drives the session browser', async () => {
  const created = await navis.createSession({});
  const browser = await chromium.connectOverCDP(created.cdp_url);
  const page = browser.contexts()[0].pages()[0] ?? (await browser.contexts()[0].newPage());
  await page.goto(`${fixtures.url}/index.html`);
  assert.equal(await page.title(), 'navis fixture');
  assert.deepEqual(await page.evaluate(() => [window.innerWidth, window.innerHeight]), [1280, 720]);
  await browser.close();
  await navis.terminate(created.session_id);
});
