// bench/sites: what one manifest action costs through navis' endpoint compared with raw playwright-core
// doing new context + goto + the same steps, in one process, interleaved run by run.
//
//   navis          POST /api/sites/fixture-site/actions/LoginPage/submit_login until the JSON is parsed
//                  (navis: fresh context of its shared Chromium, goto, waits for the DOM to settle, steps)
//   raw            browser.newContext -> newPage -> goto(login.html, load) -> the same five steps -> context.close
//   raw + settle   the same, with navis' quiet window (QUIET_MS) of waiting after `load`: what navis would
//                  wait on a page that changed after load; on a page quiet since load navis waits ~2 frames
//
// The action (test/fixtures/site/manifest.json): type #email, type #password, click #submit,
// wait for the text "Welcome <email>", extract #welcome.
//
// Usage: node --import tsx bench/sites.ts [--runs N] [--warmup N] [--quick] [--json]
// Exits 0 whether or not the goal is met (it is a measurement); non-zero only when something failed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { buildApp, type Navis } from '../src/app.js';
import { findChrome } from '../src/browsers/find-chrome.js';
import { loadConfig } from '../src/config.js';
import { QUIET_MS } from '../src/actions/settle.js';
import { startFixtureServer, type FixtureServer } from '../test/helpers/fixtures.js';
import {
  cpuBusyShare,
  describeMachine,
  machineLines,
  ms,
  rounded,
  sleep,
  summarize,
  table,
  type Stats,
  parseRunOptions,
  rawLaunchOptions,
  runBench,
  runUsage,
  statRow,
  ratioRow,
  STATS_HEADER,
  type RunSpec,
} from './lib.js';

const MIN_RUNS = 30;
const QUICK_RUNS = 5;
const STEP_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 60_000;
const GOAL_RATIO = 1.2; // navis p50 <= 1.2 x raw p50
const BUSY_SHARE = 0.25; // CPU busy before the start above this: warn that the numbers are noisy

const SLUG = 'fixture-site';
const STATE = 'LoginPage';
const ACTION = 'submit_login';
const PASSWORD = 'bench-Secret-123';
const MANIFEST_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'site',
  'manifest.json',
);

const RAW_LAUNCH = rawLaunchOptions(REQUEST_TIMEOUT_MS);

const SPEC: RunSpec = { script: 'bench/sites.ts', minRuns: MIN_RUNS, quickRuns: QUICK_RUNS, minWarmup: 0 };
const USAGE = runUsage(SPEC);

const SIDES = ['navis', 'raw', 'rawSettle'] as const;
type Side = (typeof SIDES)[number];
const LABEL: Record<Side, string> = { navis: 'navis action', raw: 'raw', rawSettle: 'raw + settle' };

interface NavisSample {
  total: number;
  /** The start step's durationMs: navigating to the state's URL and waiting for it to settle. */
  start: number;
  /** The action's steps' durationMs as navis reported them, in order. */
  steps: number[];
}

interface RawSample {
  total: number;
  open: number; // newContext + newPage
  goto: number;
  settle: number;
  steps: number;
  close: number;
}

/** What is open at any moment, so that an error or Ctrl-C never leaves a Chromium running. */
const open: { navis?: Navis; fixtures?: FixtureServer; dataDir?: string; browser?: Browser } = {};

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    const quiet = (p: Promise<unknown> | undefined) =>
      p?.catch((err: Error) => console.error(`cleanup: ${err.message}`));
    await quiet(open.browser?.close());
    // Closes the shared browser of site executions and empties the warm pool.
    await quiet(open.navis?.close());
    await quiet(open.fixtures?.close());
    if (open.dataDir) fs.rmSync(open.dataDir, { recursive: true, force: true, maxRetries: 3 });
  })());
}

async function main(): Promise<void> {
  const opts = parseRunOptions(process.argv.slice(2), SPEC);
  const progress = (line: string) => (opts.json ? process.stderr : process.stdout).write(line);
  const executablePath = findChrome(process.env.CHROME_PATH || undefined);
  const machine = describeMachine();
  const cpuBusyBefore = await cpuBusyShare(2000);

  // The login page POSTs here on submit; answered as the tests answer it.
  open.fixtures = await startFixtureServer({
    routes: {
      '/site-api/login': async (req, res) => {
        for await (const _ of req);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      },
    },
  });
  const baseUrl = `${open.fixtures.url}/site/`;
  const loginUrl = `${baseUrl}login.html`;

  open.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-bench-'));
  const apiKey = `nv_bench_${randomBytes(16).toString('hex')}`;
  const config = loadConfig(
    {},
    { dataDir: open.dataDir, port: 0, apiKey, poolSize: 1, logLevel: 'warn', chromePath: executablePath },
  );
  const navis = (open.navis = await buildApp(config, pino({ level: config.logLevel }, pino.destination(2))));
  const base = await navis.listen();

  const api = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(base + urlPath, {
      method,
      headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, text };
  };

  const manifest = JSON.parse(fs.readFileSync(MANIFEST_FILE, 'utf8'));
  const put = await api('PUT', `/api/sites/${SLUG}/manifest`, { ...manifest, baseUrl });
  if (put.status !== 201 && put.status !== 200) throw new Error(`PUT manifest answered ${put.status}: ${put.text}`);
  const actionSteps: Array<{ type: string }> = manifest.states
    .find((s: any) => s.name === STATE)
    .actions.find((a: any) => a.name === ACTION).steps;

  open.browser = await chromium.launch({ executablePath, ...RAW_LAUNCH });
  const browser = open.browser;
  const chromiumVersion = browser.version();

  const navisRun = async (i: number): Promise<NavisSample> => {
    const email = `user${i + 1000}@example.com`;
    const t0 = performance.now();
    const res = await api('POST', `/api/sites/${SLUG}/actions/${STATE}/${ACTION}`, { email, password: PASSWORD });
    const body =
      res.status === 200
        ? (JSON.parse(res.text) as {
            ok: boolean;
            steps: Array<{ index: number | null; durationMs: number; result?: { text?: string } }>;
          })
        : undefined;
    const total = performance.now() - t0;
    if (!body?.ok) throw new Error(`the action answered ${res.status}: ${res.text}`);
    const text = body.steps.at(-1)?.result?.text;
    if (text !== `Welcome ${email}`) throw new Error(`navis extracted ${JSON.stringify(text)}, not "Welcome ${email}"`);
    const start = body.steps.find((s) => s.index === null)?.durationMs ?? 0;
    return { total, start, steps: body.steps.filter((s) => s.index !== null).map((s) => s.durationMs) };
  };

  const rawRun = async (i: number, settleMs: number): Promise<RawSample> => {
    const email = `user${i + 1000}@example.com`;
    const t0 = performance.now();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const t1 = performance.now();
      await page.goto(loginUrl, { waitUntil: 'load', timeout: REQUEST_TIMEOUT_MS });
      const t2 = performance.now();
      if (settleMs > 0) await sleep(settleMs);
      const t3 = performance.now();
      const timeout = STEP_TIMEOUT_MS;
      await page.locator('#email').first().fill(email, { timeout });
      await page.locator('#password').first().fill(PASSWORD, { timeout });
      await page.locator('#submit').first().click({ timeout });
      await page.getByText(`Welcome ${email}`).first().waitFor({ state: 'visible', timeout });
      const text = await page.locator('#welcome').first().textContent({ timeout });
      const t4 = performance.now();
      if (text !== `Welcome ${email}`) throw new Error(`raw read ${JSON.stringify(text)}, not "Welcome ${email}"`);
      await context.close();
      const t5 = performance.now();
      return { total: t5 - t0, open: t1 - t0, goto: t2 - t1, settle: t3 - t2, steps: t4 - t3, close: t5 - t4 };
    } finally {
      await context.close().catch(() => {}); // no-op once closed
    }
  };

  progress(
    `navis ${base} (pool 1), fixtures ${open.fixtures.url}; ${opts.warmup} warm-up + ${opts.runs} measured iterations, 3 sides interleaved\n`,
  );
  const navisSamples: NavisSample[] = [];
  const rawSamples: Record<'raw' | 'rawSettle', RawSample[]> = { raw: [], rawSettle: [] };
  for (let i = -opts.warmup; i < opts.runs; i++) {
    // Rotate which side goes first, so none always runs right after the same other.
    const k = ((i % SIDES.length) + SIDES.length) % SIDES.length;
    const order = [...SIDES.slice(k), ...SIDES.slice(0, k)];
    for (const side of order) {
      if (side === 'navis') {
        const s = await navisRun(i);
        if (i >= 0) navisSamples.push(s);
      } else {
        const s = await rawRun(i, side === 'rawSettle' ? QUIET_MS : 0);
        if (i >= 0) rawSamples[side].push(s);
      }
    }
    // The first action takes the pool's browser; let the refill finish before measuring.
    if (i < 0) await navis.services.pool.whenWarm(REQUEST_TIMEOUT_MS);
    if (i >= 0) progress('.');
  }
  progress('\n');

  const total: Record<Side, Stats> = {
    navis: summarize(navisSamples.map((s) => s.total)),
    raw: summarize(rawSamples.raw.map((s) => s.total)),
    rawSettle: summarize(rawSamples.rawSettle.map((s) => s.total)),
  };
  const vsRaw = { p50: total.navis.p50 / total.raw.p50, p95: total.navis.p95 / total.raw.p95 };
  const vsSettle = { p50: total.navis.p50 / total.rawSettle.p50, p95: total.navis.p95 / total.rawSettle.p95 };
  const navisSteps = actionSteps.map((step, idx) => ({
    name: `steps[${idx}] ${step.type}`,
    stats: summarize(navisSamples.map((s) => s.steps[idx])),
  }));
  const navisStepSum = summarize(navisSamples.map((s) => s.steps.reduce((a, b) => a + b, 0)));
  const navisStart = summarize(navisSamples.map((s) => s.start));
  const navisOutside = summarize(navisSamples.map((s) => s.total - s.start - s.steps.reduce((a, b) => a + b, 0)));
  const rawCol = (side: 'raw' | 'rawSettle', key: keyof RawSample) => summarize(rawSamples[side].map((s) => s[key]));
  const goal = {
    name: `navis p50 <= ${GOAL_RATIO} x raw p50`,
    value: total.navis.p50,
    limit: GOAL_RATIO * total.raw.p50,
    pass: total.navis.p50 <= GOAL_RATIO * total.raw.p50,
  };
  const loadavgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);

  if (opts.json) {
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const rawBreakdown = (side: 'raw' | 'rawSettle') =>
      Object.fromEntries(
        (['open', 'goto', 'settle', 'steps', 'close'] as const).map((k) => [k, rounded(rawCol(side, k))]),
      );
    console.log(
      JSON.stringify(
        {
          bench: 'sites',
          machine: {
            ...machine,
            loadavgAtEnd,
            cpuBusyBeforeStart: cpuBusyBefore === undefined ? null : r3(cpuBusyBefore),
            chromium: chromiumVersion,
            executablePath,
          },
          settings: {
            runs: opts.runs,
            warmup: opts.warmup,
            poolSize: 1,
            action: `${SLUG}/${STATE}/${ACTION}`,
            settleMs: QUIET_MS,
          },
          unit: 'ms',
          total: { navis: rounded(total.navis), raw: rounded(total.raw), rawSettle: rounded(total.rawSettle) },
          ratio: {
            vsRaw: { p50: r3(vsRaw.p50), p95: r3(vsRaw.p95) },
            vsRawSettle: { p50: r3(vsSettle.p50), p95: r3(vsSettle.p95) },
          },
          breakdown: {
            navis: {
              startStep: rounded(navisStart),
              ...Object.fromEntries(navisSteps.map((s) => [s.name, rounded(s.stats)])),
              stepsSum: rounded(navisStepSum),
              outsideSteps: rounded(navisOutside),
            },
            raw: rawBreakdown('raw'),
            rawSettle: rawBreakdown('rawSettle'),
          },
          busy: cpuBusyBefore !== undefined && cpuBusyBefore > BUSY_SHARE,
          goals: [{ ...goal, value: Math.round(goal.value * 10) / 10, limit: Math.round(goal.limit * 10) / 10 }],
        },
        null,
        2,
      ),
    );
    return;
  }

  const header = STATS_HEADER;
  const out: string[] = [''];
  out.push(
    ...machineLines(machine, {
      chromium: chromiumVersion,
      executablePath,
      cpuBusyBefore,
      loadavgAtEnd,
      busyShare: BUSY_SHARE,
    }),
  );
  out.push(
    `runs      ${opts.runs} measured (+${opts.warmup} warm-up), navis / raw / raw + settle interleaved, order rotated; navis pool size 1`,
  );
  out.push(
    `action    ${STATE}/${ACTION}: ${actionSteps.map((s) => s.type).join(', ')} (test/fixtures/site/login.html)`,
  );
  out.push('');
  out.push(
    table(header, [
      statRow(LABEL.navis, total.navis),
      statRow(LABEL.raw, total.raw),
      statRow(`${LABEL.rawSettle} (${QUIET_MS} ms)`, total.rawSettle),
      ratioRow('navis / raw', vsRaw),
      ratioRow('navis / raw + settle', vsSettle),
    ]),
  );
  out.push('');
  out.push(
    `navis waits for the DOM to settle after load (seed 002 step 5; src/actions/settle.ts), raw does not: two animation frames when`,
  );
  out.push(
    `nothing changed since load (this page), else until ${QUIET_MS} ms passed without a DOM change or request. "raw + settle"`,
  );
  out.push(
    `sleeps the whole ${QUIET_MS} ms after load: what navis would wait on a page that kept changing after load.`,
  );
  out.push('');
  out.push('breakdown (each part on its own; p50/p95 of parts do not add up to the totals)');
  out.push(
    table(header, [
      statRow('navis  goto + settle (start step)', navisStart),
      ...navisSteps.map((s) => statRow(`       ${s.name}`, s.stats)),
      statRow('       steps sum (navis)', navisStepSum),
      statRow('       outside the steps', navisOutside),
      statRow('raw    newContext+newPage', rawCol('raw', 'open')),
      statRow('       goto (load)', rawCol('raw', 'goto')),
      statRow('       steps', rawCol('raw', 'steps')),
      statRow('       context.close', rawCol('raw', 'close')),
      statRow('raw+s  goto (load)', rawCol('rawSettle', 'goto')),
      statRow('       settle (sleep)', rawCol('rawSettle', 'settle')),
      statRow('       steps', rawCol('rawSettle', 'steps')),
    ]),
  );
  out.push(
    '  (navis "outside the steps": HTTP, manifest lookup, the egress guard, newContext, newPage, context.close)',
  );
  out.push('');
  out.push('goal');
  out.push(`  ${goal.pass ? 'PASS' : 'MISS'}  ${goal.name}: ${ms(goal.value)} ms (limit ${ms(goal.limit)} ms)`);
  console.log(out.join('\n'));
}

await runBench(main, cleanup, USAGE);
