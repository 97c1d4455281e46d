// Step cache entries and usage records of natural-language actions.
import type { Db } from './db.js';

export interface StepCacheRow {
  tenant_id: string;
  cache_id: string;
  action: string;
  steps: string;
  planner: string;
  created_at: string;
  updated_at: string;
  last_used_at: string | null;
  replays: number;
  heals: number;
  /** Why the entry's steps last failed to replay, and when; NULL until they first do. */
  last_failure: string | null;
  last_failure_at: string | null;
}

export interface UsageRow {
  tenant_id: string;
  at: string;
  kind: string;
  cache_id: string | null;
  session_id: string | null;
  credits: number;
  used_cache: number;
  success: number;
}

export class StepCacheRepository {
  constructor(private readonly db: Db) {}

  get(tenantId: string, cacheId: string): StepCacheRow | undefined {
    return this.db.prepare('SELECT * FROM step_cache WHERE tenant_id = ? AND cache_id = ?').get(tenantId, cacheId) as
      StepCacheRow | undefined;
  }

  list(tenantId: string, limit: number, offset: number): { rows: StepCacheRow[]; total: number } {
    const rows = this.db
      .prepare('SELECT * FROM step_cache WHERE tenant_id = ? ORDER BY updated_at DESC, cache_id LIMIT ? OFFSET ?')
      .all(tenantId, limit, offset) as StepCacheRow[];
    const total = (
      this.db.prepare('SELECT COUNT(*) AS n FROM step_cache WHERE tenant_id = ?').get(tenantId) as { n: number }
    ).n;
    return { rows, total };
  }

  /** Creates or replaces an entry; `healed` counts a repair of an existing one. */
  put(
    row: Pick<StepCacheRow, 'tenant_id' | 'cache_id' | 'action' | 'steps' | 'planner'>,
    at: string,
    healed: boolean,
  ): void {
    this.db
      .prepare(
        `INSERT INTO step_cache (tenant_id, cache_id, action, steps, planner, created_at, updated_at)
         VALUES (@tenant_id, @cache_id, @action, @steps, @planner, @at, @at)
         ON CONFLICT (tenant_id, cache_id) DO UPDATE SET
           action = excluded.action, steps = excluded.steps, planner = excluded.planner,
           updated_at = excluded.updated_at, heals = heals + @heal`,
      )
      .run({ ...row, at, heal: healed ? 1 : 0 });
  }

  /** Entries whose steps may be in the old `{kind: …}` format, of every tenant (agent/cached-steps.ts). */
  withLegacySteps(): Array<Pick<StepCacheRow, 'tenant_id' | 'cache_id' | 'steps'>> {
    return this.db
      .prepare(`SELECT tenant_id, cache_id, steps FROM step_cache WHERE steps LIKE '%"kind"%'`)
      .all() as Array<Pick<StepCacheRow, 'tenant_id' | 'cache_id' | 'steps'>>;
  }

  /** Rewrites an entry's steps in place: a format migration, neither a heal nor an update. */
  rewriteSteps(tenantId: string, cacheId: string, steps: string): void {
    this.db
      .prepare('UPDATE step_cache SET steps = ? WHERE tenant_id = ? AND cache_id = ?')
      .run(steps, tenantId, cacheId);
  }

  markReplayed(tenantId: string, cacheId: string, at: string): void {
    this.db
      .prepare('UPDATE step_cache SET replays = replays + 1, last_used_at = ? WHERE tenant_id = ? AND cache_id = ?')
      .run(at, tenantId, cacheId);
  }

  markFailed(tenantId: string, cacheId: string, detail: string, at: string): void {
    this.db
      .prepare('UPDATE step_cache SET last_failure = ?, last_failure_at = ? WHERE tenant_id = ? AND cache_id = ?')
      .run(detail, at, tenantId, cacheId);
  }

  delete(tenantId: string, cacheId: string): boolean {
    return (
      this.db.prepare('DELETE FROM step_cache WHERE tenant_id = ? AND cache_id = ?').run(tenantId, cacheId).changes > 0
    );
  }
}

export class UsageRepository {
  constructor(private readonly db: Db) {}

  record(row: UsageRow): void {
    this.db
      .prepare(
        `INSERT INTO usage (tenant_id, at, kind, cache_id, session_id, credits, used_cache, success)
         VALUES (@tenant_id, @at, @kind, @cache_id, @session_id, @credits, @used_cache, @success)`,
      )
      .run(row);
  }

  totals(tenantId: string, since?: string): { actions: number; credits: number; cached: number; failed: number } {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS actions, COALESCE(SUM(credits), 0) AS credits, COALESCE(SUM(used_cache), 0) AS cached,
                COALESCE(SUM(1 - success), 0) AS failed
         FROM usage WHERE tenant_id = ? AND at >= ?`,
      )
      .get(tenantId, since ?? '') as { actions: number; credits: number; cached: number; failed: number };
    return row;
  }

  recent(tenantId: string, limit: number, since?: string): UsageRow[] {
    return this.db
      .prepare(
        'SELECT tenant_id, at, kind, cache_id, session_id, credits, used_cache, success FROM usage WHERE tenant_id = ? AND at >= ? ORDER BY id DESC LIMIT ?',
      )
      .all(tenantId, since ?? '', limit) as UsageRow[];
  }
}
