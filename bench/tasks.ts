// bench/tasks: what navis' Run Task adds to the browser work itself. The same 8-action task runs
// through navis (one POST /browser/sessions/{id}/tasks) and directly through playwright-core
// (the equivalent calls on one page), in one process, interleaved run by run.
//
//   navis  POST /browser/sessions/{id}/tasks with 8 actions, from the request until the JSON body
//          (with the base64 screenshot in it) is parsed; one session reused for every run, of a
//          restricted tenant (private addresses closed, only the fixture's host:port in allowHosts),
//          so every request of the page goes through the session's egress guard and its policy
//   raw    goto, fill, click, waitFor, evaluate, selectOption, hover, screenshot + base64 on one
//          page of one chromium.launch(), reused for every run
//
// Usage: node --import tsx bench/tasks.ts [--runs N] [--warmup N] [--quick] [--json]
// Exits 0 whether or not the goal is met (it is a measurement); non-zero only when something failed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp, type Navis } from '../src/app.js';
import { findChrome } from '../src/browsers/find-chrome.js';
import { loadConfig } from '../src/config.js';
import { startFixtureServer, type FixtureServer } from '../test/helpers/fixtures.js';
import {
  checkGreetingAnswer,
  GREETING_ACTIONS,
  GREETING_PAGE,
  greetingTask,
  rawGreetingTask,
  type GreetingAction,
  type TaskAnswer,
} from './greeting-task.js';
import {
  cpuBusyShare,
  describeMachine,
  machineLines,
  ms,
  pngSize,
  ratio,
  rounded,
  signedMs,
  summarize,
  table,
  type Stats,
  parseRunOptions,
  rawLaunchOptions,
  runBench,
  runUsage,
  statRow,
  STATS_HEADER,
  type RunSpec,
} from './lib.js';

const MIN_RUNS = 30;
const QUICK_RUNS = 5;
const ACTION_TIMEOUT_MS = 10_000; // navis' default per-action deadline; the raw calls get the same
const REQUEST_TIMEOUT_MS = 60_000;
const GOAL_RATIO = 1.1; // navis task p50 <= 1.10 x raw task p50
const BUSY_SHARE = 0.25; // CPU busy before the start above this: warn that the numbers are noisy

const RAW_LAUNCH = rawLaunchOptions(REQUEST_TIMEOUT_MS);

const PAGE = GREETING_PAGE;
const ACTIONS = GREETING_ACTIONS;
type ActionName = GreetingAction;

const SPEC: RunSpec = {
  script: 'bench/tasks.ts',
  minRuns: MIN_RUNS,
  quickRuns: QUICK_RUNS,
  minWarmup: 1,
  warmupNote: 'at least 1, the first task connects navis to the browser',
};
const USAGE = runUsage(SPEC);

interface Sample {
  /** The whole task as its caller sees it. */
  total: number;
  /** Per action: navis from its stepLog (whole ms, Date.now()), raw from performance.now(). */
  actions: Record<ActionName, number>;
  /** total minus the sum of the actions: navis' HTTP, validation, JSON and queueing; ~0 for raw. */
  outside: number;
  /** navis: from the response headers until the body is parsed. raw: the base64 of the screenshot (inside `screenshot` too). */
  tail: number;
  screenshotBytes: number;
  screenshotSize: string;
  /** navis: the response body's length in bytes. */
  responseBytes: number;
}

/** What is open at any moment, so that an error or Ctrl-C never leaves a Chromium running. */
const open: {
  navis?: Navis;
  fixtures?: FixtureServer;
  dataDir?: string;
  browser?: Browser;
  endSession?: () => Promise<unknown>;
} = {};

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    const quiet = (p: Promise<unknown> | undefined) =>
      p?.catch((err: Error) => console.error(`cleanup: ${err.message}`));
    await quiet(open.browser?.close());
    await quiet(open.endSession?.());
    // Ends every session (killing its browser) and empties the warm pool.
    await quiet(open.navis?.close());
    await quiet(open.fixtures?.close());
    if (open.dataDir) fs.rmSync(open.dataDir, { recursive: true, force: true, maxRetries: 3 });
  })());
}

async function startNavis(executablePath: string) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-bench-'));
  open.dataDir = dataDir;
  const apiKey = `nv_bench_${randomBytes(16).toString('hex')}`;
  // No warm pool: the one session launches its browser at create, and no idle spare Chromium
  // runs next to the measured ones.
  const config = loadConfig(
    {},
    { dataDir, port: 0, apiKey, poolSize: 0, logLevel: 'warn', chromePath: executablePath },
  );
  // Logs to stderr, so stdout stays the report (and valid JSON with --json).
  const log = pino({ level: config.logLevel }, pino.destination(2));
  const navis = await buildApp(config, log);
  open.navis = navis;
  const base = await navis.listen();
  return { navis, base, apiKey };
}

function screenshotFacts(png: Buffer): { screenshotBytes: number; screenshotSize: string } {
  const size = pngSize(png);
  if (!size) throw new Error('the screenshot is not a PNG');
  return { screenshotBytes: png.length, screenshotSize: `${size.width}x${size.height}` };
}

async function main(): Promise<void> {
  const opts = parseRunOptions(process.argv.slice(2), SPEC);
  const progress = (line: string) => (opts.json ? process.stderr : process.stdout).write(line);
  const executablePath = findChrome(process.env.CHROME_PATH || undefined);
  const machine = describeMachine();
  // Before anything of ours runs: only this says whether something else was using the machine.
  const cpuBusyBefore = await cpuBusyShare(2000);

  open.fixtures = await startFixtureServer();
  const pageUrl = `${open.fixtures.url}${PAGE}`;
  const { base, apiKey } = await startNavis(executablePath);
  let tenantKey = apiKey;

  const api = async (method: string, urlPath: string, body?: unknown, key = tenantKey) => {
    const res = await fetch(base + urlPath, {
      method,
      headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, text };
  };

  // The session's tenant: a new one, so private addresses are closed to it but for the fixture's
  // own host and port (SECURITY.md): the guard judges every request the page makes.
  const fixtureHost = new URL(open.fixtures.url).host;
  const tenant = await api(
    'POST',
    '/admin/tenants',
    { name: 'bench-restricted', network: { allowPrivate: false, allowHosts: [fixtureHost] } },
    apiKey,
  );
  if (tenant.status !== 201) throw new Error(`POST /admin/tenants answered ${tenant.status}: ${tenant.text}`);
  tenantKey = (JSON.parse(tenant.text) as { api_key: string }).api_key;

  // ONE navis session for every run (the longest TTL, so a long --runs does not outlive it).
  const created = await api('POST', '/browser/sessions', { ttlSeconds: 86_400 });
  if (created.status !== 201) throw new Error(`POST /browser/sessions answered ${created.status}: ${created.text}`);
  const sessionId = (JSON.parse(created.text) as { id: string }).id;
  open.endSession = async () => {
    const ended = await api('DELETE', `/browser/sessions/${sessionId}`);
    if (ended.status >= 300)
      throw new Error(`DELETE /browser/sessions/${sessionId} answered ${ended.status}: ${ended.text}`);
  };

  // ONE raw Chromium with one page for every run.
  open.browser = await chromium.launch({ executablePath, ...RAW_LAUNCH });
  const chromiumVersion = open.browser.version();
  const page: Page = await open.browser.newPage();

  const tasksPath = `/browser/sessions/${sessionId}/tasks`;
  const navisRun = async (i: number): Promise<Sample> => {
    const name = `navis ${i}`;
    const body = JSON.stringify(greetingTask(pageUrl, name));
    const t0 = performance.now();
    const res = await fetch(base + tasksPath, {
      method: 'POST',
      headers: { 'x-api-key': tenantKey, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const t1 = performance.now();
    const text = await res.text();
    const result = JSON.parse(text) as TaskAnswer;
    const t2 = performance.now();
    if (res.status !== 201) throw new Error(`POST ${tasksPath} answered ${res.status}: ${text.slice(0, 2000)}`);
    const png = checkGreetingAnswer(result, name);
    const actions = Object.fromEntries(result.stepLog.map((s) => [s.type, s.durationMs])) as Record<ActionName, number>;
    const sum = ACTIONS.reduce((a, k) => a + actions[k], 0);
    return {
      total: t2 - t0,
      actions,
      outside: t2 - t0 - sum,
      tail: t2 - t1,
      ...screenshotFacts(png),
      responseBytes: Buffer.byteLength(text),
    };
  };

  const rawRun = async (i: number): Promise<Sample> => {
    const name = `raw ${i}`;
    const t: number[] = [performance.now()];
    let tShot = 0;
    const base64 = await rawGreetingTask(page, pageUrl, name, ACTION_TIMEOUT_MS, (after) => {
      if (after === 'png') tShot = performance.now();
      else t.push(performance.now());
    });
    const total = t[8] - t[0];
    const actions = Object.fromEntries(ACTIONS.map((k, j) => [k, t[j + 1] - t[j]])) as Record<ActionName, number>;
    return {
      total,
      actions,
      outside: 0,
      tail: t[8] - tShot,
      ...screenshotFacts(Buffer.from(base64, 'base64')),
      responseBytes: 0,
    };
  };

  progress(
    `navis ${base}, one session; raw: one chromium.launch() page; ${opts.warmup} warm-up + ${opts.runs} measured iterations\n`,
  );
  const navisSamples: Sample[] = [];
  const rawSamples: Sample[] = [];
  for (let i = -opts.warmup; i < opts.runs; i++) {
    // Alternate which goes first, so neither side always runs right after the other.
    const order = i % 2 === 0 ? (['navis', 'raw'] as const) : (['raw', 'navis'] as const);
    for (const side of order) {
      if (side === 'navis') {
        const s = await navisRun(i);
        if (i >= 0) navisSamples.push(s);
      } else {
        const s = await rawRun(i);
        if (i >= 0) rawSamples.push(s);
      }
    }
    if (i >= 0) progress('.');
  }
  progress('\n');

  const of = (samples: Sample[], pick: (s: Sample) => number) => summarize(samples.map(pick));
  const total = { navis: of(navisSamples, (s) => s.total), raw: of(rawSamples, (s) => s.total) };
  const ratios = { p50: total.navis.p50 / total.raw.p50, p95: total.navis.p95 / total.raw.p95 };
  const perAction = Object.fromEntries(
    ACTIONS.map((k) => [k, { navis: of(navisSamples, (s) => s.actions[k]), raw: of(rawSamples, (s) => s.actions[k]) }]),
  ) as Record<ActionName, { navis: Stats; raw: Stats }>;
  const outside = of(navisSamples, (s) => s.outside);
  const navisTail = of(navisSamples, (s) => s.tail);
  const rawBase64 = of(rawSamples, (s) => s.tail);
  const sizes = (samples: Sample[]) => [...new Set(samples.map((s) => s.screenshotSize))].join(', ');
  const kib = (samples: Sample[], pick: (s: Sample) => number) => Math.round(summarize(samples.map(pick)).p50 / 1024);
  const shot = {
    navis: {
      size: sizes(navisSamples),
      kib: kib(navisSamples, (s) => s.screenshotBytes),
      responseKiB: kib(navisSamples, (s) => s.responseBytes),
    },
    raw: { size: sizes(rawSamples), kib: kib(rawSamples, (s) => s.screenshotBytes) },
  };
  const goal = {
    name: `navis task p50 <= ${GOAL_RATIO.toFixed(2)} x raw task p50`,
    value: total.navis.p50,
    limit: GOAL_RATIO * total.raw.p50,
    ratio: ratios.p50,
    pass: total.navis.p50 <= GOAL_RATIO * total.raw.p50,
  };
  const loadavgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const busy = cpuBusyBefore !== undefined && cpuBusyBefore > BUSY_SHARE;

  if (opts.json) {
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const r1 = (x: number) => Math.round(x * 10) / 10;
    console.log(
      JSON.stringify(
        {
          bench: 'tasks',
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
            actions: ACTIONS,
            pageUrl: `local fixture (test/fixtures${PAGE})`,
            screenshot: shot,
            tenant: { allowPrivate: false, allowHosts: [fixtureHost] },
          },
          unit: 'ms',
          task: {
            navis: rounded(total.navis),
            raw: rounded(total.raw),
            ratio: { p50: r3(ratios.p50), p95: r3(ratios.p95) },
          },
          perAction: Object.fromEntries(
            ACTIONS.map((k) => [k, { navis: rounded(perAction[k].navis), raw: rounded(perAction[k].raw) }]),
          ),
          navisOutsideActions: rounded(outside),
          navisBodyReadAndParse: rounded(navisTail),
          rawBase64: rounded(rawBase64),
          busy,
          goal: { ...goal, value: r1(goal.value), limit: r1(goal.limit), ratio: r3(goal.ratio) },
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
    `runs      ${opts.runs} measured (+${opts.warmup} warm-up), navis and raw interleaved, alternating which goes first; one navis session, one raw page`,
  );
  out.push(
    `tenant    navis runs as a restricted tenant (allowPrivate false, allowHosts [${fixtureHost}]): every request through its egress guard; raw goes direct`,
  );
  out.push(
    `task      ${ACTIONS.join(' > ')} on test/fixtures${PAGE}; screenshot PNG navis ${shot.navis.size} ~${shot.navis.kib} KiB ` +
      `(response ~${shot.navis.responseKiB} KiB JSON), raw ${shot.raw.size} ~${shot.raw.kib} KiB`,
  );
  out.push('');
  out.push(
    table(header, [
      statRow('navis task', total.navis),
      statRow('raw task', total.raw),
      ['navis / raw', ratio(ratios.p50), ratio(ratios.p95), '', '', ''],
    ]),
  );
  out.push('');
  out.push('per action: navis from the stepLog (whole ms), raw per call; means add up, p50s do not');
  out.push(
    table(
      ['ms', 'navis p50', 'raw p50', 'diff', 'navis mean', 'raw mean', 'diff', 'navis p95', 'raw p95'],
      [
        ...ACTIONS.map((k) => {
          const { navis, raw } = perAction[k];
          return [
            k,
            ms(navis.p50),
            ms(raw.p50),
            signedMs(navis.p50 - raw.p50),
            ms(navis.mean),
            ms(raw.mean),
            signedMs(navis.mean - raw.mean),
            ms(navis.p95),
            ms(raw.p95),
          ];
        }),
        [
          'outside the actions',
          ms(outside.p50),
          '-',
          signedMs(outside.p50),
          ms(outside.mean),
          '-',
          signedMs(outside.mean),
          ms(outside.p95),
          '-',
        ],
        [
          'whole task',
          ms(total.navis.p50),
          ms(total.raw.p50),
          signedMs(total.navis.p50 - total.raw.p50),
          ms(total.navis.mean),
          ms(total.raw.mean),
          signedMs(total.navis.mean - total.raw.mean),
          ms(total.navis.p95),
          ms(total.raw.p95),
        ],
      ],
    ),
  );
  out.push(
    `  outside the actions = navis task minus its stepLog: HTTP, body validation, page lookup, response serialisation, ` +
      `body read + JSON.parse (that last part alone p50 ${ms(navisTail.p50)} ms); raw screenshot includes its base64 (p50 ${ms(rawBase64.p50)} ms)`,
  );
  out.push('');
  out.push('goal');
  out.push(
    `  ${goal.pass ? 'PASS' : 'MISS'}  ${goal.name}: ${ms(goal.value)} ms (limit ${ms(goal.limit)} ms; ratio ${ratio(goal.ratio)})`,
  );
  console.log(out.join('\n'));
}

await runBench(main, cleanup, USAGE);
