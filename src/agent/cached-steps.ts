// The steps of a step cache row, read back from SQLite: parsed with the executor's Action schema,
// so a row that does not fit (a hand edit, a corrupt write) is a cache miss that says why, never a
// crash. Rows written before planners planned Actions hold the old `{kind: …}` steps: those are
// converted (once at startup by StepCache.migrateLegacyRows, and at read time for any left over).
import { z } from 'zod';
import { ActionSchema, MAX_WAIT_MS, type Action } from '../actions/schemas.js';
import { clickFields, type ClickHow } from './targets.js';

export type CachedSteps = { ok: true; steps: Action[]; legacy: boolean } | { ok: false; reason: string };

/** The steps of a cache row (`legacy`: some were in the old format and were converted), or why they cannot be replayed. */
export function readCachedSteps(json: string): CachedSteps {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'the cached steps are not valid JSON' };
  }
  const legacy = Array.isArray(raw) && raw.some(isLegacyStep);
  const steps = legacy ? (raw as unknown[]).map((step) => (isLegacyStep(step) ? actionOfLegacyStep(step) : step)) : raw;
  const parsed = z.array(ActionSchema).safeParse(steps);
  if (parsed.success) return { ok: true, steps: parsed.data, legacy };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    reason: `the cached steps do not fit the step format (${issue.path.join('.') || 'steps'}: ${issue.message})`,
  };
}

/** A step of the old format: `{kind: 'click', target, how}` and the like. */
export type LegacyStep = { kind: string } & Record<string, unknown>;

const isLegacyStep = (step: unknown): step is LegacyStep =>
  typeof step === 'object' &&
  step !== null &&
  typeof (step as { kind?: unknown }).kind === 'string' &&
  !('type' in step);

/** Leaves out the keys whose value is undefined (a converted step reads as one planned today). */
const defined = (fields: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));

/**
 * The Action an old-format step meant. Not validated here: what comes out is parsed with the Action
 * schema like any row, so an old step that was itself broken stays a miss. An unknown kind comes
 * out as a step of that kind, which the schema refuses.
 */
export function actionOfLegacyStep(step: LegacyStep): Record<string, unknown> {
  const { kind, target } = step;
  switch (kind) {
    case 'navigate':
      return { type: 'navigate', url: step.url };
    case 'history':
      return { type: step.direction };
    case 'click':
      return defined({ type: 'click', target, ...clickFields(step.how as ClickHow | undefined) });
    case 'type':
      return defined({ type: 'type', target, text: step.value, secret: step.secret });
    case 'select':
      return { type: 'select', target, text: step.value };
    case 'check':
      return { type: 'check', target, checked: step.checked };
    case 'press':
      return defined({ type: 'press', key: step.key, target });
    case 'hover':
    case 'focus':
      return { type: kind, target };
    case 'scroll':
      return target ? { type: 'scroll', target } : { type: 'scroll', direction: step.direction ?? 'down' };
    case 'wait':
      if (target) return { type: 'wait', target };
      if (step.text !== undefined) return { type: 'wait', text: step.text };
      return { type: 'wait', ms: Math.min(typeof step.ms === 'number' ? step.ms : 1000, MAX_WAIT_MS) };
    case 'extract':
      return defined({ type: 'extract', target, description: step.description });
    default:
      return { type: kind };
  }
}
