// What natural-language actions cost (seed 000's credits): one record a run, and the totals and
// recent runs a tenant reads at GET /public/usage. The routes reach the usage table only here.
import type { UsageRepository } from '../store/agent.js';

/** One run of a natural-language action, as it is recorded. */
export interface UsageRecord {
  at: string;
  kind: string;
  cacheId: string | null;
  sessionId: string | null;
  credits: number;
  usedCache: boolean;
  success: boolean;
}

export interface UsageTotals {
  actions: number;
  credits: number;
  cached: number;
  failed: number;
}

export class UsageService {
  constructor(private readonly repo: UsageRepository) {}

  record(tenantId: string, run: Omit<UsageRecord, 'at'>, at = new Date()): void {
    this.repo.record({
      tenant_id: tenantId,
      at: at.toISOString(),
      kind: run.kind,
      cache_id: run.cacheId,
      session_id: run.sessionId,
      credits: run.credits,
      used_cache: run.usedCache ? 1 : 0,
      success: run.success ? 1 : 0,
    });
  }

  /** `since`: an ISO timestamp; without it, every run of the tenant. */
  totals(tenantId: string, since?: string): UsageTotals {
    return this.repo.totals(tenantId, since);
  }

  /** The latest runs first. */
  recent(tenantId: string, limit: number, since?: string): UsageRecord[] {
    return this.repo.recent(tenantId, limit, since).map((row) => ({
      at: row.at,
      kind: row.kind,
      cacheId: row.cache_id,
      sessionId: row.session_id,
      credits: row.credits,
      usedCache: row.used_cache === 1,
      success: row.success === 1,
    }));
  }
}
