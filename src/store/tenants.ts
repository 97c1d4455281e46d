// Tenants and their API keys. Keys are stored only as SHA-256 hashes plus a short display prefix.
import type { Db } from './db.js';

export interface TenantRow {
  id: string;
  name: string;
  created_at: string;
  /** JSON NetworkPolicy; null = the tenant's default (private addresses open only to the default tenant). */
  network: string | null;
  /** JSON TenantLimits; null or a missing field = the global limit. */
  limits: string | null;
  disabled_at: string | null;
}

export type TenantChanges = Partial<Pick<TenantRow, 'name' | 'network' | 'limits' | 'disabled_at'>>;

export interface ApiKeyRow {
  id: string;
  tenant_id: string;
  key_hash: string;
  prefix: string;
  label: string | null;
  is_admin: number;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export class TenantRepository {
  constructor(private readonly db: Db) {}

  insertTenant(row: TenantRow): void {
    this.db
      .prepare(
        'INSERT INTO tenants (id, name, created_at, network, limits, disabled_at) VALUES (@id, @name, @created_at, @network, @limits, @disabled_at)',
      )
      .run(row);
  }

  updateTenant(id: string, changes: TenantChanges): void {
    const columns = (['name', 'network', 'limits', 'disabled_at'] as const).filter((c) => changes[c] !== undefined);
    if (columns.length === 0) return;
    this.db
      .prepare(`UPDATE tenants SET ${columns.map((c) => `${c} = @${c}`).join(', ')} WHERE id = @id`)
      .run({ ...changes, id });
  }

  /** Removes the tenant and, by cascade, everything it owns in the store. */
  deleteTenant(id: string): void {
    this.db.prepare('DELETE FROM tenants WHERE id = ?').run(id);
  }

  getTenant(id: string): TenantRow | undefined {
    return this.db.prepare('SELECT * FROM tenants WHERE id = ?').get(id) as TenantRow | undefined;
  }

  listTenants(): TenantRow[] {
    return this.db.prepare('SELECT * FROM tenants ORDER BY created_at, id').all() as TenantRow[];
  }

  insertKey(row: Omit<ApiKeyRow, 'last_used_at' | 'revoked_at'>): void {
    this.db
      .prepare(
        `INSERT INTO api_keys (id, tenant_id, key_hash, prefix, label, is_admin, created_at)
         VALUES (@id, @tenant_id, @key_hash, @prefix, @label, @is_admin, @created_at)`,
      )
      .run(row);
  }

  findActiveKeyByHash(keyHash: string): (ApiKeyRow & { tenant_disabled_at: string | null }) | undefined {
    return this.db
      .prepare(
        'SELECT api_keys.*, tenants.disabled_at AS tenant_disabled_at FROM api_keys JOIN tenants ON tenants.id = api_keys.tenant_id WHERE key_hash = ? AND revoked_at IS NULL',
      )
      .get(keyHash) as (ApiKeyRow & { tenant_disabled_at: string | null }) | undefined;
  }

  /** Admin keys made by navis itself (label 'generated admin key') that are still valid. */
  generatedAdminKeys(): ApiKeyRow[] {
    return this.db
      .prepare("SELECT * FROM api_keys WHERE is_admin = 1 AND revoked_at IS NULL AND label = 'generated admin key'")
      .all() as ApiKeyRow[];
  }

  findKeyByHash(keyHash: string): ApiKeyRow | undefined {
    return this.db.prepare('SELECT * FROM api_keys WHERE key_hash = ?').get(keyHash) as ApiKeyRow | undefined;
  }

  getKey(id: string): ApiKeyRow | undefined {
    return this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as ApiKeyRow | undefined;
  }

  listKeys(tenantId: string): ApiKeyRow[] {
    return this.db
      .prepare('SELECT * FROM api_keys WHERE tenant_id = ? ORDER BY created_at, id')
      .all(tenantId) as ApiKeyRow[];
  }

  countAdminKeys(): number {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE is_admin = 1 AND revoked_at IS NULL').get() as {
        n: number;
      }
    ).n;
  }

  revokeKey(id: string, at: string): void {
    this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id);
  }

  touchKey(id: string, at: string): void {
    this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(at, id);
  }
}
