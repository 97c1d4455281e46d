// bench/single-action: what a natural-language action costs in navis the first time (planned),
// what it costs replayed from the step cache, and what raw playwright-core takes for the same
// steps, in one process, interleaved run by run.
//
//   first run  POST /public/single-actions/run-action with a fresh `id`: planned step by step
//   replay     the same request with the same `id` and new variables: the cached steps, each
//              target verified, no planner call
//   raw        getByLabel('Title').fill, getByLabel('Date').fill, getByLabel('Time').selectOption,
//              getByRole('button', {name: 'Save'}).click on one page of one chromium.launch()
//
// Every run starts on a freshly loaded test/fixtures/sa-calendar.html (the navigation is not
// timed). Two navis run side by side: one with the default rule planner, one with the LLM planner
// against a scripted OpenAI-compatible model server on loopback, which counts model requests (the
// rule planner costs no credits, so only the model server can show that a replay makes no call).
//
// Usage: node --import tsx bench/single-action.ts [--runs N] [--warmup N] [--quick] [--json]
// Exits 0 whether or not the goals are met (it is a measurement); non-zero only when something failed.
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
  promptText,
  startModelServer,
  type ModelServer,
  type RecordedRequest,
  type ScriptedReply,
} from '../test/helpers/model-server.js';
import {
  cpuBusyShare,
  describeMachine,
  machineLines,
  ms,
  ratio,
  rounded,
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
const ACTION_TIMEOUT_MS = 10_000; // navis' default per-action deadline; the raw calls get the same
const REQUEST_TIMEOUT_MS = 60_000;
const GOAL_REPLAY_RATIO = 1.2; // cached replay p50 <= 1.2 x raw p50
const BUSY_SHARE = 0.25; // CPU busy before the start above this: warn that the numbers are noisy

const RAW_LAUNCH = rawLaunchOptions(REQUEST_TIMEOUT_MS);

/** The action of seed 000 and the page it runs on. */
const PAGE = '/sa-calendar.html';
const ACTION = 'Type {{meeting_title}} into Title, type {{date}} into Date, select 15:00 in Time, then click Save';
const TIME = '15:00';
const STATUS_SCRIPT = "document.querySelector('[role=status]').textContent";
const statusFor = (v: Variables) => `Meeting scheduled: ${v.meeting_title} on ${v.date} at ${TIME}`;
/** Model requests one LLM-planned first run makes: type, type, select, click, done. */
const LLM_CALLS_PER_FIRST_RUN = 5;

type Variables = { meeting_title: string; date: string };
const SIDES = ['raw', 'rules', 'llm'] as const;
type Side = (typeof SIDES)[number];
type NavisSide = Exclude<Side, 'raw'>;

const SPEC: RunSpec = { script: 'bench/single-action.ts', minRuns: MIN_RUNS, quickRuns: QUICK_RUNS, minWarmup: 0 };
const USAGE = runUsage(SPEC);

interface NavisSample {
  first: number;
  replay: number;
  firstCredits: number;
  replayCredits: number;
  /** Requests the model server got during the first run / the replay (LLM side only; 0 for rules). */
  firstModelRequests: number;
  replayModelRequests: number;
  replayUsedCache: boolean;
}

/** What is open at any moment, so that an error or Ctrl-C never leaves a Chromium running. */
const open: {
  navis: Array<{ navis: Navis; endSession?: () => Promise<unknown> }>;
  model?: ModelServer;
  fixtures?: FixtureServer;
  dataDirs: string[];
  browser?: Browser;
} = { navis: [], dataDirs: [] };

/** Startups under way (a navis with its session, the raw launch): cleanup lets them finish first, then closes what they opened. */
const starting = new Set<Promise<unknown>>();

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    const quiet = (p: Promise<unknown> | undefined) =>
      p?.catch((err: Error) => console.error(`cleanup: ${err.message}`));
    // A session create in flight would otherwise finish after its navis closed, and leave its Chromium running.
    await Promise.allSettled([...starting]);
    await quiet(open.browser?.close());
    for (const n of open.navis) {
      await quiet(n.endSession?.());
      // Ends every session (killing its browser) and empties the warm pool.
      await quiet(n.navis.close());
    }
    await quiet(open.model?.close());
    await quiet(open.fixtures?.close());
    for (const dir of open.dataDirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  })());
}

/** Starts something that needs closing, unless cleanup has begun (then nothing new may start). */
function opening<T>(work: () => Promise<T>): Promise<T> {
  if (cleaning) return Promise.reject(new Error('interrupted'));
  const started = work();
  starting.add(started);
  const done = () => void starting.delete(started);
  started.then(done, done);
  return started;
}

/** One navis in-process with ONE public session, and the calls the bench makes on it. */
async function startNavis(
  executablePath: string,
  pageUrl: string,
  overrides: NonNullable<Parameters<typeof loadConfig>[1]>,
) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-bench-'));
  open.dataDirs.push(dataDir);
  const apiKey = `nv_bench_${randomBytes(16).toString('hex')}`;
  // No warm pool: the one session launches its browser at create, and no idle spare Chromium
  // runs next to the measured ones.
  const config = loadConfig(
    {},
    { dataDir, port: 0, apiKey, poolSize: 0, logLevel: 'warn', chromePath: executablePath, ...overrides },
  );
  // Logs to stderr, so stdout stays the report (and valid JSON with --json).
  const log = pino({ level: config.logLevel }, pino.destination(2));
  const navis = await buildApp(config, log);
  const held: (typeof open.navis)[number] = { navis };
  open.navis.push(held);
  const base = await navis.listen();

  const api = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(base + urlPath, {
      method,
      headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as Record<string, any> };
  };

  // ONE session for every run (the longest TTL, so a long --runs does not outlive it).
  const created = await api('POST', '/public/sessions', { ttl: 86_400 });
  if (created.status !== 200) throw new Error(`POST /public/sessions answered ${created.status}: ${created.text}`);
  const sessionId = created.json().session_id as string;
  held.endSession = async () => {
    const ended = await api('POST', `/public/sessions/${sessionId}/terminate`);
    if (ended.status !== 204) throw new Error(`terminate ${sessionId} answered ${ended.status}: ${ended.text}`);
  };

  /**
   * Run Task on the session, which calls no planner: checks the status line the last action left
   * (when told), then opens the page afresh for the next one. Not timed.
   */
  const prepare = async (side: string, expectStatus?: string) => {
    const actions = [
      ...(expectStatus === undefined ? [] : [{ type: 'evaluate', script: STATUS_SCRIPT }]),
      { type: 'navigate', url: pageUrl, waitUntil: 'load' },
    ];
    const res = await api('POST', `/browser/sessions/${sessionId}/tasks`, { actions });
    if (res.status !== 201)
      throw new Error(
        `${side}: POST /browser/sessions/${sessionId}/tasks answered ${res.status}: ${res.text.slice(0, 2000)}`,
      );
    if (expectStatus !== undefined)
      check(side, 'the status line after the action', res.json().actionResults[0].value, expectStatus);
  };

  /** The timed call: from the request until the JSON answer is parsed. */
  const runAction = async (id: string, variables: Variables) => {
    const t0 = performance.now();
    const res = await api('POST', '/public/single-actions/run-action', {
      action: ACTION,
      session_id: sessionId,
      id,
      variables,
    });
    const body = res.status === 200 ? res.json() : undefined;
    const elapsed = performance.now() - t0;
    if (!body)
      throw new Error(`POST /public/single-actions/run-action answered ${res.status}: ${res.text.slice(0, 2000)}`);
    return { elapsed, body };
  };

  return { base, sessionId, prepare, runAction };
}

/** Checks what a run left behind, so that a bench of a broken action fails instead of printing numbers. */
function check(side: string, what: string, got: unknown, wanted: unknown): void {
  if (JSON.stringify(got) !== JSON.stringify(wanted))
    throw new Error(`${side}: ${what} was ${JSON.stringify(got)}, expected ${JSON.stringify(wanted)}`);
}

/** The ref the planner showed for an element line such as `textbox "Title"` (as test/agent/single-action.test.ts finds it). */
function refOf(request: RecordedRequest, line: string): string {
  const prompt = promptText(request.body);
  const match = prompt
    .slice(prompt.lastIndexOf('Elements:'))
    .match(new RegExp(`\\[(e\\d+)\\] ${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  if (!match) throw new Error(`the LLM planner did not show the model ${line}`);
  return match[1];
}

/** What the scripted model answers for one first run: the four steps, then done. */
function modelScript(v: Variables): Array<(req: RecordedRequest) => ScriptedReply> {
  return [
    (req) => ({ tool: 'type', args: { ref: refOf(req, 'textbox "Title"'), text: v.meeting_title } }),
    (req) => ({ tool: 'type', args: { ref: refOf(req, 'textbox "Date"'), text: v.date } }),
    (req) => ({ tool: 'select', args: { ref: refOf(req, 'combobox "Time"'), option: TIME } }),
    (req) => ({ tool: 'click', args: { ref: refOf(req, 'button "Save"') } }),
    () => ({ tool: 'done', args: { result: `Meeting ${v.meeting_title} saved` } }),
  ];
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
  open.model = await startModelServer();
  const model = open.model;
  const navis: Record<NavisSide, Awaited<ReturnType<typeof startNavis>>> = {
    rules: await opening(() => startNavis(executablePath, pageUrl, {})),
    llm: await opening(() =>
      startNavis(executablePath, pageUrl, {
        planner: 'llm',
        llmBaseUrl: model.url,
        llmModel: 'scripted-model',
        llmApiKey: 'sk-bench-unused',
      }),
    ),
  };

  // ONE raw Chromium with one page for every run.
  const browser = await opening(() =>
    chromium.launch({ executablePath, ...RAW_LAUNCH }).then((b) => (open.browser = b)),
  );
  const chromiumVersion = browser.version();
  const page: Page = await browser.newPage();

  // A run id unique to this process, so that a first run never finds an entry of an earlier one.
  const nonce = randomBytes(4).toString('hex');
  const firstVars = (i: number): Variables => ({ meeting_title: `Planned ${i}`, date: '2026-11-24' });
  const replayVars = (i: number): Variables => ({ meeting_title: `Replayed ${i}`, date: '2026-12-01' });

  const navisRun = async (side: NavisSide, i: number): Promise<NavisSample> => {
    const n = navis[side];
    const id = `bench-${side}-${nonce}-${i}`;
    const first = firstVars(i);
    const replay = replayVars(i);

    await n.prepare(side);
    if (side === 'llm') model.script(modelScript(first));
    const requestsBeforeFirst = model.requests.length;
    const a = await n.runAction(id, first);
    const firstModelRequests = model.requests.length - requestsBeforeFirst;
    check(
      side,
      'the first run (success, used_cache, set_cache, cache_failed)',
      [a.body.success, a.body.used_cache, a.body.set_cache, a.body.cache_failed],
      [true, false, true, false],
    );
    if (side === 'llm') check(side, 'model requests of the first run', firstModelRequests, LLM_CALLS_PER_FIRST_RUN);

    await n.prepare(side, statusFor(first));
    const requestsBeforeReplay = model.requests.length;
    const b = await n.runAction(id, replay);
    const replayModelRequests = model.requests.length - requestsBeforeReplay;
    check(
      side,
      'the replay (success, used_cache, cache_failed, credits)',
      [b.body.success, b.body.used_cache, b.body.cache_failed, b.body.credits],
      [true, true, false, 0],
    );
    // Not part of the next run: the status line this replay left must be the new variables'.
    await n.prepare(side, statusFor(replay));
    return {
      first: a.elapsed,
      replay: b.elapsed,
      firstCredits: a.body.credits as number,
      replayCredits: b.body.credits as number,
      firstModelRequests,
      replayModelRequests,
      replayUsedCache: b.body.used_cache as boolean,
    };
  };

  const rawRun = async (i: number): Promise<number> => {
    const v = replayVars(i);
    const timeout = ACTION_TIMEOUT_MS;
    await page.goto(pageUrl, { waitUntil: 'load', timeout });
    const t0 = performance.now();
    await page.getByLabel('Title').fill(v.meeting_title, { timeout });
    await page.getByLabel('Date').fill(v.date, { timeout });
    await page.getByLabel('Time').selectOption(TIME, { timeout });
    await page.getByRole('button', { name: 'Save' }).click({ timeout });
    const elapsed = performance.now() - t0;
    check(
      'raw',
      'the status line after the steps',
      await page.locator('[role=status]').textContent({ timeout }),
      statusFor(v),
    );
    return elapsed;
  };

  progress(
    `navis rules ${navis.rules.base}, navis llm ${navis.llm.base} (model server ${model.url}); one session each, one raw page; ` +
      `${opts.warmup} warm-up + ${opts.runs} measured iterations\n`,
  );
  const samples: Record<NavisSide, NavisSample[]> = { rules: [], llm: [] };
  const rawSamples: number[] = [];
  for (let i = -opts.warmup; i < opts.runs; i++) {
    // Rotate which side goes first, so none always runs right after another.
    const shift = ((i % SIDES.length) + SIDES.length) % SIDES.length;
    const order = [...SIDES.slice(shift), ...SIDES.slice(0, shift)];
    for (const side of order) {
      if (side === 'raw') {
        const s = await rawRun(i);
        if (i >= 0) rawSamples.push(s);
      } else {
        const s = await navisRun(side, i);
        if (i >= 0) samples[side].push(s);
      }
    }
    if (i >= 0) progress('.');
  }
  progress('\n');

  const of = (list: NavisSample[], pick: (s: NavisSample) => number) => summarize(list.map(pick));
  const stats = {
    rules: { first: of(samples.rules, (s) => s.first), replay: of(samples.rules, (s) => s.replay) },
    llm: { first: of(samples.llm, (s) => s.first), replay: of(samples.llm, (s) => s.replay) },
    raw: summarize(rawSamples),
  };
  const ratios = (s: Stats) => ({ p50: s.p50 / stats.raw.p50, p95: s.p95 / stats.raw.p95 });
  const sum = (list: NavisSample[], pick: (s: NavisSample) => number) => list.reduce((a, s) => a + pick(s), 0);
  const calls = {
    llmFirstRunRequests: sum(samples.llm, (s) => s.firstModelRequests),
    llmFirstRunCredits: sum(samples.llm, (s) => s.firstCredits),
    llmReplayRequests: sum(samples.llm, (s) => s.replayModelRequests),
    replayCredits: sum([...samples.rules, ...samples.llm], (s) => s.replayCredits),
    replaysUsingCache: [...samples.rules, ...samples.llm].filter((s) => s.replayUsedCache).length,
    replays: samples.rules.length + samples.llm.length,
    /** Every model request of the whole bench, warm-up included. */
    modelRequestsTotal: model.requests.length,
  };
  const replayGoal = (side: NavisSide, label: string) => ({
    name: `cached replay p50 <= ${GOAL_REPLAY_RATIO} x raw p50 (${label})`,
    value: stats[side].replay.p50,
    limit: GOAL_REPLAY_RATIO * stats.raw.p50,
    ratio: ratios(stats[side].replay).p50,
    pass: stats[side].replay.p50 <= GOAL_REPLAY_RATIO * stats.raw.p50,
  });
  const goals = [
    replayGoal('rules', 'rule planner, the default'),
    replayGoal('llm', 'LLM planner'),
    {
      name: 'planner calls on replay = 0',
      value: calls.llmReplayRequests,
      limit: 0,
      pass: calls.llmReplayRequests === 0 && calls.replayCredits === 0 && calls.replaysUsingCache === calls.replays,
    },
  ];
  const loadavgAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const busy = cpuBusyBefore !== undefined && cpuBusyBefore > BUSY_SHARE;

  if (opts.json) {
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const r1 = (x: number) => Math.round(x * 10) / 10;
    const ratioOut = (s: Stats) => ({ p50: r3(ratios(s).p50), p95: r3(ratios(s).p95) });
    console.log(
      JSON.stringify(
        {
          bench: 'single-action',
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
            action: ACTION,
            pageUrl: `local fixture (test/fixtures${PAGE})`,
          },
          unit: 'ms',
          firstRun: { rules: rounded(stats.rules.first), llm: rounded(stats.llm.first) },
          replay: { rules: rounded(stats.rules.replay), llm: rounded(stats.llm.replay) },
          raw: rounded(stats.raw),
          replayOverRaw: { rules: ratioOut(stats.rules.replay), llm: ratioOut(stats.llm.replay) },
          firstOverRaw: { rules: ratioOut(stats.rules.first), llm: ratioOut(stats.llm.first) },
          plannerCalls: calls,
          busy,
          goals: goals.map((g) => ({
            ...g,
            value: r1(g.value),
            limit: r1(g.limit),
            ...('ratio' in g ? { ratio: r3(g.ratio) } : {}),
          })),
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
    `runs      ${opts.runs} measured (+${opts.warmup} warm-up); raw, navis (rule planner) and navis (LLM planner) interleaved, ` +
      'rotating which goes first; one session per navis, one raw page',
  );
  out.push(`action    "${ACTION}"`);
  out.push(
    `          on test/fixtures${PAGE}, freshly loaded before every timed run (not timed); navis: POST run-action until the JSON answer is parsed`,
  );
  out.push('');
  out.push(
    table(header, [
      statRow('raw playwright-core', stats.raw),
      statRow('rule planner  first run', stats.rules.first),
      statRow('              replay', stats.rules.replay),
      ratioRow('              replay / raw', ratios(stats.rules.replay)),
      statRow('LLM planner   first run', stats.llm.first),
      statRow('              replay', stats.llm.replay),
      ratioRow('              replay / raw', ratios(stats.llm.replay)),
    ]),
  );
  out.push(
    '  ratios: p50 over raw p50, p95 over raw p95. The model server answers at once: a real model adds its own latency to every LLM call.',
  );
  out.push('');
  out.push('planner calls');
  out.push(
    `  LLM first runs: ${calls.llmFirstRunRequests} model requests in ${samples.llm.length} runs (${calls.llmFirstRunCredits} credits); ` +
      `replays: ${calls.llmReplayRequests} model requests in ${samples.llm.length} replays`,
  );
  out.push(
    `  all replays: ${calls.replaysUsingCache} of ${calls.replays} used the cache, ${calls.replayCredits} credits in all (the rule planner costs 0 credits either way)`,
  );
  out.push('');
  out.push('goals');
  for (const g of goals) {
    if ('ratio' in g)
      out.push(
        `  ${g.pass ? 'PASS' : 'MISS'}  ${g.name}: ${ms(g.value)} ms (limit ${ms(g.limit)} ms; ratio ${ratio(g.ratio)})`,
      );
    else
      out.push(
        `  ${g.pass ? 'PASS' : 'MISS'}  ${g.name}: ${g.value} model requests during ${samples.llm.length} LLM-cached replays`,
      );
  }
  console.log(out.join('\n'));
}

await runBench(main, cleanup, USAGE);
