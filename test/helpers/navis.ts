// Starts a real navis (real Chromium, temp data dir, random port) for a test file, and talks to it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { buildApp, createLogger, type Navis } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';

export const ADMIN_KEY = 'nv_test_admin_key_0123456789abcdef';

/** The two API families: /public (snake_case, seed 001) and /browser (camelCase). */
export type Dialect = 'public' | 'browser';

export interface TestNavis {
  base: string;
  navis: Navis;
  config: Config;
  dataDir: string;
  /** Log lines navis wrote (JSON strings), to check that no secret reaches them. */
  logs: string[];
  request(
    method: string,
    urlPath: string,
    opts?: { key?: string | null; body?: unknown; headers?: Record<string, string>; rawBody?: string },
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  /**
   * Creates a tenant through the admin API and returns its first key. `extra` goes into the body
   * (e.g. `{network: {allowPrivate: true}}` for a tenant that uses the fixtures on 127.0.0.1).
   */
  newTenant(name?: string, extra?: Record<string, unknown>): Promise<string>;
  /**
   * POST /{dialect}/sessions (public unless told) as `key` (the admin key unless told); asserts the
   * success status (200 for /public, 201 for /browser) and returns the session.
   */
  createSession(body?: unknown, opts?: { key?: string; dialect?: Dialect }): Promise<Record<string, any>>;
  /** POST /public/sessions/{id}/terminate as `key` (the admin key unless told); asserts 204. */
  terminate(id: string, opts?: { key?: string }): Promise<void>;
  /**
   * Polls GET /{dialect}/sessions/{id} until its status is no longer active and returns that body
   * (in the dialect's field names); `what` names the wait in the timeout error.
   */
  waitUntilEnded(id: string, opts: { dialect: Dialect; key?: string; what?: string }): Promise<Record<string, any>>;
  /** POST /public/browser-profiles as `key` (the admin key unless told); asserts 200 and returns the profile. */
  createProfile(name: string, opts?: { key?: string }): Promise<Record<string, any>>;
  close(): Promise<void>;
}

export async function startNavis(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  opts: { dataDir?: string } = {},
): Promise<TestNavis> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'navis-test-'));
  const config = loadConfig({}, {
    dataDir,
    port: 0,
    apiKey: ADMIN_KEY,
    poolSize: 0,
    // debug: the request lines too, so the checks that no secret reaches a log line see every line.
    logLevel: 'debug',
    ...(overrides as object),
  } as never);
  const logs: string[] = [];
  const log = createLogger(config, { write: (line: string) => void logs.push(line) });
  const navis = await buildApp(config, log);
  const base = await navis.listen();

  const request = requester(base);

  return {
    base,
    navis,
    config,
    dataDir,
    logs,
    request,
    async newTenant(name = 'tenant', extra = {}) {
      const res = await request('POST', '/admin/tenants', { body: { name, ...extra } });
      if (res.status !== 201) throw new Error(`tenant creation failed: ${res.status} ${res.text}`);
      return res.body.api_key as string;
    },
    async createSession(body = {}, o = {}) {
      const dialect = o.dialect ?? 'public';
      const res = await request('POST', `/${dialect}/sessions`, { key: o.key, body });
      assert.equal(res.status, dialect === 'public' ? 200 : 201, res.text);
      return res.body;
    },
    async terminate(id, o = {}) {
      const res = await request('POST', `/public/sessions/${id}/terminate`, { key: o.key });
      assert.equal(res.status, 204, res.text);
    },
    waitUntilEnded(id, o) {
      return waitFor(
        async () => {
          const res = await request('GET', `/${o.dialect}/sessions/${id}`, { key: o.key });
          return res.body.status === 'active' ? undefined : (res.body as Record<string, any>);
        },
        o.what ?? `session ${id} to end`,
      );
    },
    async createProfile(name, o = {}) {
      const res = await request('POST', '/public/browser-profiles', { key: o.key, body: { name } });
      assert.equal(res.status, 200, res.text);
      return res.body;
    },
    async close() {
      await navis.close();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** navis's API at `base` as the tests call it: as the admin unless `key` says otherwise (`null`: no key). */
export function requester(base: string): TestNavis['request'] {
  return async (method, urlPath, o = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    const key = o.key === undefined ? ADMIN_KEY : o.key;
    if (key !== null) headers['x-api-key'] = key;
    let body: string | undefined = o.rawBody;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(base + urlPath, { method, headers, body });
    const text = await res.text();
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, text, headers: res.headers };
  };
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The HTTP status a WebSocket upgrade to `url` gets: 101 when it opens, else the refusal's status. */
export function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', reject);
  });
}
