// navis as its own process (src/main.ts, as `npm start` runs it), for what an in-process navis
// cannot show: kill -9 of navis itself, signals, a restart on the same data dir.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_KEY, requester, waitFor, type TestNavis } from './navis.js';

const MAIN = path.join(import.meta.dirname, '..', '..', 'src', 'main.ts');

export interface ChildNavis {
  base: string;
  child: ChildProcess;
  request: TestNavis['request'];
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once it has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (SIGTERM unless told) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts navis on `dataDir` (admin key ADMIN_KEY, a free port) and waits until it listens. */
export async function startChildNavis(dataDir: string, env: Record<string, string> = {}): Promise<ChildNavis> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: {
      ...process.env,
      NAVIS_DATA_DIR: dataDir,
      NAVIS_HOST: '127.0.0.1',
      NAVIS_PORT: '0',
      NAVIS_API_KEY: ADMIN_KEY,
      NAVIS_POOL_SIZE: '1',
      NAVIS_LOG_LEVEL: 'warn',
      NAVIS_LOG_FORMAT: 'json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const base = await waitFor(
    () => {
      if (gone) throw new Error(`navis exited before listening:\n${output}`);
      return /navis is running at (http:\/\/\S+)/.exec(output)?.[1];
    },
    'the child navis to listen',
    60_000,
  );
  return {
    base,
    child,
    request: requester(base),
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (!gone) child.kill(signal);
      return exited;
    },
  };
}

/** Pids of the Chromium processes (helpers included) whose user-data dir is under `dataDir`. */
export function browsersUnder(dataDir: string): number[] {
  const marker = `--user-data-dir=${dataDir}/`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const state = /\) (\S)/.exec(fs.readFileSync(`/proc/${entry}/stat`, 'utf8'))?.[1];
      if (state !== 'Z' && args.some((arg) => arg.startsWith(marker))) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}
