// bench/remote: a client across a network from the browser. bench/tasks' task runs as one navis
// task and as raw playwright-core over CDP, both through the same delaying link (bench/link.ts),
// in one process, interleaved run by run, for each one-way delay.
//
//   navis  client --link--> navis HTTP: one POST /browser/sessions/{id}/tasks with the 8 actions
//   raw    client --link--> a Chromium's DevTools WebSocket: connectOverCDP once, then the
//          task's playwright-core calls on one page (connection and page reused for every run)
//
// Usage: node --import tsx bench/remote.ts [--delay MS[,MS...]] [--runs N] [--warmup N] [--quick] [--json]
// Exits 0 whatever the ratios (it is a measurement); non-zero only when something failed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp, type Navis } from '../src/app.js';
import { findChrome } from '../src/browsers/find-chrome.js';
import { loadConfig } from '../src/config.js';
import { startFixtureServer, type FixtureServer } from '../test/helpers/fixtures.js';
import { checkGreetingAnswer, GREETING_PAGE, greetingTask, rawGreetingTask, type TaskAnswer } from './greeting-task.js';
import {
  cpuBusyShare,
  describeMachine,
  intOption,
  machineLines,
  ms,
  RAW_ARGS,
  rawLaunchOptions,
  ratio,
  rounded,
  runBench,
  runsOption,
  statRow,
  STATS_HEADER,
  summarize,
  table,
  UsageError,
} from './lib.js';
import { DelayLink, type LinkCounts } from './link.js';

const MIN_RUNS = 20;
const QUICK_RUNS = 3;
const DEFAULT_DELAYS = [0, 20, 80];
const ACTION_TIMEOUT_MS = 10_000; // navis' default per-action deadline; the raw calls get the same
const REQUEST_TIMEOUT_MS = 120_000;
const BUSY_SHARE = 0.25;

const USAGE = `Usage: node --import tsx bench/remote.ts [options]

  --delay MS[,MS...]  one-way delays of the link, in ms (default ${DEFAULT_DELAYS.join(',')}: RTT ${DEFAULT_DELAYS.map((d) => 2 * d).join(', ')} ms)
  --runs N            measured iterations per delay (default ${MIN_RUNS}; at least ${MIN_RUNS} unless --quick)
  --warmup N          unmeasured iterations per delay first (default 1)
  --quick             allow fewer than ${MIN_RUNS} runs (default ${QUICK_RUNS}); for trying the bench, not for numbers
  --json              print one JSON object instead of the tables (progress goes to stderr)
  -h, --help          this text

Chromium: CHROME_PATH, else the usual install locations (as navis finds it).`;

interface Options {
  delays: number[];
  runs: number;
  warmup: number;
  quick: boolean;
  json: boolean;
}

function parseOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        delay: { type: 'string' },
        runs: { type: 'string' },
        warmup: { type: 'string' },
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
  const delays = values.delay === undefined ? DEFAULT_DELAYS : values.delay.split(',').map((d) => d.trim());
  return {
    delays: delays.map((d) => intOption('delay', String(d), 0, 0)),
    runs: runsOption(values.runs, values.quick, MIN_RUNS, QUICK_RUNS),
    warmup: intOption('warmup', values.warmup, 1, 0),
    quick: values.quick,
    json: values.json,
  };
}

interface Sample {
  ms: number;
  counts: LinkCounts;
}

/** What is open at any moment, so that an error or Ctrl-C never leaves a Chromium running. */
const open: {
  navis?: Navis;
  fixtures?: FixtureServer;
  dataDir?: string;
  browser?: Browser;
  client?: Browser;
  links: DelayLink[];
  endSession?: () => Promise<unknown>;
} = { links: [] };

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    const quiet = (p: Promise<unknown> | undefined) =>
      p?.catch((err: Error) => console.error(`cleanup: ${err.message}`));
    await quiet(open.client?.close());
    await quiet(open.browser?.close());
    await Promise.all(open.links.map((l) => quiet(l.close())));
    await quiet(open.endSession?.());
    await quiet(open.navis?.close());
    await quiet(open.fixtures?.close());
    if (open.dataDir) fs.rmSync(open.dataDir, { recursive: true, force: true, maxRetries: 3 });
  })());
}

/** A port nobody listens on right now, for Chromium's --remote-debugging-port. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const progress = (line: string) => (opts.json ? process.stderr : process.stdout).write(line);
  const executablePath = findChrome(process.env.CHROME_PATH || undefined);
  const machine = describeMachine();
  const cpuBusyBefore = await cpuBusyShare(2000);

  open.fixtures = await startFixtureServer();
  const pageUrl = `${open.fixtures.url}${GREETING_PAGE}`;

  // navis in-process, as bench/tasks runs it: no warm pool, a restricted tenant.
  open.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-bench-'));
  const apiKey = `nv_bench_${randomBytes(16).toString('hex')}`;
  const config = loadConfig(
    {},
    { dataDir: open.dataDir, port: 0, apiKey, poolSize: 0, logLevel: 'warn', chromePath: executablePath },
  );
  open.navis = await buildApp(config, pino({ level: config.logLevel }, pino.destination(2)));
  const base = await open.navis.listen();
  const api = async (method: string, urlPath: string, key: string, body?: unknown) => {
    const res = await fetch(base + urlPath, {
      method,
      headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    return { status: res.status, text: await res.text() };
  };
  const fixtureHost = new URL(open.fixtures.url).host;
  const tenant = await api('POST', '/admin/tenants', apiKey, {
    name: 'bench-remote',
    network: { allowPrivate: false, allowHosts: [fixtureHost] },
  });
  if (tenant.status !== 201) throw new Error(`POST /admin/tenants answered ${tenant.status}: ${tenant.text}`);
  const tenantKey = (JSON.parse(tenant.text) as { api_key: string }).api_key;
  const created = await api('POST', '/browser/sessions', tenantKey, { ttlSeconds: 86_400 });
  if (created.status !== 201) throw new Error(`POST /browser/sessions answered ${created.status}: ${created.text}`);
  const sessionId = (JSON.parse(created.text) as { id: string }).id;
  open.endSession = () => api('DELETE', `/browser/sessions/${sessionId}`, tenantKey);

  // The raw side's Chromium: bench/tasks' baseline, with a DevTools port for a client to reach.
  const devtoolsPort = await freePort();
  open.browser = await chromium.launch({
    executablePath,
    ...rawLaunchOptions(REQUEST_TIMEOUT_MS),
    args: [...RAW_ARGS, `--remote-debugging-port=${devtoolsPort}`],
  });
  const chromiumVersion = open.browser.version();
  const version = (await (await fetch(`http://127.0.0.1:${devtoolsPort}/json/version`)).json()) as {
    webSocketDebuggerUrl: string;
  };

  const navisLink = await DelayLink.start({ host: '127.0.0.1', port: Number(new URL(base).port) });
  const cdpLink = await DelayLink.start({ host: '127.0.0.1', port: devtoolsPort });
  open.links.push(navisLink, cdpLink);
  const setDelay = (ms: number) => (navisLink.delayMs = cdpLink.delayMs = ms);

  // What connecting costs over the link, once per delay (not in the task times: both sides reuse
  // their connection, as a client running many tasks would).
  const connectMs: Record<number, number> = {};
  for (const delay of opts.delays) {
    setDelay(delay);
    const t0 = performance.now();
    const b = await chromium.connectOverCDP(cdpLink.rewrite(version.webSocketDebuggerUrl), {
      timeout: REQUEST_TIMEOUT_MS,
    });
    connectMs[delay] = performance.now() - t0;
    await b.close();
  }
  cdpLink.take();

  setDelay(0);
  open.client = await chromium.connectOverCDP(cdpLink.rewrite(version.webSocketDebuggerUrl), {
    timeout: REQUEST_TIMEOUT_MS,
  });
  const context = open.client.contexts()[0] ?? (await open.client.newContext());
  const page: Page = context.pages()[0] ?? (await context.newPage());

  const tasksUrl = navisLink.rewrite(`${base}/browser/sessions/${sessionId}/tasks`);
  const navisRun = async (name: string): Promise<Sample> => {
    const body = JSON.stringify(greetingTask(pageUrl, name));
    navisLink.take();
    const t0 = performance.now();
    const res = await fetch(tasksUrl, {
      method: 'POST',
      headers: { 'x-api-key': tenantKey, 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    const answer = JSON.parse(text) as TaskAnswer;
    const elapsed = performance.now() - t0;
    if (res.status !== 201) throw new Error(`POST tasks answered ${res.status}: ${text.slice(0, 2000)}`);
    checkGreetingAnswer(answer, name);
    return { ms: elapsed, counts: navisLink.take() };
  };
  const rawRun = async (name: string): Promise<Sample> => {
    cdpLink.take();
    const t0 = performance.now();
    await rawGreetingTask(page, pageUrl, name, ACTION_TIMEOUT_MS);
    const elapsed = performance.now() - t0;
    return { ms: elapsed, counts: cdpLink.take() };
  };

  progress(
    `navis ${base} (one session) and a raw Chromium's DevTools port, each behind a delaying link; delays ${opts.delays.join(', ')} ms one-way; ` +
      `${opts.warmup} warm-up + ${opts.runs} measured iterations per delay\n`,
  );
  const samples = new Map(opts.delays.map((d) => [d, { navis: [] as Sample[], raw: [] as Sample[] }]));
  for (let i = -opts.warmup; i < opts.runs; i++) {
    // Every delay in every iteration, the order rotating, so a slow minute hits every delay alike.
    const shift = ((i % opts.delays.length) + opts.delays.length) % opts.delays.length;
    const delays = [...opts.delays.slice(shift), ...opts.delays.slice(0, shift)];
    for (const delay of delays) {
      setDelay(delay);
      const order = i % 2 === 0 ? (['navis', 'raw'] as const) : (['raw', 'navis'] as const);
      for (const side of order) {
        const s = side === 'navis' ? await navisRun(`navis ${i} ${delay}`) : await rawRun(`raw ${i} ${delay}`);
        if (i >= 0) samples.get(delay)![side].push(s);
      }
    }
    if (i >= 0) progress('.');
  }
  progress('\n');

  const median = (xs: number[]) => summarize(xs).p50;
  const rows = opts.delays.map((delay) => {
    const { navis, raw } = samples.get(delay)!;
    const n = summarize(navis.map((s) => s.ms));
    const r = summarize(raw.map((s) => s.ms));
    return {
      delayMs: delay,
      rttMs: 2 * delay,
      navis: n,
      raw: r,
      ratio: { p50: n.p50 / r.p50, p95: n.p95 / r.p95 },
      turns: { navis: median(navis.map((s) => s.counts.turns)), raw: median(raw.map((s) => s.counts.turns)) },
      maxTurns: {
        navis: Math.max(...navis.map((s) => s.counts.turns)),
        raw: Math.max(...raw.map((s) => s.counts.turns)),
      },
      newConnections: {
        navis: navis.reduce((a, s) => a + s.counts.connections, 0),
        raw: raw.reduce((a, s) => a + s.counts.connections, 0),
      },
      bytes: {
        navis: { up: median(navis.map((s) => s.counts.bytesUp)), down: median(navis.map((s) => s.counts.bytesDown)) },
        raw: { up: median(raw.map((s) => s.counts.bytesUp)), down: median(raw.map((s) => s.counts.bytesDown)) },
      },
      connectOverCdpMs: connectMs[delay],
    };
  });
  const navisMaxTurns = Math.max(...rows.map((r) => r.maxTurns.navis));
  const check = {
    name: 'navis: one client round trip per task, whatever its actions',
    value: navisMaxTurns,
    limit: 1,
    pass: navisMaxTurns <= 1,
  };
  const loadavgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  const r1 = (x: number) => Math.round(x * 10) / 10;

  if (opts.json) {
    console.log(
      JSON.stringify(
        {
          bench: 'remote',
          machine: {
            ...machine,
            loadavgAtEnd,
            cpuBusyBeforeStart: cpuBusyBefore === undefined ? null : r3(cpuBusyBefore),
            chromium: chromiumVersion,
            executablePath,
          },
          settings: {
            delaysMs: opts.delays,
            runs: opts.runs,
            warmup: opts.warmup,
            pageUrl: `local fixture (test/fixtures${GREETING_PAGE})`,
            tenant: { allowPrivate: false, allowHosts: [fixtureHost] },
          },
          unit: 'ms',
          delays: rows.map((row) => ({
            ...row,
            navis: rounded(row.navis),
            raw: rounded(row.raw),
            ratio: { p50: r3(row.ratio.p50), p95: r3(row.ratio.p95) },
            connectOverCdpMs: r1(row.connectOverCdpMs),
          })),
          busy: cpuBusyBefore !== undefined && cpuBusyBefore > BUSY_SHARE,
          check,
        },
        null,
        2,
      ),
    );
    return;
  }

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
    `runs      ${opts.runs} measured (+${opts.warmup} warm-up) per delay; delays rotating within each iteration, navis and raw alternating which goes first`,
  );
  out.push(
    `task      bench/tasks' 8 actions on test/fixtures${GREETING_PAGE}; navis: one POST over the link (restricted tenant); ` +
      `raw: playwright-core over one connectOverCDP through the link, page reused`,
  );
  out.push('');
  out.push(
    table(
      ['one-way delay (RTT)', 'navis p50', 'raw p50', 'navis / raw', 'p95 ratio', 'client turns navis', 'raw'],
      rows.map((row) => [
        `${row.delayMs} ms (${row.rttMs} ms)`,
        ms(row.navis.p50),
        ms(row.raw.p50),
        ratio(row.ratio.p50),
        ratio(row.ratio.p95),
        String(row.turns.navis),
        String(row.turns.raw),
      ]),
    ),
  );
  out.push(
    '  client turns: times per task the client sent again after hearing from the other side (p50), the round trips a delay multiplies',
  );
  out.push('');
  for (const row of rows) {
    out.push(`one-way delay ${row.delayMs} ms`);
    out.push(
      table(STATS_HEADER, [
        statRow('navis task', row.navis),
        statRow('raw task', row.raw),
        ['navis / raw', ratio(row.ratio.p50), ratio(row.ratio.p95), '', '', ''],
      ]),
    );
    out.push(
      `  bytes per task (p50): navis up ${row.bytes.navis.up} down ${row.bytes.navis.down}; raw up ${row.bytes.raw.up} down ${row.bytes.raw.down}; ` +
        `new connections during the runs: navis ${row.newConnections.navis}, raw ${row.newConnections.raw}; ` +
        `connectOverCDP over this link once: ${ms(row.connectOverCdpMs)} ms (not in the raw task times)`,
    );
    out.push('');
  }
  out.push('check');
  out.push(`  ${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: at most ${check.value} (limit ${check.limit})`);
  console.log(out.join('\n'));
}

await runBench(main, cleanup, USAGE);
