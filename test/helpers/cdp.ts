// Test-side CDP tools: a raw DevTools client (commands answered by id, events kept, flattened
// sessions by sessionId), where a navis session's browser really listens (the address a tenant
// would scan for), and the Chromium processes a navis started.
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import type { TestNavis } from './navis.js';
import { waitFor } from './navis.js';

export interface CdpEventMessage {
  method: string;
  params: any;
  sessionId?: string;
}

export interface RawCdp {
  /** Sends a command; resolves with its result, rejects with the error message the other end gave. */
  send(method: string, params?: object, sessionId?: string): Promise<any>;
  /** Sends any text as it is (a frame no well-behaved client would send) and resolves with the answer for `id`. */
  sendText(text: string, id: number): Promise<any>;
  /** Every event received so far, oldest first. */
  readonly events: CdpEventMessage[];
  /** The first event (already received or still to come) that `match` accepts. */
  waitForEvent(method: string, match?: (event: CdpEventMessage) => boolean, what?: string): Promise<CdpEventMessage>;
  close(): void;
}

/** A raw CDP client on one WebSocket (the CDP proxy's cdp_url, or a browser's own address). */
export async function rawCdp(url: string): Promise<RawCdp> {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  const events: CdpEventMessage[] = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    if (typeof msg.method === 'string' && msg.id === undefined) {
      events.push(msg);
      return;
    }
    const waiter = waiting.get(msg.id);
    if (!waiter) return;
    waiting.delete(msg.id);
    if (msg.error) waiter.reject(new Error(msg.error.message));
    else waiter.resolve(msg.result);
  });
  ws.on('error', () => {});
  ws.on('close', () => {
    for (const w of waiting.values()) w.reject(new Error('CDP socket closed'));
    waiting.clear();
  });
  const answer = (id: number, text: string) =>
    new Promise<any>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      ws.send(text);
    });
  return {
    send: (method, params = {}, sessionId) => {
      const id = nextId++;
      return answer(id, JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    },
    sendText: (text, id) => answer(id, text),
    events,
    waitForEvent: (method, match = () => true, what) =>
      waitFor(() => events.find((e) => e.method === method && match(e)), what ?? `CDP event ${method}`, 30_000),
    close: () => ws.close(),
  };
}

/**
 * Attaches (flattened) to the session's first page and returns the page's CDP sessionId, after
 * enabling Page and Runtime on it.
 */
export async function attachToPage(cdp: RawCdp): Promise<{ targetId: string; sessionId: string }> {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const page = targetInfos.find((t: { type: string }) => t.type === 'page');
  if (!page) throw new Error(`no page target: ${JSON.stringify(targetInfos)}`);
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: page.targetId, flatten: true });
  await cdp.send('Page.enable', {}, sessionId);
  await cdp.send('Runtime.enable', {}, sessionId);
  return { targetId: page.targetId, sessionId };
}

/** The value of `expression` evaluated in the page of `sessionId` (awaiting promises). */
export async function evaluateIn(cdp: RawCdp, sessionId: string, expression: string): Promise<any> {
  const { result, exceptionDetails } = await cdp.send(
    'Runtime.evaluate',
    { expression, returnByValue: true, awaitPromise: true },
    sessionId,
  );
  if (exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(exceptionDetails).slice(0, 500)}`);
  return result.value;
}

/** The pid of a managed session's browser (sessions.browser_pid). */
export function browserPidOf(navis: TestNavis, sessionId: string): number {
  const row = navis.navis.services.db.prepare('SELECT browser_pid FROM sessions WHERE id = ?').get(sessionId) as
    { browser_pid: number | null } | undefined;
  if (!row?.browser_pid) throw new Error(`session ${sessionId} has no browser pid`);
  return row.browser_pid;
}

/**
 * Where a managed session's browser really takes DevTools connections: the port and browser path
 * Chromium wrote to DevToolsActivePort in its user-data dir (what a port scan of 127.0.0.1 finds).
 */
export function devtoolsAddressOf(
  navis: TestNavis,
  sessionId: string,
): { port: number; httpUrl: string; wsUrl: string } {
  const pid = browserPidOf(navis, sessionId);
  const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const userDataDir = args.find((a) => a.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
  if (!userDataDir) throw new Error(`browser ${pid} has no --user-data-dir: ${args.join(' ')}`);
  const [port, browserPath] = fs.readFileSync(path.join(userDataDir, 'DevToolsActivePort'), 'utf8').trim().split('\n');
  return { port: Number(port), httpUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}${browserPath}` };
}

/** A process as /proc shows it. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  /** Process group id. */
  pgid: number;
  /** Real, effective, saved and filesystem uid (/proc/<pid>/status Uid:). */
  uids: number[];
  cmdline: string[];
  /** NAME=value entries of /proc/<pid>/environ. */
  environ: string[];
}

/** Every running process /proc can tell about (those that exit meanwhile are left out). */
export function processes(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, 'utf8');
      if (/^State:\s+Z/m.test(status)) continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
      const [, ppid, pgid] = stat
        .slice(stat.lastIndexOf(')') + 2)
        .split(' ')
        .map(Number);
      const uids = (status.match(/^Uid:\s+(.*)$/m)?.[1] ?? '').trim().split(/\s+/).map(Number);
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: Number(entry), ppid, pgid, uids, cmdline, environ });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}
