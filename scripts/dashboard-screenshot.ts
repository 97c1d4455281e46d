// Makes docs/dashboard.png, the picture of the dashboard in the README: a navis of its own (temp
// data dir, random port) with a few sessions, its Sessions page signed in, in a real Chromium.
//
//   node --import tsx scripts/dashboard-screenshot.ts [out.png]
//
// Chromium is found as navis finds it (CHROME_PATH, else the usual places).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { chromium } from 'playwright-core';
import { buildApp } from '../src/app.js';
import { findChrome } from '../src/browsers/find-chrome.js';
import { loadConfig } from '../src/config.js';

const out = path.resolve(process.argv[2] ?? 'docs/dashboard.png');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-screenshot-'));
const apiKey = `nv_screenshot_${randomBytes(16).toString('hex')}`;
const config = loadConfig(undefined, { dataDir, port: 0, apiKey, poolSize: 0, logLevel: 'error' });
const navis = await buildApp(config, pino({ level: config.logLevel }, pino.destination(2)));
const browser = await chromium.launch({ executablePath: findChrome(config.chromePath), args: ['--no-sandbox'] });
try {
  const base = await navis.listen();
  const call = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(base + urlPath, {
      method,
      headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? {} : ((await res.json()) as Record<string, string>);
  };
  const profile = await call('POST', '/public/browser-profiles', { name: 'shop login' });
  const ended = await call('POST', '/public/sessions', { ttl: 600 });
  await call('POST', `/public/sessions/${ended.session_id}/terminate`);
  await call('POST', '/public/sessions', { ttl: 1800, screen_config: { width: 1024, height: 768 } });
  await call('POST', '/public/sessions', { ttl: 3600, profile_id: profile.id });

  const page = await browser.newPage({ viewport: { width: 1200, height: 560 } });
  await page.goto(`${base}/`);
  await page.getByLabel('API key').fill(apiKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('tr[data-session]').nth(2).waitFor();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await navis.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
