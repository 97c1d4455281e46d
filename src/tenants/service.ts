// Tenants and API keys: who is calling, and which objects they may see.
// A key is shown once, when it is made; only its SHA-256 hash and an 8-character prefix are kept.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { NavisError } from '../errors.js';
import type { ApiKeyRow, TenantRepository, TenantRow } from '../store/tenants.js';

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

export const DEFAULT_TENANT_NAME = 'default';
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
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
  constructor(private readonly repo: TenantRepository) {}

  /**
   * Makes sure an admin key exists. With `configuredKey` (NAVIS_API_KEY) that key becomes an admin key
   * of the default tenant; otherwise, on first start only, a key is generated and returned so the
   * caller can print it once. Returns undefined when nothing new was made.
   */
  ensureAdminKey(configuredKey?: string): { key: string; generated: boolean } | undefined {
    const defaultTenant = this.defaultTenant();
    if (configuredKey) {
      const existing = this.repo.findKeyByHash(hashApiKey(configuredKey));
      if (existing?.revoked_at) throw new Error('NAVIS_API_KEY is a key that was revoked; set NAVIS_API_KEY to a new key.');
      if (!existing) this.insertKey(defaultTenant.id, configuredKey, { isAdmin: true, label: 'NAVIS_API_KEY' });
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
    const now = Date.now();
    // At most one write a minute per key: last_used_at tells stale keys apart, not request counts.
    if (!row.last_used_at || now - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS) {
      this.repo.touchKey(row.id, new Date(now).toISOString());
    }
    return { tenantId: row.tenant_id, keyId: row.id, isAdmin: row.is_admin === 1 };
  }

  createTenant(name: string): { tenant: TenantRow; apiKey: string; key: ApiKeyView } {
    const tenant: TenantRow = { id: randomUUID(), name, created_at: new Date().toISOString() };
    this.repo.insertTenant(tenant);
    const apiKey = newApiKey();
    const key = this.insertKey(tenant.id, apiKey, { isAdmin: false, label: 'first key' });
    return { tenant, apiKey, key };
  }

  listTenants(): TenantRow[] {
    return this.repo.listTenants();
  }

  getTenant(id: string): TenantRow {
    const tenant = this.repo.getTenant(id);
    if (!tenant) throw new NavisError('TENANT_NOT_FOUND', 'Tenant not found');
    return tenant;
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

  revokeKey(keyId: string): ApiKeyView {
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
    return keyView(this.repo.getKey(keyId)!);
  }

  /** The tenant of the admin key made at start; keyless loopback callers of /api/sites act as it. */
  defaultTenantId(): string {
    return this.defaultTenant().id;
  }

  private defaultTenant(): TenantRow {
    const existing = this.repo.listTenants().find((t) => t.name === DEFAULT_TENANT_NAME);
    if (existing) return existing;
    const tenant: TenantRow = { id: randomUUID(), name: DEFAULT_TENANT_NAME, created_at: new Date().toISOString() };
    this.repo.insertTenant(tenant);
    return tenant;
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
