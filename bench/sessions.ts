// bench/sessions: how fast a client gets a usable browser from navis (warm pool) compared with
// launching Chromium itself with playwright-core, measured in one process, interleaved run by run.
//
//   (a) create     navis: POST /public/sessions until the JSON body is parsed
//                  raw:   chromium.launch()
//   (b) lifecycle  navis: create -> connectOverCDP(cdp_url) -> goto(local page) -> browser.close()
//                         -> POST /public/sessions/{id}/terminate answered 204
//                  raw:   launch -> newPage -> goto(local page) -> browser.close()
//
// Usage: node --import tsx bench/sessions.ts [--runs N] [--pool N] [--warmup N] [--no-wait] [--quick] [--json]
// Exits 0 whether or not the goals are met (it is a measurement); non-zero only when something failed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { buildApp, type Navis } from '../src/app.js';
import { findChrome } from '../src/browsers/find-chrome.js';
import { loadConfig } from '../src/config.js';
import { startFixtureServer, type FixtureServer } from '../test/helpers/fixtures.js';
import {
  cpuBusyShare,
  describeMachine,
  ms,
  rounded,
  summarize,
  table,
  type Stats,
  UsageError,
  intOption,
  runsOption,
  rawLaunchOptions,
  runBench,
  statRow,
  ratioRow,
  STATS_HEADER,
} from './lib.js';

const MIN_RUNS = 30;
const QUICK_RUNS = 5;
const STEP_TIMEOUT_MS = 30_000;
const GOAL_CREATE_RATIO = 0.2; // create p50 <= 0.2 x raw launch p50
const GOAL_LIFECYCLE_MS = 224; // lifecycle p50 < 224 ms
const BUSY_SHARE = 0.25; // CPU busy before the start above this: warn that the numbers are noisy

/** The baseline's launch: the flags the issue asks for (bench/lib.ts RAW_ARGS). */
const RAW_LAUNCH = rawLaunchOptions(STEP_TIMEOUT_MS);

const USAGE = `Usage: node --import tsx bench/sessions.ts [options]

  --runs N      measured iterations (default ${MIN_RUNS}; at least ${MIN_RUNS} unless --quick)
  --pool N      navis warm pool size (default 2)
  --warmup N    unmeasured iterations first (default 1)
  --no-wait     do not wait for a full warm pool before each run (measures back-to-back creates,
                where the pool may be empty and create falls back to a launch)
  --quick       allow fewer than ${MIN_RUNS} runs (default ${QUICK_RUNS}); for trying the bench, not for numbers
  --json        print one JSON object instead of the tables (progress goes to stderr)
  -h, --help    this text

Chromium: CHROME_PATH, else the usual install locations (as navis finds it).`;

interface Options {
  runs: number;
  pool: number;
  warmup: number;
  wait: boolean;
  quick: boolean;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        runs: { type: 'string' },
        pool: { type: 'string' },
        warmup: { type: 'string' },
        'no-wait': { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const runs = runsOption(values.runs, quick, MIN_RUNS, QUICK_RUNS);
  return {
    runs,
    pool: intOption('pool', values.pool, 2, 1),
    warmup: intOption('warmup', values.warmup, 1, 0),
    wait: !values['no-wait'],
    quick,
    json: values.json,
  };
}

interface NavisSample {
  create: number;
  connect: number;
  firstNavigation: number;
  disconnect: number;
  terminate: number;
  lifecycle: number;
  /** Warm browsers in the pool when the create was sent (0: create had to launch one). */
  poolReadyAtCreate: number;
}

interface RawSample {
  launch: number;
  newPage: number;
  goto: number;
  close: number;
  lifecycle: number;
}

/** What is open at any moment, so that an error or Ctrl-C never leaves a Chromium running. */
const open: { navis?: Navis; fixtures?: FixtureServer; dataDir?: string; browsers: Set<Browser> } = {
  browsers: new Set(),
};

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    const quiet = (p: Promise<unknown> | undefined) =>
      p?.catch((err: Error) => console.error(`cleanup: ${err.message}`));
    await Promise.all([...open.browsers].map((b) => quiet(b.close())));
    // Ends every session (killing its browser) and empties the warm pool.
    await quiet(open.navis?.close());
    await quiet(open.fixtures?.close());
    if (open.dataDir) fs.rmSync(open.dataDir, { recursive: true, force: true, maxRetries: 3 });
  })());
}

async function startNavis(executablePath: string, poolSize: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-bench-'));
  open.dataDir = dataDir;
  const apiKey = `nv_bench_${randomBytes(16).toString('hex')}`;
  const config = loadConfig({}, { dataDir, port: 0, apiKey, poolSize, logLevel: 'warn', chromePath: executablePath });
  // Logs to stderr, so stdout stays the report (and valid JSON with --json).
  const log = pino({ level: config.logLevel }, pino.destination(2));
  const navis = await buildApp(config, log);
  open.navis = navis;
  const base = await navis.listen();
  return { navis, base, apiKey };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const progress = (line: string) => (opts.json ? process.stderr : process.stdout).write(line);
  const executablePath = findChrome(process.env.CHROME_PATH || undefined);
  const machine = describeMachine();
  // Before anything of ours runs: the bench itself keeps the load average high, so only this says
  // whether something else was using the machine.
  const cpuBusyBefore = await cpuBusyShare(2000);

  open.fixtures = await startFixtureServer();
  const pageUrl = `${open.fixtures.url}/index.html`;
  const { navis, base, apiKey } = await startNavis(executablePath, opts.pool);
  const pool = navis.services.pool;

  const api = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(base + urlPath, {
      method,
      headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(STEP_TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as Record<string, any> };
  };

  const waitForPool = async () => {
    if (!opts.wait) return;
    await pool.whenWarm(STEP_TIMEOUT_MS * 2);
    if (pool.readyCount < opts.pool)
      throw new Error(
        `the warm pool did not fill (${pool.readyCount}/${opts.pool} ready after ${STEP_TIMEOUT_MS * 2} ms)`,
      );
  };

  let chromiumVersion: string;

  const navisRun = async (): Promise<NavisSample> => {
    const poolReadyAtCreate = pool.readyCount;
    const t0 = performance.now();
    const created = await api('POST', '/public/sessions', {});
    const session = created.status === 200 ? created.json() : undefined;
    const t1 = performance.now();
    if (!session) throw new Error(`create answered ${created.status}: ${created.text}`);
    let browser: Browser | undefined;
    try {
      browser = await chromium.connectOverCDP(session.cdp_url as string, { timeout: STEP_TIMEOUT_MS });
      open.browsers.add(browser);
      const t2 = performance.now();
      const context = browser.contexts()[0];
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(pageUrl, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
      const t3 = performance.now();
      await browser.close();
      open.browsers.delete(browser);
      browser = undefined;
      const t4 = performance.now();
      const ended = await api('POST', `/public/sessions/${session.session_id}/terminate`);
      const t5 = performance.now();
      if (ended.status !== 204) throw new Error(`terminate answered ${ended.status}: ${ended.text}`);
      return {
        create: t1 - t0,
        connect: t2 - t1,
        firstNavigation: t3 - t2,
        disconnect: t4 - t3,
        terminate: t5 - t4,
        lifecycle: t5 - t0,
        poolReadyAtCreate,
      };
    } catch (error) {
      if (browser) {
        open.browsers.delete(browser);
        await browser.close().catch(() => {});
      }
      await api('DELETE', `/public/sessions/${session.session_id}`).catch(() => {});
      throw error;
    }
  };

  const rawRun = async (): Promise<RawSample> => {
    const t0 = performance.now();
    const browser = await chromium.launch({ executablePath, ...RAW_LAUNCH });
    const t1 = performance.now();
    open.browsers.add(browser);
    try {
      const page = await browser.newPage();
      const t2 = performance.now();
      await page.goto(pageUrl, { timeout: STEP_TIMEOUT_MS });
      const t3 = performance.now();
      await browser.close();
      const t4 = performance.now();
      return { launch: t1 - t0, newPage: t2 - t1, goto: t3 - t2, close: t4 - t3, lifecycle: t4 - t0 };
    } finally {
      open.browsers.delete(browser);
      await browser.close().catch(() => {}); // no-op once closed; kills it after an error
    }
  };

  // The version once, outside the measured runs.
  {
    const browser = await chromium.launch({ executablePath, ...RAW_LAUNCH });
    open.browsers.add(browser);
    try {
      chromiumVersion = browser.version();
    } finally {
      open.browsers.delete(browser);
      await browser.close();
    }
  }

  progress(
    `navis ${base}, pool ${opts.pool}, ${opts.wait ? 'waiting for a full warm pool before every run' : 'NOT waiting for the pool (--no-wait)'}; ` +
      `${opts.warmup} warm-up + ${opts.runs} measured iterations\n`,
  );
  const navisSamples: NavisSample[] = [];
  const rawSamples: RawSample[] = [];
  for (let i = -opts.warmup; i < opts.runs; i++) {
    // Alternate which goes first, so neither side always runs right after the other.
    const order = i % 2 === 0 ? (['navis', 'raw'] as const) : (['raw', 'navis'] as const);
    for (const side of order) {
      // Before raw runs too: a pool refill still launching would otherwise slow the baseline.
      await waitForPool();
      if (side === 'navis') {
        const s = await navisRun();
        if (i >= 0) navisSamples.push(s);
      } else {
        const s = await rawRun();
        if (i >= 0) rawSamples.push(s);
      }
    }
    if (i >= 0) progress('.');
  }
  progress('\n');
  await waitForPool(); // leave nothing half-launched for the close

  const col = <T>(samples: T[], key: keyof T) => summarize(samples.map((s) => s[key] as number));
  const create = { navis: col(navisSamples, 'create'), raw: col(rawSamples, 'launch') };
  const lifecycle = { navis: col(navisSamples, 'lifecycle'), raw: col(rawSamples, 'lifecycle') };
  const ratios = (m: { navis: Stats; raw: Stats }) => ({ p50: m.navis.p50 / m.raw.p50, p95: m.navis.p95 / m.raw.p95 });
  const coldCreates = navisSamples.filter((s) => s.poolReadyAtCreate === 0).length;
  const readyAtCreate: Record<string, number> = {};
  for (const s of navisSamples) readyAtCreate[s.poolReadyAtCreate] = (readyAtCreate[s.poolReadyAtCreate] ?? 0) + 1;
  const readyText = Object.entries(readyAtCreate)
    .sort(([a], [b]) => Number(b) - Number(a))
    .map(([ready, count]) => `${ready}/${opts.pool} ready x${count}`)
    .join(', ');
  const goals = [
    {
      name: `create p50 <= ${GOAL_CREATE_RATIO} x raw launch p50`,
      value: create.navis.p50,
      limit: GOAL_CREATE_RATIO * create.raw.p50,
      pass: create.navis.p50 <= GOAL_CREATE_RATIO * create.raw.p50,
    },
    {
      name: `lifecycle p50 < ${GOAL_LIFECYCLE_MS} ms`,
      value: lifecycle.navis.p50,
      limit: GOAL_LIFECYCLE_MS,
      pass: lifecycle.navis.p50 < GOAL_LIFECYCLE_MS,
    },
  ];
  const breakdown = {
    navis: Object.fromEntries(
      (['create', 'connect', 'firstNavigation', 'disconnect', 'terminate'] as const).map((k) => [
        k,
        col(navisSamples, k),
      ]),
    ),
    raw: Object.fromEntries((['launch', 'newPage', 'goto', 'close'] as const).map((k) => [k, col(rawSamples, k)])),
  };
  const loadavgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  // Other work on the machine (a test suite, a build) slows both sides unevenly: say so next to the numbers.
  const busy = cpuBusyBefore !== undefined && cpuBusyBefore > BUSY_SHARE;

  if (opts.json) {
    const r1 = (x: number) => Math.round(x * 1000) / 1000;
    const roundAll = (o: Record<string, Stats>) =>
      Object.fromEntries(Object.entries(o).map(([k, v]) => [k, rounded(v)]));
    console.log(
      JSON.stringify(
        {
          bench: 'sessions',
          machine: {
            ...machine,
            loadavgAtEnd,
            cpuBusyBeforeStart: cpuBusyBefore === undefined ? null : Math.round(cpuBusyBefore * 1000) / 1000,
            chromium: chromiumVersion,
            executablePath,
          },
          settings: {
            runs: opts.runs,
            warmup: opts.warmup,
            poolSize: opts.pool,
            waitForWarmPool: opts.wait,
            pageUrl: 'local fixture (test/fixtures/index.html)',
          },
          unit: 'ms',
          create: {
            navis: rounded(create.navis),
            raw: rounded(create.raw),
            ratio: { p50: r1(ratios(create).p50), p95: r1(ratios(create).p95) },
          },
          lifecycle: {
            navis: rounded(lifecycle.navis),
            raw: rounded(lifecycle.raw),
            ratio: { p50: r1(ratios(lifecycle).p50), p95: r1(ratios(lifecycle).p95) },
          },
          breakdown: { navis: roundAll(breakdown.navis), raw: roundAll(breakdown.raw) },
          coldCreates,
          poolReadyAtCreate: readyAtCreate,
          busy,
          goals: goals.map((g) => ({
            ...g,
            value: Math.round(g.value * 10) / 10,
            limit: Math.round(g.limit * 10) / 10,
          })),
        },
        null,
        2,
      ),
    );
    return;
  }

  const header = STATS_HEADER;
  const out: string[] = [];
  out.push('');
  out.push(`machine   ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.totalMemGiB} GiB, ${machine.platform}`);
  out.push(
    `software  node ${machine.node}, playwright-core ${machine.playwrightCore}, Chromium ${chromiumVersion} (${executablePath})`,
  );
  const pct = (x: number | undefined) => (x === undefined ? 'unknown' : `${Math.round(x * 100)}%`);
  out.push(
    `load      CPU ${pct(cpuBusyBefore)} busy in the 2 s before the start; load avg ${machine.loadavgAtStart.join(' ')} at start, ` +
      `${loadavgAtEnd.join(' ')} at end (the bench's own browsers raise it)`,
  );
  if (busy)
    out.push(
      `WARNING   something else was using the CPU when the bench started (> ${BUSY_SHARE * 100}% busy): these numbers are noisy`,
    );
  out.push(
    `runs      ${opts.runs} measured (+${opts.warmup} warm-up), navis and raw interleaved; pool size ${opts.pool}; ` +
      (opts.wait
        ? 'every run waited for a full warm pool (warm path)'
        : `no waiting for the pool (--no-wait): ${coldCreates} of ${opts.runs} creates found it empty (${readyText})`),
  );
  out.push('');
  out.push(
    table(header, [
      statRow('(a) navis create', create.navis),
      statRow('    raw launch', create.raw),
      ratioRow('    navis / raw', ratios(create)),
      statRow('(b) navis lifecycle', lifecycle.navis),
      statRow('    raw lifecycle', lifecycle.raw),
      ratioRow('    navis / raw', ratios(lifecycle)),
    ]),
  );
  out.push('');
  out.push("breakdown (each step on its own; p50/p95 of steps do not add up to the lifecycle's)");
  out.push(
    table(header, [
      statRow('navis  create', breakdown.navis.create),
      statRow('       connectOverCDP', breakdown.navis.connect),
      statRow('       first goto', breakdown.navis.firstNavigation),
      statRow('       browser.close', breakdown.navis.disconnect),
      statRow('       terminate', breakdown.navis.terminate),
      statRow('raw    launch', breakdown.raw.launch),
      statRow('       newPage', breakdown.raw.newPage),
      statRow('       goto', breakdown.raw.goto),
      statRow('       browser.close', breakdown.raw.close),
    ]),
  );
  out.push('');
  out.push('goals');
  for (const g of goals)
    out.push(`  ${g.pass ? 'PASS' : 'MISS'}  ${g.name}: ${ms(g.value)} ms (limit ${ms(g.limit)} ms)`);
  console.log(out.join('\n'));
}

await runBench(main, cleanup, USAGE);
