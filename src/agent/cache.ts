// The step cache (seed 000 `id`): per tenant and id, the action text and the steps that did it,
// with variable values kept as {{name}}. No secret is ever stored: not a password typed from a
// literal, not one written in the action text, not a step that would send one in a URL.
import type { StepCacheRepository, StepCacheRow } from '../store/agent.js';
import { NavisError } from '../errors.js';
import type { RunSecrets } from './run-secrets.js';
import type { Action } from '../actions/schemas.js';
import { readCachedSteps } from './cached-steps.js';
import type { StepRecord } from './types.js';
import { holdsLiteralSecret, templatizeStep } from './variables.js';

export interface CacheEntry {
  id: string;
  action: string;
  steps: Action[];
  /** Why the stored steps cannot be replayed (they do not parse); `steps` is empty then. */
  unreadable?: string;
  planner: string;
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
  replays: number;
  heals: number;
  /** When the steps last failed to replay, and why (redacted); null until they first do. */
  lastFailure: { at: string; detail: string } | null;
}

const entryOf = (row: StepCacheRow): CacheEntry => {
  const read = readCachedSteps(row.steps);
  return {
    id: row.cache_id,
    action: row.action,
    steps: read.ok ? read.steps : [],
    ...(read.ok ? {} : { unreadable: read.reason }),
    planner: row.planner,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastUsedAt: row.last_used_at,
    replays: row.replays,
    heals: row.heals,
    lastFailure:
      row.last_failure !== null && row.last_failure_at !== null
        ? { at: row.last_failure_at, detail: row.last_failure }
        : null,
  };
};

export class StepCache {
  constructor(private readonly repo: StepCacheRepository) {}

  find(tenantId: string, id: string): CacheEntry | undefined {
    const row = this.repo.get(tenantId, id);
    return row && entryOf(row);
  }

  get(tenantId: string, id: string): CacheEntry {
    const entry = this.find(tenantId, id);
    if (!entry) throw new NavisError('NOT_FOUND', 'Step cache entry not found');
    return entry;
  }

  list(tenantId: string, limit: number, offset: number): { entries: CacheEntry[]; total: number } {
    const { rows, total } = this.repo.list(tenantId, limit, offset);
    return { entries: rows.map(entryOf), total };
  }

  delete(tenantId: string, id: string): void {
    if (!this.repo.delete(tenantId, id)) throw new NavisError('NOT_FOUND', 'Step cache entry not found');
  }

  /**
   * Stores what a run did. Returns why it was not stored, when it was not: a run that typed a
   * password from a literal or holds one in its action text (pass it as a variable to cache such
   * an action), or one with a step that would send a secret in a URL.
   */
  store(
    tenantId: string,
    id: string,
    action: string,
    records: StepRecord[],
    variables: Record<string, string>,
    secrets: RunSecrets,
    planner: string,
    healed: boolean,
  ): string | undefined {
    const steps = records.map((r) => templatizeStep(r.step, variables, action));
    if (
      steps.some(holdsLiteralSecret) ||
      [action, ...steps.flatMap(textsOf)].some((text) => secrets.holdsSecret(text))
    ) {
      return 'not cached: a password was typed or written that did not come from variables; pass it in variables to cache this action';
    }
    if (steps.some((step) => step.type === 'navigate' && secrets.urlRefusal(step.url, step.url)))
      return 'not cached: a step would send a secret in a URL';
    this.repo.put(
      { tenant_id: tenantId, cache_id: id, action, steps: JSON.stringify(steps), planner },
      new Date().toISOString(),
      healed,
    );
    return undefined;
  }

  /**
   * Converts the entries stored before planners planned Actions (`{kind: …}` steps) to Actions, in
   * one pass at startup; returns how many. An entry that does not convert is left as it is: it
   * reads as a miss that says why, and the next run that plans it stores it again.
   */
  migrateLegacyRows(): number {
    let migrated = 0;
    for (const row of this.repo.withLegacySteps()) {
      const read = readCachedSteps(row.steps);
      if (!read.ok || !read.legacy) continue;
      this.repo.rewriteSteps(row.tenant_id, row.cache_id, JSON.stringify(read.steps));
      migrated++;
    }
    return migrated;
  }

  markReplayed(tenantId: string, id: string): void {
    this.repo.markReplayed(tenantId, id, new Date().toISOString());
  }

  /** The entry's steps did not replay: `detail` says which step and why (the caller redacts it). */
  markFailed(tenantId: string, id: string, detail: string): void {
    this.repo.markFailed(tenantId, id, detail, new Date().toISOString());
  }
}

/** Every text a step holds (its values and its target's words), to look for secrets in. */
function textsOf(step: Action): string[] {
  const texts: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (value && typeof value === 'object') for (const inner of Object.values(value)) walk(inner);
  };
  walk(step);
  return texts;
}
