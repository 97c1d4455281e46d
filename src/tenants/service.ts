// Tenants and API keys: who is calling, which objects they may see, what their browsers may reach
// (network policy) and how much of the server they may hold (limits). A key is shown once, when it
// is made; only its SHA-256 hash and an 8-character prefix are kept. Disabling or deleting a tenant,
// and revoking a key, take effect at once: listeners (app.ts) end the sessions concerned.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { NavisError } from '../errors.js';
import type { EgressRoute } from '../network/egress-proxy.js';
import { CompiledPolicy, type NetworkPolicy } from '../network/policy.js';
import type { ApiKeyRow, TenantChanges, TenantRepository, TenantRow } from '../store/tenants.js';

export interface Caller {
  tenantId: string;
  keyId: string;
  isAdmin: boolean;
}

export interface ApiKeyView {
  id: string;
  tenant_id: string;
  prefix: string;
  label: string | null;
  is_admin: boolean;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** What one tenant may hold at once; the global limits are the defaults. */
export interface TenantLimits {
  maxSessions: number;
  maxSiteExecutions: number;
  maxDiscoveries: number;
}

export interface TenantView {
  id: string;
  name: string;
  created_at: string;
  network: NetworkPolicy;
  limits: TenantLimits;
  disabled: boolean;
  disabled_at: string | null;
}

export interface TenantPatch {
  name?: string;
  /** Fields given replace the tenant's; fields left out keep their value. */
  network?: Partial<NetworkPolicy>;
  /** A field set to null goes back to the global limit. */
  limits?: Partial<Record<keyof TenantLimits, number | null>>;
  disabled?: boolean;
}

/**
 * What else must happen, and be done, before a change to a tenant or key is answered (app.ts
 * wires them): a disabled or deleted tenant's sessions end, a revoked key's sessions end.
 */
export interface TenantHooks {
  closing: Array<(tenantId: string, reason: 'tenant_disabled' | 'tenant_deleted') => Promise<void>>;
  /** The tenant's network policy changed: running browsers take the new one before the change is answered. */
  networkChanged: Array<(tenantId: string) => Promise<void>>;
  keyRevoked: Array<(keyId: string) => Promise<void>>;
}

export interface TenantSettings {
  /** The global limits (NAVIS_MAX_SESSIONS, NAVIS_MAX_SITE_EXECUTIONS, NAVIS_MAX_DISCOVERIES). */
  limits: TenantLimits;
  /** NAVIS_ALLOW_FILE_URLS: file: URLs for the default tenant. */
  allowFileUrls: boolean;
}

export const DEFAULT_TENANT_NAME = 'default';
const LAST_USED_RESOLUTION_MS = 60_000;

const tenantDisabled = () =>
  new NavisError(
    'TENANT_DISABLED',
    'This API key belongs to a disabled tenant. Ask the admin to enable it (PATCH /admin/tenants/{id} {"disabled": false}).',
  );

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The limits a tenant has set after a patch: numbers replace, null removes (back to the global limit). */
function mergeLimits(
  stored: string | null,
  patch: Partial<Record<keyof TenantLimits, number | null>>,
): Partial<TenantLimits> {
  const merged: Partial<Record<keyof TenantLimits, number | null>> = {
    ...(stored ? (JSON.parse(stored) as Partial<TenantLimits>) : {}),
    ...patch,
  };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => typeof v === 'number'));
}

function newApiKey(): string {
  return `nv_${randomBytes(24).toString('base64url')}`;
}

const keyView = (row: ApiKeyRow): ApiKeyView => ({
  id: row.id,
  tenant_id: row.tenant_id,
  prefix: row.prefix,
  label: row.label,
  is_admin: row.is_admin === 1,
  created_at: row.created_at,
  last_used_at: row.last_used_at,
  revoked_at: row.revoked_at,
});

export class TenantService {
  private readonly policies = new Map<string, CompiledPolicy>();
  private defaultId: string | undefined;
  readonly hooks: TenantHooks = { closing: [], networkChanged: [], keyRevoked: [] };

  constructor(
    private readonly repo: TenantRepository,
    private readonly settings: TenantSettings = {
      limits: { maxSessions: 64, maxSiteExecutions: 3, maxDiscoveries: 1 },
      allowFileUrls: false,
    },
  ) {}

  /**
   * Makes sure an admin key exists. With `configuredKey` (NAVIS_API_KEY) that key becomes an admin key
   * of the default tenant; otherwise, on first start only, a key is generated and returned so the
   * caller can print it once. Returns undefined when nothing new was made.
   */
  ensureAdminKey(configuredKey?: string): { key: string; generated: boolean } | undefined {
    const defaultTenant = this.defaultTenant();
    if (configuredKey) {
      const existing = this.repo.findKeyByHash(hashApiKey(configuredKey));
      if (existing?.revoked_at)
        throw new Error('NAVIS_API_KEY is a key that was revoked; set NAVIS_API_KEY to a new key.');
      if (!existing) this.insertKey(defaultTenant.id, configuredKey, { isAdmin: true, label: 'NAVIS_API_KEY' });
      // An operator who sets a key of their own means it to be the admin key: the one navis made
      // at first start (printed once, perhaps seen by others) stops working.
      const now = new Date().toISOString();
      for (const generated of this.repo.generatedAdminKeys()) this.repo.revokeKey(generated.id, now);
      return undefined;
    }
    if (this.repo.countAdminKeys() > 0) return undefined;
    const key = newApiKey();
    this.insertKey(defaultTenant.id, key, { isAdmin: true, label: 'generated admin key' });
    return { key, generated: true };
  }

  /** The caller a key belongs to, or a 401 error. Never echoes the key. Records last_used_at. */
  authenticate(key: string | undefined): Caller {
    if (!key) throw new NavisError('UNAUTHORIZED', 'Invalid API key');
    const row = this.repo.findActiveKeyByHash(hashApiKey(key));
    if (!row) throw new NavisError('UNAUTHORIZED', 'Invalid API key');
    if (row.tenant_disabled_at) throw tenantDisabled();
    const now = Date.now();
    // At most one write a minute per key: last_used_at tells stale keys apart, not request counts.
    if (!row.last_used_at || now - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS) {
      this.repo.touchKey(row.id, new Date(now).toISOString());
    }
    return { tenantId: row.tenant_id, keyId: row.id, isAdmin: row.is_admin === 1 };
  }

  createTenant(
    name: string,
    opts: Omit<TenantPatch, 'name' | 'disabled'> = {},
  ): { tenant: TenantView; apiKey: string; key: ApiKeyView } {
    const row: TenantRow = {
      id: randomUUID(),
      name,
      created_at: new Date().toISOString(),
      network: null,
      limits: null,
      disabled_at: null,
    };
    if (opts.network) row.network = JSON.stringify({ ...this.policyOf(row), ...opts.network });
    if (opts.limits) row.limits = JSON.stringify(mergeLimits(null, opts.limits));
    this.repo.insertTenant(row);
    const apiKey = newApiKey();
    const key = this.insertKey(row.id, apiKey, { isAdmin: false, label: 'first key' });
    return { tenant: this.view(row), apiKey, key };
  }

  listTenants(): TenantView[] {
    return this.repo.listTenants().map((row) => this.view(row));
  }

  getTenant(id: string): TenantView {
    return this.view(this.row(id));
  }

  /** Changes a tenant; disabling it refuses its keys from now on and ends its sessions before answering. */
  async updateTenant(id: string, patch: TenantPatch): Promise<TenantView> {
    const row = this.row(id);
    const changes: TenantChanges = {};
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.network !== undefined) changes.network = JSON.stringify({ ...this.policyOf(row), ...patch.network });
    if (patch.limits !== undefined) changes.limits = JSON.stringify(mergeLimits(row.limits, patch.limits));
    if (patch.disabled !== undefined) {
      if (patch.disabled && row.name === DEFAULT_TENANT_NAME) throw this.defaultTenantStays('disabled');
      if (patch.disabled !== (row.disabled_at !== null))
        changes.disabled_at = patch.disabled ? new Date().toISOString() : null;
    }
    this.repo.updateTenant(id, changes);
    this.policies.delete(id);
    if (changes.network !== undefined) await Promise.all(this.hooks.networkChanged.map((hook) => hook(id)));
    if (changes.disabled_at) await Promise.all(this.hooks.closing.map((hook) => hook(id, 'tenant_disabled')));
    return this.getTenant(id);
  }

  /** Removes a tenant with its keys and everything it owns; its sessions end first (hooks). */
  async deleteTenant(id: string): Promise<void> {
    const row = this.row(id);
    if (row.name === DEFAULT_TENANT_NAME) throw this.defaultTenantStays('deleted');
    // Keys stop working before anything else happens.
    this.repo.updateTenant(id, { disabled_at: new Date().toISOString() });
    await Promise.all(this.hooks.closing.map((hook) => hook(id, 'tenant_deleted')));
    this.repo.deleteTenant(id);
    this.policies.delete(id);
  }

  /** What the tenant's browsers may reach, and which URL schemes it may open. */
  routeOf(tenantId: string): EgressRoute {
    let policy = this.policies.get(tenantId);
    if (!policy) {
      const row = this.row(tenantId);
      policy = new CompiledPolicy(this.policyOf(row), `tenant '${row.name}'`);
      this.policies.set(tenantId, policy);
    }
    return { policy, schemes: { allowFileUrls: this.settings.allowFileUrls && tenantId === this.defaultTenantId() } };
  }

  /**
   * What the tenant may hold at once. A disabled tenant may take nothing more: a request that passed
   * authentication just before the tenant was disabled is refused here, when it asks for a place
   * (a session, a site execution, a discovery), instead of starting after its tenant's sessions ended.
   */
  limitsOf(tenantId: string): TenantLimits {
    const row = this.row(tenantId);
    if (row.disabled_at) throw tenantDisabled();
    return this.view(row).limits;
  }

  createKey(tenantId: string, label?: string): { apiKey: string; key: ApiKeyView } {
    this.getTenant(tenantId);
    const apiKey = newApiKey();
    return { apiKey, key: this.insertKey(tenantId, apiKey, { isAdmin: false, label: label ?? null }) };
  }

  listKeys(tenantId: string): ApiKeyView[] {
    this.getTenant(tenantId);
    return this.repo.listKeys(tenantId).map(keyView);
  }

  /** Revokes a key: refused from now on, and the sessions it created end before this answers. */
  async revokeKey(keyId: string): Promise<ApiKeyView> {
    const row = this.repo.getKey(keyId);
    if (!row) throw new NavisError('API_KEY_NOT_FOUND', 'API key not found');
    // There is no API to make an admin key, so revoking the last one would lock everyone out of /admin.
    if (row.is_admin === 1 && row.revoked_at === null && this.repo.countAdminKeys() <= 1) {
      throw new NavisError(
        'INVALID_REQUEST',
        'This is the last admin API key; revoking it would lock everyone out of /admin. Set NAVIS_API_KEY to a new key and restart navis, then revoke this one.',
      );
    }
    this.repo.revokeKey(keyId, new Date().toISOString());
    await Promise.all(this.hooks.keyRevoked.map((hook) => hook(keyId)));
    return keyView(this.repo.getKey(keyId)!);
  }

  /** The tenant of the admin key made at start; keyless loopback callers of /api/sites act as it. */
  defaultTenantId(): string {
    this.defaultId ??= this.defaultTenant().id;
    return this.defaultId;
  }

  private defaultTenant(): TenantRow {
    const existing = this.repo.listTenants().find((t) => t.name === DEFAULT_TENANT_NAME);
    if (existing) return existing;
    const tenant: TenantRow = {
      id: randomUUID(),
      name: DEFAULT_TENANT_NAME,
      created_at: new Date().toISOString(),
      network: null,
      limits: null,
      disabled_at: null,
    };
    this.repo.insertTenant(tenant);
    return tenant;
  }

  private row(id: string): TenantRow {
    const tenant = this.repo.getTenant(id);
    if (!tenant) throw new NavisError('TENANT_NOT_FOUND', 'Tenant not found');
    return tenant;
  }

  /** The stored policy, or the default: the default tenant (local development) reaches private addresses, others do not. */
  private policyOf(row: TenantRow): NetworkPolicy {
    const stored = row.network ? (JSON.parse(row.network) as Partial<NetworkPolicy>) : {};
    return {
      allowPrivate: stored.allowPrivate ?? row.name === DEFAULT_TENANT_NAME,
      allowHosts: stored.allowHosts ?? [],
      denyHosts: stored.denyHosts ?? [],
    };
  }

  private view(row: TenantRow): TenantView {
    const set = row.limits ? (JSON.parse(row.limits) as Partial<TenantLimits>) : {};
    const limits = { ...this.settings.limits };
    for (const key of Object.keys(limits) as Array<keyof TenantLimits>)
      if (typeof set[key] === 'number') limits[key] = set[key]!;
    return {
      id: row.id,
      name: row.name,
      created_at: row.created_at,
      network: this.policyOf(row),
      limits,
      disabled: row.disabled_at !== null,
      disabled_at: row.disabled_at,
    };
  }

  private defaultTenantStays(what: string): NavisError {
    return new NavisError(
      'INVALID_REQUEST',
      `The default tenant cannot be ${what}: it holds the admin key and keyless /api/sites calls act as it.`,
    );
  }

  private insertKey(tenantId: string, key: string, opts: { isAdmin: boolean; label: string | null }): ApiKeyView {
    const row = {
      id: randomUUID(),
      tenant_id: tenantId,
      key_hash: hashApiKey(key),
      prefix: key.startsWith('nv_') ? key.slice(0, 8) : key.slice(0, 3),
      label: opts.label,
      is_admin: opts.isAdmin ? 1 : 0,
      created_at: new Date().toISOString(),
    };
    this.repo.insertKey(row);
    return keyView({ ...row, last_used_at: null, revoked_at: null });
  }
}
