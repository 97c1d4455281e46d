// Tenants for the isolation tests, made through the admin API: the tenant's id, its first key and
// that key's id (to revoke it), and what a test reads of a session that the API no longer shows
// (its browser's pid, its row once its tenant is gone).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { TestNavis } from './navis.js';

export interface AdminTenant {
  id: string;
  /** The tenant's first API key. */
  apiKey: string;
  /** The id of that key, for DELETE /admin/keys/{id}. */
  keyId: string;
}

/** POST /admin/tenants as the admin; `extra` goes into the body (network, limits). Asserts 201. */
export async function createTenant(
  navis: TestNavis,
  name: string,
  extra: Record<string, unknown> = {},
): Promise<AdminTenant> {
  const res = await navis.request('POST', '/admin/tenants', { body: { name, ...extra } });
  assert.equal(res.status, 201, res.text);
  return { id: res.body.id, apiKey: res.body.api_key, keyId: res.body.key.id };
}

/** POST /admin/tenants/{id}/keys as the admin: another key of the tenant and its id. */
export async function createKey(
  navis: TestNavis,
  tenantId: string,
  label?: string,
): Promise<{ apiKey: string; keyId: string }> {
  const res = await navis.request('POST', `/admin/tenants/${tenantId}/keys`, {
    body: label === undefined ? {} : { label },
  });
  assert.equal(res.status, 201, res.text);
  return { apiKey: res.body.api_key, keyId: res.body.id };
}

/** The id of the default tenant (the admin key's). */
export async function defaultTenantId(navis: TestNavis): Promise<string> {
  const res = await navis.request('GET', '/admin/tenants');
  assert.equal(res.status, 200, res.text);
  const tenant = res.body.tenants.find((t: { name: string }) => t.name === 'default');
  assert.ok(tenant, 'the default tenant is listed');
  return tenant.id;
}

/** PATCH /admin/tenants/{id} as the admin; asserts 200 and returns the tenant. */
export async function patchTenant(
  navis: TestNavis,
  tenantId: string,
  body: Record<string, unknown>,
): Promise<Record<string, any>> {
  const res = await navis.request('PATCH', `/admin/tenants/${tenantId}`, { body });
  assert.equal(res.status, 200, res.text);
  return res.body;
}

/** A managed session's browser: its pid and user-data dir, read while it runs (the pid is kept only then). */
export interface SessionBrowser {
  pid: number;
  userDataDir: string;
}

export function browserOf(navis: TestNavis, sessionId: string): SessionBrowser {
  const row = navis.navis.services.db.prepare('SELECT browser_pid FROM sessions WHERE id = ?').get(sessionId) as
    { browser_pid: number | null } | undefined;
  assert.ok(row?.browser_pid, `session ${sessionId} records its browser pid`);
  const args = fs.readFileSync(`/proc/${row.browser_pid}/cmdline`, 'utf8').split('\0');
  const dirArg = args.find((a) => a.startsWith('--user-data-dir='));
  assert.ok(dirArg, 'the browser runs on a user-data dir of its own');
  return { pid: row.browser_pid, userDataDir: dirArg.slice('--user-data-dir='.length) };
}

/** Pids of every process (the browser and its helpers) running on this user-data dir. */
export function processesOf(browser: SessionBrowser): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (args.includes(`--user-data-dir=${browser.userDataDir}`)) pids.push(Number(entry));
  }
  return pids;
}

/** A session's stored status and end reason, whoever owns it (undefined once its row is gone). */
export function storedSession(
  navis: TestNavis,
  sessionId: string,
): { status: string; end_reason: string | null } | undefined {
  return navis.navis.services.db.prepare('SELECT status, end_reason FROM sessions WHERE id = ?').get(sessionId) as
    { status: string; end_reason: string | null } | undefined;
}
