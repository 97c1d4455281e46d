// The client side of bench/sessions: one navis lifecycle (HTTP, then Playwright over cdp_url) and
// one raw playwright-core lifecycle, each timed step by step. It runs in the bench's own process,
// or (--client-process) in a child process of its own that the bench drives over IPC, as a real
// client sits in a process apart from navis.
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { rawLaunchOptions } from './lib.js';

export interface ClientSetup {
  base: string;
  apiKey: string;
  pageUrl: string;
  executablePath: string;
  stepTimeoutMs: number;
}

export interface NavisSample {
  create: number;
  connect: number;
  firstNavigation: number;
  disconnect: number;
  terminate: number;
  lifecycle: number;
}

export interface RawSample {
  launch: number;
  newPage: number;
  goto: number;
  close: number;
  lifecycle: number;
}

export interface SessionsClient {
  navisRun(): Promise<NavisSample>;
  rawRun(): Promise<RawSample>;
  chromiumVersion(): Promise<string>;
  /** Closes every browser the client still holds (after an error or Ctrl-C). */
  close(): Promise<void>;
}

/** The client in this process. */
export function benchClient(setup: ClientSetup): SessionsClient {
  const { base, apiKey, pageUrl, executablePath, stepTimeoutMs } = setup;
  const rawLaunch = rawLaunchOptions(stepTimeoutMs);
  const open = new Set<Browser>();

  const api = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(base + urlPath, {
      method,
      headers: { 'x-api-key': apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(stepTimeoutMs),
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as Record<string, any> };
  };

  return {
    async navisRun() {
      const t0 = performance.now();
      const created = await api('POST', '/public/sessions', {});
      const session = created.status === 200 ? created.json() : undefined;
      const t1 = performance.now();
      if (!session) throw new Error(`create answered ${created.status}: ${created.text}`);
      let browser: Browser | undefined;
      try {
        browser = await chromium.connectOverCDP(session.cdp_url as string, { timeout: stepTimeoutMs });
        open.add(browser);
        const t2 = performance.now();
        const context = browser.contexts()[0];
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(pageUrl, { waitUntil: 'load', timeout: stepTimeoutMs });
        const t3 = performance.now();
        await browser.close();
        open.delete(browser);
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
        };
      } catch (error) {
        if (browser) {
          open.delete(browser);
          await browser.close().catch(() => {});
        }
        await api('DELETE', `/public/sessions/${session.session_id}`).catch(() => {});
        throw error;
      }
    },

    async rawRun() {
      const t0 = performance.now();
      const browser = await chromium.launch({ executablePath, ...rawLaunch });
      const t1 = performance.now();
      open.add(browser);
      try {
        const page = await browser.newPage();
        const t2 = performance.now();
        await page.goto(pageUrl, { timeout: stepTimeoutMs });
        const t3 = performance.now();
        await browser.close();
        const t4 = performance.now();
        return { launch: t1 - t0, newPage: t2 - t1, goto: t3 - t2, close: t4 - t3, lifecycle: t4 - t0 };
      } finally {
        open.delete(browser);
        await browser.close().catch(() => {}); // no-op once closed; kills it after an error
      }
    },

    async chromiumVersion() {
      const browser = await chromium.launch({ executablePath, ...rawLaunch });
      open.add(browser);
      try {
        return browser.version();
      } finally {
        open.delete(browser);
        await browser.close();
      }
    },

    async close() {
      await Promise.all([...open].map((b) => b.close().catch(() => {})));
      open.clear();
    },
  };
}

type Op = 'navisRun' | 'rawRun' | 'chromiumVersion' | 'close';
type Request = { id: number; op: Op } | { id: 0; setup: ClientSetup };
type Reply = { id: number; value?: unknown; error?: string };

/** The client in a child process of its own (this file, forked), with the same interface over IPC. */
export async function clientProcess(setup: ClientSetup): Promise<SessionsClient> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (reply: Reply) => {
    const call = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error !== undefined) call?.reject(new Error(`client process: ${reply.error}`));
    else call?.resolve(reply.value);
  });
  void exited.then(() => {
    for (const call of pending.values()) call.reject(new Error('the client process exited'));
    pending.clear();
  });
  const call = <T>(op: Op) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op } satisfies Request);
    });
  child.send({ id: 0, setup } satisfies Request);
  return {
    navisRun: () => call<NavisSample>('navisRun'),
    rawRun: () => call<RawSample>('rawRun'),
    chromiumVersion: () => call<string>('chromiumVersion'),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await Promise.race([call('close').catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** In the child: take calls from the bench until it says close (or goes away). */
function serveBench(): void {
  let client: SessionsClient | undefined;
  const bye = async () => {
    await client?.close();
    process.exit(0);
  };
  process.on('disconnect', () => void bye());
  process.on('SIGINT', () => {}); // the bench closes this process when it is done with it
  const answer = async (request: Exclude<Request, { setup: ClientSetup }>) => {
    const reply: Reply = { id: request.id };
    try {
      if (request.op === 'close') {
        await client!.close();
        process.send!(reply, () => process.exit(0));
        return;
      }
      reply.value = await client![request.op]();
    } catch (error) {
      reply.error = (error as Error).message;
    }
    process.send!(reply);
  };
  process.on('message', (request: Request) => {
    if ('setup' in request) client = benchClient(request.setup);
    else void answer(request);
  });
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) serveBench();
