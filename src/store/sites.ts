// Site manifests, stored as validated JSON per tenant and slug.
import type { Db } from './db.js';

export interface SiteRow {
  tenant_id: string;
  slug: string;
  manifest: string;
  created_at: string;
  updated_at: string;
}

export class SiteRepository {
  constructor(private readonly db: Db) {}

  get(tenantId: string, slug: string): SiteRow | undefined {
    return this.db.prepare('SELECT * FROM sites WHERE tenant_id = ? AND slug = ?').get(tenantId, slug) as
      SiteRow | undefined;
  }

  list(tenantId: string): SiteRow[] {
    return this.db.prepare('SELECT * FROM sites WHERE tenant_id = ? ORDER BY slug').all(tenantId) as SiteRow[];
  }

  /** Creates or replaces; true when it was created. */
  put(tenantId: string, slug: string, manifest: string, at: string): boolean {
    const existed = this.get(tenantId, slug) !== undefined;
    this.db
      .prepare(
        `INSERT INTO sites (tenant_id, slug, manifest, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (tenant_id, slug) DO UPDATE SET manifest = excluded.manifest, updated_at = excluded.updated_at`,
      )
      .run(tenantId, slug, manifest, at, at);
    return !existed;
  }

  delete(tenantId: string, slug: string): boolean {
    return this.db.prepare('DELETE FROM sites WHERE tenant_id = ? AND slug = ?').run(tenantId, slug).changes > 0;
  }
}
