// Small helpers shared by the benchmarks in bench/: summary statistics, the table printer and the
// description of the machine a run happened on. No dependency on navis itself.
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

/** Percentile by linear interpolation between closest ranks (numpy's default, "type 7"). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export function summarize(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Rounds every number of a stats object to 0.1 ms, for JSON output. */
export function rounded(stats: Stats): Stats {
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    n: stats.n,
    p50: r(stats.p50),
    p95: r(stats.p95),
    mean: r(stats.mean),
    min: r(stats.min),
    max: r(stats.max),
  };
}

export const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
export const ratio = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : '-');

/** A plain fixed-width table: first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  totalMemGiB: number;
  platform: string;
  node: string;
  playwrightCore: string;
  loadavgAtStart: number[];
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  let playwrightCore = 'unknown';
  try {
    playwrightCore = (createRequire(import.meta.url)('playwright-core/package.json') as { version: string }).version;
  } catch {
    // not resolvable: leave unknown
  }
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    playwrightCore,
    loadavgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/**
 * The share of all CPUs that was busy over `windowMs`, from /proc/stat (Linux); undefined elsewhere.
 * Taken before a bench starts anything, it tells whether something else is using the machine.
 */
export async function cpuBusyShare(windowMs = 1000): Promise<number | undefined> {
  const read = () => {
    const line = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('cpu '));
    if (!line) throw new Error('no cpu line');
    const v = line.trim().split(/\s+/).slice(1, 9).map(Number); // user nice system idle iowait irq softirq steal
    const idle = v[3] + v[4];
    return { idle, total: v.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = read();
    await sleep(windowMs);
    const b = read();
    return b.total > a.total ? 1 - (b.idle - a.idle) / (b.total - a.total) : undefined;
  } catch {
    return undefined;
  }
}

export const sleep = (msToWait: number) => new Promise<void>((r) => setTimeout(r, msToWait));

/** A difference in ms with its sign (`+1.2`, `-0.4`), for "navis minus raw" columns. */
export const signedMs = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(1)}` : '-');

/** Width and height from a PNG's IHDR chunk; undefined when the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('latin1', 12, 16) !== 'IHDR')
    return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * The header lines every bench prints about where it ran: machine, software, CPU load before the
 * start and load average, and a WARNING line when the CPUs were busier than `busyShare` before
 * the bench started anything.
 */
export function machineLines(
  machine: Machine,
  run: {
    chromium: string;
    executablePath: string;
    cpuBusyBefore: number | undefined;
    loadavgAtEnd: number[];
    busyShare: number;
  },
): string[] {
  const pct = (x: number | undefined) => (x === undefined ? 'unknown' : `${Math.round(x * 100)}%`);
  const lines = [
    `machine   ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.totalMemGiB} GiB, ${machine.platform}`,
    `software  node ${machine.node}, playwright-core ${machine.playwrightCore}, Chromium ${run.chromium} (${run.executablePath})`,
    `load      CPU ${pct(run.cpuBusyBefore)} busy in the 2 s before the start; load avg ${machine.loadavgAtStart.join(' ')} at start, ` +
      `${run.loadavgAtEnd.join(' ')} at end (the bench's own browsers raise it)`,
  ];
  if (run.cpuBusyBefore !== undefined && run.cpuBusyBefore > run.busyShare) {
    lines.push(
      `WARNING   something else was using the CPU when the bench started (> ${run.busyShare * 100}% busy): these numbers are noisy`,
    );
  }
  return lines;
}

/** A wrong command-line option: the benches print it with their usage and exit 2. */
export class UsageError extends Error {}

/** An integer option (`--name N`) of at least `min`, or `fallback` when it was not given. */
export function intOption(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min} (got ${raw})`);
  return n;
}

/** `--runs`: at least `minRuns` for percentiles worth reading, unless `--quick` (default `quickRuns`). */
export function runsOption(raw: string | undefined, quick: boolean, minRuns: number, quickRuns: number): number {
  const runs = intOption('runs', raw, quick ? quickRuns : minRuns, 1);
  if (!quick && runs < minRuns)
    throw new UsageError(`--runs must be at least ${minRuns} for percentiles worth reading (add --quick to try fewer)`);
  return runs;
}

/** The rows of every bench's statistics tables: header, one row of stats, one row of navis / raw ratios. */
export const STATS_HEADER = ['ms', 'p50', 'p95', 'mean', 'min', 'max'];
export const statRow = (label: string, s: Stats) => [label, ms(s.p50), ms(s.p95), ms(s.mean), ms(s.min), ms(s.max)];
export const ratioRow = (label: string, r: { p50: number; p95: number }) => [
  label,
  ratio(r.p50),
  ratio(r.p95),
  '',
  '',
  '',
];

/** The baseline's Chromium flags in every bench (playwright-core adds its own defaults and headless). */
export const RAW_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** chromium.launch options of a baseline: the bench's own signal handler closes navis too; Playwright's would exit before that is done. */
export function rawLaunchOptions(timeout: number) {
  return { args: RAW_ARGS, timeout, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false };
}

export interface RunOptions {
  runs: number;
  warmup: number;
  quick: boolean;
  json: boolean;
}

/** What differs between the benches that take only the run options. */
export interface RunSpec {
  script: string;
  minRuns: number;
  quickRuns: number;
  minWarmup: number;
  /** Why --warmup has a minimum, when it has one above 0. */
  warmupNote?: string;
}

/** The --help text of a bench that takes only the run options. */
export function runUsage(spec: RunSpec): string {
  const warmup = spec.warmupNote ? `default 1; ${spec.warmupNote}` : 'default 1';
  return `Usage: node --import tsx ${spec.script} [options]

  --runs N      measured iterations (default ${spec.minRuns}; at least ${spec.minRuns} unless --quick)
  --warmup N    unmeasured iterations first (${warmup})
  --quick       allow fewer than ${spec.minRuns} runs (default ${spec.quickRuns}); for trying the bench, not for numbers
  --json        print one JSON object instead of the tables (progress goes to stderr)
  -h, --help    this text

Chromium: CHROME_PATH, else the usual install locations (as navis finds it).`;
}

/**
 * The options every task-style bench takes: --runs, --warmup, --quick, --json, --help (prints
 * the usage and exits 0). Throws UsageError on anything else.
 */
export function parseRunOptions(argv: string[], spec: RunSpec): RunOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
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
    console.log(runUsage(spec));
    process.exit(0);
  }
  const quick = values.quick;
  return {
    runs: runsOption(values.runs, quick, spec.minRuns, spec.quickRuns),
    warmup: intOption('warmup', values.warmup, 1, spec.minWarmup),
    quick,
    json: values.json,
  };
}

/**
 * Runs a bench's main, always followed by its cleanup (browsers, navis), also on Ctrl-C/SIGTERM,
 * then exits: 0 when main finished (a missed goal included), 2 for bad options (with the usage),
 * 130 when interrupted, 1 when something failed.
 */
export async function runBench(main: () => Promise<void>, cleanup: () => Promise<void>, usage: string): Promise<never> {
  let exitCode = 0;
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    console.error(`\n${signal}: closing browsers and navis`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await main();
  } catch (error) {
    exitCode = interrupted ? 130 : error instanceof UsageError ? 2 : 1;
    // After Ctrl-C the run in flight fails because its browser was closed under it: not worth a trace.
    if (!interrupted)
      console.error(
        error instanceof UsageError
          ? `${error.message}\n\n${usage}`
          : `bench failed: ${(error as Error).stack ?? error}`,
      );
  } finally {
    await cleanup();
  }
  process.exit(exitCode);
}
