// bench/miniwob: an outside benchmark for natural-language actions. Every MiniWoB++ task whose goal
// the page states in words and that one natural-language action can do (TASKS below; the others in
// EXCLUDED, each with the reason) runs N episodes on the vendored pages in bench/miniwob/html:
//
//   setup      one typed task on the navis session (not timed): navigate to the task page, then an
//              evaluate that seeds MiniWoB's random generator (Math.seedrandom), starts the episode
//              as MiniWoB's own Python driver does (core.startEpisodeReal(), wait for WOB_TASK_READY)
//              and reads the instruction (core.getUtterance())
//   action     POST /public/single-actions/run-action {action: <the instruction as written>,
//              session_id} on the same session, no `id` (no step cache): timed
//   reward     one more typed task reads WOB_DONE_GLOBAL, WOB_RAW_REWARD_GLOBAL, WOB_REWARD_REASON
//
// An episode is a success when it is done with a raw reward > 0 (MiniWoB's raw reward, without
// its time penalty; partial rewards exist in a few tasks and count when positive). navis's own
// success flag is recorded beside it: "navis said success but the reward is <= 0" is a false
// success. Nothing in src/ knows about MiniWoB: the planner must generalise.
//
// Usage: node --import tsx bench/miniwob.ts [--tasks a,b] [--episodes N] [--seed S] [--episode-ms MS]
//          [--planner rules|llm] [--model-url URL] [--model NAME] [--api-key KEY] [--json] [--verbose]
// Exits 0 whatever the success rate (it is a measurement); non-zero only when something failed.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { buildApp, type Navis } from '../src/app.js';
import { findChrome } from '../src/browsers/find-chrome.js';
import { loadConfig } from '../src/config.js';
import { cpuBusyShare, describeMachine, intOption, percentile, runBench, table, UsageError } from './lib.js';

/** The vendored MiniWoB++ pages (bench/miniwob/README.md). */
export const MINIWOB_HTML = path.join(path.dirname(fileURLToPath(import.meta.url)), 'miniwob', 'html');

/**
 * The declared list: every MiniWoB++ task whose goal its page states in words and that a person
 * could ask for in one instruction. Some need reading the page (copy-paste, find-word, read-table,
 * phone-book) or a wait (button-delay): that is still one action stated in words.
 */
export const TASKS = [
  'button-delay',
  'choose-date',
  'choose-date-easy',
  'choose-date-medium',
  'choose-date-nodelay',
  'choose-list',
  'click-button',
  'click-button-sequence',
  'click-checkboxes',
  'click-checkboxes-large',
  'click-checkboxes-transfer',
  'click-collapsible',
  'click-collapsible-2',
  'click-collapsible-2-nodelay',
  'click-collapsible-nodelay',
  'click-dialog',
  'click-dialog-2',
  'click-link',
  'click-menu',
  'click-option',
  'click-pie',
  'click-pie-nodelay',
  'click-scroll-list',
  'click-tab',
  'click-tab-2',
  'click-tab-2-easy',
  'click-tab-2-hard',
  'click-tab-2-medium',
  'click-test',
  'click-test-2',
  'click-test-transfer',
  'click-widget',
  'copy-paste',
  'copy-paste-2',
  'email-inbox',
  'email-inbox-delete',
  'email-inbox-forward',
  'email-inbox-forward-nl',
  'email-inbox-forward-nl-turk',
  'email-inbox-important',
  'email-inbox-nl-turk',
  'email-inbox-noscroll',
  'email-inbox-reply',
  'email-inbox-star-reply',
  'enter-date',
  'enter-password',
  'enter-text',
  'enter-text-2',
  'enter-text-dynamic',
  'enter-time',
  'find-word',
  'focus-text',
  'focus-text-2',
  'form-sequence-2',
  'form-sequence-3',
  'login-user',
  'login-user-popup',
  'multi-layouts',
  'multi-orderings',
  'navigate-tree',
  'order-food',
  'phone-book',
  'read-table',
  'read-table-2',
  'scroll-text',
  'scroll-text-2',
  'search-engine',
  'sign-agreement',
  'social-media',
  'social-media-all',
  'social-media-some',
  'unicode-test',
  'use-autocomplete',
  'use-autocomplete-nodelay',
  'use-spinner',
] as const;

const DRAG = 'needs dragging the mouse, not an action stated in words';
const VISUAL = 'needs visual judgement: the target is a shape, colour, position or picture, not words';
const TIMING = 'needs timing: acting on something that moves or changes while one watches';
const REASONING = 'a puzzle or arithmetic to solve, not an instruction to carry out';

/** Every other MiniWoB++ task, and why it is left out. With TASKS, this covers html/miniwob exactly (the test checks). */
export const EXCLUDED: Record<string, string> = {
  'ascending-numbers': REASONING + ' (click numbers in sorted order)',
  'bisect-angle': VISUAL,
  'book-flight': REASONING + ' (pick the cheapest/shortest flight among the results)',
  'book-flight-nodelay': REASONING + ' (pick the cheapest/shortest flight among the results)',
  'buy-ticket': REASONING + ' (pick the cheapest/most expensive/shortest ticket)',
  'chase-circle': TIMING,
  'circle-center': VISUAL,
  'click-checkboxes-soft': 'needs word-similarity judgement: the targets are "words similar to X", never named',
  'click-color': VISUAL,
  'click-menu-2': 'half its instructions name the item by an icon only ("the item with the  icon"): not in words',
  'click-shades': VISUAL,
  'click-shape': VISUAL,
  'count-shape': VISUAL,
  'count-sides': VISUAL,
  'daily-calendar': 'a free-form calendar app driven by dragging events',
  'drag-box': DRAG,
  'drag-circle': DRAG,
  'drag-cube': DRAG,
  'drag-items': DRAG,
  'drag-items-grid': DRAG,
  'drag-shapes': DRAG,
  'drag-shapes-2': DRAG,
  'drag-single-shape': DRAG,
  'drag-sort-numbers': DRAG,
  'draw-circle': DRAG + ' (drawing)',
  'draw-line': DRAG + ' (drawing)',
  'find-greatest': REASONING + ' (turn cards over to find the largest number)',
  'find-midpoint': VISUAL,
  'form-sequence': DRAG + ' (a slider)',
  'generate-number': REASONING + ' (press a random generator until its number fits)',
  'grid-coordinate': VISUAL,
  'guess-number': REASONING + ' (guess from feedback)',
  'highlight-text': DRAG + ' (select text with the mouse)',
  'highlight-text-2': DRAG + ' (select text with the mouse)',
  'hot-cold': REASONING + ' (search from hot/cold feedback)',
  'hover-shape': TIMING + ' (keep hovering a square that moves)',
  'identify-shape': VISUAL,
  'moving-items': TIMING,
  'number-checkboxes': VISUAL + ' (draw a digit in a checkbox grid)',
  'odd-or-even': REASONING,
  'resize-textarea': DRAG,
  'right-angle': VISUAL,
  'simon-says': TIMING + ' (repeat a sequence shown as flashes)',
  'simple-algebra': REASONING,
  'simple-arithmetic': REASONING,
  'stock-market': TIMING + ' (buy when a moving price drops below a threshold)',
  terminal: 'a free-form terminal app: the goal needs shell commands, not page actions',
  'text-editor': DRAG + ' (select a span of text in a rich-text editor)',
  'text-transform': VISUAL + ' (read distorted text)',
  'tic-tac-toe': REASONING + ' (a game)',
  'use-colorwheel': VISUAL + ' (pick a colour on a wheel)',
  'use-colorwheel-2': VISUAL + ' (pick a colour on a wheel)',
  'use-slider': DRAG + ' (a slider)',
  'use-slider-2': DRAG + ' (sliders)',
  'visual-addition': VISUAL,
};

export interface MiniwobOptions {
  tasks: readonly string[];
  episodes: number;
  /** The base seed; episode i of task t runs with `${seed}-${t}-${i}`. */
  seed: string;
  /** core.EPISODE_MAX_TIME: the episode ends with -1 "timed out" after this long (MiniWoB's default 10000). */
  episodeMs: number;
  planner: 'rules' | 'llm';
  /** The LLM planner's OpenAI-compatible server, model and key (planner 'llm' only). */
  modelUrl?: string;
  model?: string;
  apiKey?: string;
  /** Chromium for navis; CHROME_PATH or the usual install locations when absent. */
  executablePath?: string;
  /** Progress lines (one per task); nothing when absent. */
  progress?: (line: string) => void;
}

export interface Episode {
  task: string;
  index: number;
  seed: string;
  utterance: string;
  /** navis's answer: success flag, error text, result, steps. */
  navisSuccess: boolean;
  error: string | null;
  result: string;
  steps: string[];
  /** MiniWoB's verdict, read after the action. */
  done: boolean;
  rawReward: number;
  reason: string | null;
  /** The START cover was clicked after the episode ended, starting another one: the verdict is the first episode's. */
  restarted: boolean;
  success: boolean;
  /** Why it failed, normalised for grouping; null on success. */
  cause: string | null;
  /** The run-action request, from send until its JSON answer was parsed. */
  ms: number;
}

export interface TaskSummary {
  task: string;
  episodes: number;
  successes: number;
  rate: number;
  p50Ms: number;
}

export interface FailureGroup {
  cause: string;
  count: number;
  tasks: Record<string, number>;
  examples: Array<{ task: string; seed: string; utterance: string; error: string | null; steps: string[] }>;
}

export interface MiniwobReport {
  bench: 'miniwob';
  settings: {
    tasks: string[];
    episodes: number;
    seed: string;
    episodeMs: number;
    planner: 'rules' | 'llm';
    model: string | null;
    success: string;
  };
  tasks: TaskSummary[];
  overall: {
    /** The mean of the per-task rates (every task weighs the same). */
    meanTaskRate: number;
    successes: number;
    episodes: number;
    /** successes / episodes. */
    rate: number;
    /** navis said success and the reward was <= 0 or the episode not done. */
    falseSuccesses: number;
    /** navis said failure yet the reward was > 0. */
    falseFailures: number;
    p50Ms: number;
    p95Ms: number;
  };
  failures: FailureGroup[];
  episodes: Episode[];
}

/** Answers with a bench failure (not a planner failure): the page or navis did not do what the harness needs. */
class HarnessError extends Error {}

const REQUEST_SLACK_MS = 60_000;
const MAX_EXAMPLES = 3;

/** Episode setup, run in the task page by a typed task's evaluate (as MiniWoB's Python driver does it). */
function startScript(seed: string, episodeMs: number): string {
  return `
if (typeof core === 'undefined' || typeof core.startEpisodeReal !== 'function') throw new Error('not a MiniWoB page');
Math.seedrandom(${JSON.stringify(seed)});
core.EPISODE_MAX_TIME = ${episodeMs};
core.setDataMode('train');
// Observe only: the first end of this episode, and whether a click on the START cover began another.
const bench = (window.__navisBench = { end: null, starts: 0 });
const end = core.endEpisode;
core.endEpisode = function (reward, timeProportional, reason) {
  if (core.EP_TIMER !== null && bench.end === null) bench.end = { raw: reward, reason: reason === undefined ? null : reason };
  return end.apply(this, arguments);
};
const start = core.startEpisodeReal;
core.startEpisodeReal = function () {
  bench.starts++;
  return start.apply(this, arguments);
};
core.startEpisodeReal();
for (let i = 0; i < 40 && !WOB_TASK_READY; i++) await new Promise((r) => setTimeout(r, 50));
// A few tasks (the *-nl ones) answer {utterance, fields}, as MiniWoB's Python driver expects.
const said = core.getUtterance();
return { ready: WOB_TASK_READY === true, utterance: typeof said === 'string' ? said : String(said && said.utterance) };`;
}

/** The verdict: the first end the start script saw, else MiniWoB's globals; waits up to 1 s for an end still on its way. */
const READ_SCRIPT = `
const bench = window.__navisBench;
if (!bench) throw new Error('the episode page is gone (navigated away?)');
for (let i = 0; i < 20 && !bench.end && !WOB_DONE_GLOBAL; i++) await new Promise((r) => setTimeout(r, 50));
return bench.end
  ? { done: true, raw: bench.end.raw, reason: bench.end.reason, restarted: bench.starts > 1 }
  : { done: WOB_DONE_GLOBAL, raw: WOB_RAW_REWARD_GLOBAL, reason: WOB_REWARD_REASON, restarted: bench.starts > 1 };`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain',
};

/** A static file server for bench/miniwob/html on 127.0.0.1 (GET only). */
export async function serveDirectory(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://miniwob');
    const file = path.join(root, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An error text with its particulars taken out, so that the same failure on other pages groups together. */
export function normalizeError(text: string): string {
  let out = text
    .replace(/https?:\/\/\S+/g, 'URL')
    .replace(/"[^"]*"|“[^”]*”/g, '"…"')
    .replace(/(^|[\s(])'[^']*'(?=[\s,.;:)]|$)/g, '$1"…"')
    // A list in parentheses (a dropdown's options, the verbs the planner knows) varies with the page.
    .replace(/\([^()]*\)/g, '(…)');
  // A quote inside a quote ("Use the textbox to enter "Kenda"", "… "At dictum eu."") leaves
  // "…"Kenda"…": one string (a closing quote is never directly followed by a letter).
  for (let before = ''; before !== out;) {
    before = out;
    out = out.replace(/"…"(?=\w)[^"]*"…"/g, '"…"');
  }
  return out
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

function causeOf(e: Omit<Episode, 'cause' | 'success'>, episodeMs: number): string {
  if (!e.navisSuccess) return normalizeError(e.error ?? 'navis said failure without an error text');
  if (!e.done) return 'navis said success but the episode is not done';
  if (e.reason === 'timed out') return `navis said success but the episode had timed out (${episodeMs} ms)`;
  return 'navis said success but reward <= 0 (a false success)';
}

/** What is open in the runs under way, so that an error or Ctrl-C never leaves a Chromium running. */
const closers = new Set<() => Promise<void>>();

/** Closes whatever runMiniwob calls have open (navis with its sessions, the page server). */
export async function closeMiniwob(): Promise<void> {
  const all = [...closers];
  closers.clear();
  for (const close of all.reverse()) await close().catch((err: Error) => console.error(`cleanup: ${err.message}`));
}

/** Runs the benchmark and answers its report; closes everything it opened, also when it fails. */
export async function runMiniwob(opts: MiniwobOptions): Promise<MiniwobReport> {
  const unknown = opts.tasks.filter((t) => !fs.existsSync(path.join(MINIWOB_HTML, 'miniwob', `${t}.html`)));
  if (unknown.length) throw new UsageError(`unknown MiniWoB++ task(s): ${unknown.join(', ')}`);
  if (opts.planner === 'llm' && !opts.model)
    throw new UsageError('--planner llm needs --model (or NAVIS_LLM_MODEL), and --model-url for a non-OpenAI server');
  const progress = opts.progress ?? (() => {});
  const mine: Array<() => Promise<void>> = [];
  const hold = (close: () => Promise<void>) => {
    mine.push(close);
    closers.add(close);
  };
  try {
    const pages = await serveDirectory(MINIWOB_HTML);
    hold(() => pages.close());

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'navis-bench-miniwob-'));
    hold(async () => fs.rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 }));
    const adminKey = `nv_bench_${randomBytes(16).toString('hex')}`;
    // The admin key acts as the default tenant, whose network policy allows 127.0.0.1 (the pages).
    const config = loadConfig(
      {},
      {
        dataDir,
        port: 0,
        apiKey: adminKey,
        poolSize: 0,
        logLevel: 'warn',
        chromePath: opts.executablePath ?? findChrome(process.env.CHROME_PATH || undefined),
        planner: opts.planner,
        ...(opts.planner === 'llm'
          ? {
              llmModel: opts.model,
              ...(opts.modelUrl ? { llmBaseUrl: opts.modelUrl } : {}),
              ...(opts.apiKey ? { llmApiKey: opts.apiKey } : {}),
            }
          : {}),
      },
    );
    const navis: Navis = await buildApp(config, pino({ level: config.logLevel }, pino.destination(2)));
    hold(() => navis.close());
    const base = await navis.listen();
    const timeout = opts.episodeMs + REQUEST_SLACK_MS;
    const api = async (method: string, urlPath: string, body?: unknown) => {
      const res = await fetch(base + urlPath, {
        method,
        headers: { 'x-api-key': adminKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
      });
      const text = await res.text();
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, text, json };
    };

    const created = await api('POST', '/public/sessions', { ttl: 86_400 });
    if (created.status !== 200) throw new Error(`POST /public/sessions answered ${created.status}: ${created.text}`);
    const sessionId = created.json.session_id as string;
    hold(async () => {
      const ended = await api('POST', `/public/sessions/${sessionId}/terminate`);
      if (ended.status !== 204) throw new Error(`terminate ${sessionId} answered ${ended.status}: ${ended.text}`);
    });

    /** A typed task on the session (no planner): answers each action's result value. */
    const typed = async (actions: unknown[]): Promise<any[]> => {
      const res = await api('POST', `/browser/sessions/${sessionId}/tasks`, { actions });
      if (res.status !== 201 || !Array.isArray(res.json?.actionResults))
        throw new HarnessError(`typed task answered ${res.status}: ${res.text.slice(0, 500)}`);
      return (res.json.actionResults as Array<{ value?: unknown }>).map((r) => r.value);
    };

    const episodes: Episode[] = [];
    for (const task of opts.tasks) {
      const url = `${pages.url}/miniwob/${task}.html`;
      for (let i = 0; i < opts.episodes; i++) {
        const seed = `${opts.seed}-${task}-${i}`;
        try {
          episodes.push(await episode(task, url, i, seed));
        } catch (error) {
          if (!(error instanceof HarnessError)) throw error;
          // Recorded, not fatal: the next episode loads the page afresh.
          episodes.push({
            task,
            index: i,
            seed,
            utterance: '',
            navisSuccess: false,
            error: error.message,
            result: '',
            steps: [],
            done: false,
            rawReward: 0,
            reason: null,
            restarted: false,
            success: false,
            cause: `harness: ${normalizeError(error.message)}`,
            ms: Number.NaN,
          });
        }
      }
      const mineDone = episodes.filter((e) => e.task === task);
      progress(`${task}: ${mineDone.filter((e) => e.success).length}/${mineDone.length}\n`);
    }
    return report(opts, episodes);

    async function episode(task: string, url: string, i: number, seed: string): Promise<Episode> {
      const values = await typed([
        { type: 'navigate', url, waitUntil: 'load' },
        { type: 'evaluate', script: startScript(seed, opts.episodeMs) },
      ]);
      const started = values[1] as { ready: boolean; utterance: string };
      if (!started.ready) throw new HarnessError(`${task} (seed ${seed}): WOB_TASK_READY stayed false for 2 s`);
      if (!started.utterance) throw new HarnessError(`${task} (seed ${seed}): the page shows no instruction`);

      const t0 = performance.now();
      const res = await api('POST', '/public/single-actions/run-action', {
        action: started.utterance,
        session_id: sessionId,
      });
      const elapsed = performance.now() - t0;
      if (res.status !== 200 || !res.json)
        throw new HarnessError(`run-action answered ${res.status}: ${res.text.slice(0, 500)}`);
      const body = res.json;

      const [verdict] = (await typed([{ type: 'evaluate', script: READ_SCRIPT }])) as [
        { done: boolean; raw: number; reason: string | null; restarted: boolean },
      ];
      const partial = {
        task,
        index: i,
        seed,
        utterance: started.utterance,
        navisSuccess: body.success === true,
        error: typeof body.error === 'string' ? body.error : null,
        result: typeof body.result === 'string' ? body.result : '',
        steps: Array.isArray(body.steps) ? (body.steps as string[]) : [],
        done: verdict.done === true,
        rawReward: Number(verdict.raw),
        reason: verdict.reason === null || verdict.reason === undefined ? null : String(verdict.reason),
        restarted: verdict.restarted === true,
        ms: Math.round(elapsed * 10) / 10,
      };
      const success = partial.done && partial.rawReward > 0;
      return { ...partial, success, cause: success ? null : causeOf(partial, opts.episodeMs) };
    }
  } finally {
    for (const close of mine.reverse()) {
      closers.delete(close);
      await close().catch((err: Error) => console.error(`cleanup: ${err.message}`));
    }
  }
}

const round1 = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : x);
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const p50Of = (list: Episode[]) =>
  round1(
    percentile(
      list
        .map((e) => e.ms)
        .filter(Number.isFinite)
        .sort((a, b) => a - b),
      50,
    ),
  );

function report(opts: MiniwobOptions, episodes: Episode[]): MiniwobReport {
  const tasks = opts.tasks.map((task) => {
    const mine = episodes.filter((e) => e.task === task);
    const successes = mine.filter((e) => e.success).length;
    return {
      task,
      episodes: mine.length,
      successes,
      rate: mine.length ? round3(successes / mine.length) : 0,
      p50Ms: p50Of(mine),
    };
  });
  const groups = new Map<string, FailureGroup>();
  for (const e of episodes) {
    if (e.cause === null) continue;
    const g = groups.get(e.cause) ?? { cause: e.cause, count: 0, tasks: {}, examples: [] };
    g.count++;
    g.tasks[e.task] = (g.tasks[e.task] ?? 0) + 1;
    // Examples from different tasks first: they say more about the cause than three of one task.
    if (g.examples.length < MAX_EXAMPLES && !g.examples.some((x) => x.task === e.task))
      g.examples.push({ task: e.task, seed: e.seed, utterance: e.utterance, error: e.error, steps: e.steps });
    groups.set(e.cause, g);
  }
  const successes = episodes.filter((e) => e.success).length;
  const sorted = episodes
    .map((e) => e.ms)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  return {
    bench: 'miniwob',
    settings: {
      tasks: [...opts.tasks],
      episodes: opts.episodes,
      seed: opts.seed,
      episodeMs: opts.episodeMs,
      planner: opts.planner,
      model: opts.planner === 'llm' ? (opts.model ?? null) : null,
      success: 'the episode is done with a raw reward > 0',
    },
    tasks,
    overall: {
      meanTaskRate: tasks.length ? round3(tasks.reduce((a, t) => a + t.rate, 0) / tasks.length) : 0,
      successes,
      episodes: episodes.length,
      rate: episodes.length ? round3(successes / episodes.length) : 0,
      falseSuccesses: episodes.filter((e) => e.navisSuccess && !e.success).length,
      falseFailures: episodes.filter((e) => !e.navisSuccess && e.success).length,
      p50Ms: round1(percentile(sorted, 50)),
      p95Ms: round1(percentile(sorted, 95)),
    },
    failures: [...groups.values()].sort((a, b) => b.count - a.count),
    episodes,
  };
}

/** The report as text: per-task table, overall rates, failures by cause, time per action. */
export function formatReport(r: MiniwobReport, verbose: boolean): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  const out: string[] = [];
  out.push(
    `MiniWoB++: ${r.settings.tasks.length} tasks x ${r.settings.episodes} episodes, seed ${r.settings.seed}, ` +
      `episode limit ${r.settings.episodeMs} ms, planner ${r.settings.planner}${r.settings.model ? ` (${r.settings.model})` : ''}`,
  );
  out.push(`success = ${r.settings.success}`);
  out.push('');
  out.push(
    table(
      ['task', 'episodes', 'successes', 'rate', 'p50 ms'],
      r.tasks.map((t) => [
        t.task,
        String(t.episodes),
        String(t.successes),
        pct(t.rate),
        Number.isFinite(t.p50Ms) ? t.p50Ms.toFixed(0) : '-',
      ]),
    ),
  );
  out.push('');
  const o = r.overall;
  out.push(
    `overall   mean of per-task rates ${pct(o.meanTaskRate)}; ${o.successes}/${o.episodes} episodes (${pct(o.rate)})`,
  );
  out.push(
    `navis     ${o.falseSuccesses} false successes (navis said success, reward <= 0), ${o.falseFailures} false failures (navis said failure, reward > 0)`,
  );
  out.push(
    `time      p50 ${o.p50Ms.toFixed(0)} ms, p95 ${o.p95Ms.toFixed(0)} ms per action (run-action request to parsed answer)`,
  );
  if (r.failures.length) {
    out.push('');
    out.push('failures by cause');
    for (const g of r.failures) {
      const tasks = Object.entries(g.tasks)
        .sort((a, b) => b[1] - a[1])
        .map(([t, n]) => `${t} ${n}`)
        .join(', ');
      out.push(`  ${String(g.count).padStart(4)}  ${g.cause}`);
      out.push(`        tasks: ${tasks}`);
      const x = g.examples[0];
      out.push(`        e.g. "${x.utterance}"${x.error ? ` -> ${x.error}` : ''}`);
    }
  }
  if (verbose) {
    const failed = r.episodes.filter((e) => !e.success);
    if (failed.length) {
      out.push('');
      out.push('failed episodes');
      for (const e of failed) {
        out.push(`  ${e.task} #${e.index} (seed ${e.seed}), ${e.ms.toFixed(0)} ms`);
        out.push(`    instruction: ${e.utterance}`);
        out.push(
          `    navis: ${e.navisSuccess ? 'success' : 'failure'}${e.error ? `: ${e.error}` : ''}${e.result ? ` | result: ${e.result}` : ''}`,
        );
        for (const s of e.steps) out.push(`    step: ${s}`);
        out.push(
          `    reward: ${e.done ? e.rawReward : 'not done'}${e.reason ? ` (${e.reason})` : ''}${e.restarted ? ' [a click on START began another episode]' : ''}`,
        );
      }
    }
  }
  return out.join('\n');
}

const USAGE = `Usage: node --import tsx bench/miniwob.ts [options]

  --tasks a,b,c       a subset of the declared tasks (default: all ${TASKS.length})
  --episodes N        episodes per task (default 10)
  --seed S            base seed (default: random, printed); episode i of task t uses S-t-i
  --episode-ms MS     MiniWoB's episode time limit, core.EPISODE_MAX_TIME (default 10000)
  --planner P         rules (default) or llm; default NAVIS_PLANNER
  --model-url URL     OpenAI-compatible base URL for --planner llm (default NAVIS_LLM_BASE_URL, else OpenAI's)
  --model NAME        model name for --planner llm (default NAVIS_LLM_MODEL)
  --api-key KEY       model server key (default NAVIS_LLM_API_KEY)
  --json              print one JSON object (every episode included) instead of the tables
  --verbose           also print every failed episode: instruction, navis's error, steps, reward
  -h, --help          this text

Chromium: CHROME_PATH, else the usual install locations (as navis finds it).`;

export function parseMiniwobArgs(argv: string[]): MiniwobOptions & { json: boolean; verbose: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        tasks: { type: 'string' },
        episodes: { type: 'string' },
        seed: { type: 'string' },
        'episode-ms': { type: 'string' },
        planner: { type: 'string' },
        'model-url': { type: 'string' },
        model: { type: 'string' },
        'api-key': { type: 'string' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
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
  const tasks = values.tasks
    ? values.tasks
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : [...TASKS];
  const planner = values.planner ?? process.env.NAVIS_PLANNER ?? 'rules';
  if (planner !== 'rules' && planner !== 'llm') throw new UsageError(`--planner must be rules or llm (got ${planner})`);
  return {
    tasks,
    episodes: intOption('episodes', values.episodes, 10, 1),
    seed: values.seed ?? randomBytes(4).toString('hex'),
    episodeMs: intOption('episode-ms', values['episode-ms'], 10_000, 1000),
    planner,
    modelUrl: values['model-url'] ?? (process.env.NAVIS_LLM_BASE_URL || undefined),
    model: values.model ?? (process.env.NAVIS_LLM_MODEL || undefined),
    apiKey: values['api-key'] ?? (process.env.NAVIS_LLM_API_KEY || undefined),
    json: values.json,
    verbose: values.verbose,
  };
}

async function main(): Promise<void> {
  const opts = parseMiniwobArgs(process.argv.slice(2));
  const stream = opts.json ? process.stderr : process.stdout;
  const machine = describeMachine();
  const cpuBusyBefore = await cpuBusyShare(1000);
  stream.write(
    `seed ${opts.seed}; ${opts.tasks.length} tasks x ${opts.episodes} episodes; planner ${opts.planner}` +
      `${opts.planner === 'llm' ? ` (${opts.model} at ${opts.modelUrl ?? 'the default OpenAI URL'})` : ''}\n`,
  );
  const r = await runMiniwob({ ...opts, progress: (line) => stream.write(line) });
  const machineOut = {
    ...machine,
    cpuBusyBeforeStart: cpuBusyBefore === undefined ? null : round3(cpuBusyBefore),
    loadavgAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
  if (opts.json) {
    console.log(JSON.stringify({ ...r, machine: machineOut }, null, 2));
    return;
  }
  console.log(
    `\nmachine   ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.totalMemGiB} GiB, ${machine.platform}; node ${machine.node}`,
  );
  console.log(formatReport(r, opts.verbose));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href)
  await runBench(main, closeMiniwob, USAGE);
