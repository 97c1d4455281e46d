// The steps planners plan and the step cache keeps, as one zod schema: the type is inferred from
// it, and what the cache reads back from SQLite is parsed with it, so a row that does not fit (an
// old format, a hand edit, a corrupt write) is a cache miss that says why, never a crash.
import { z } from 'zod';

const text = z.string().max(10_000);

/**
 * How a step finds its element again on a later run, most robust first. Several are kept so a
 * page whose ids or classes changed still replays; `role` + `name` also verify that the element
 * found is the one planned (a relabelled target is a cache failure, never a wrong click).
 */
export const TargetSchema = z.object({
  role: text.optional(),
  name: text.optional(),
  label: text.optional(),
  placeholder: text.optional(),
  text: text.optional(),
  testId: text.optional(),
  css: text.optional(),
});

/**
 * A planned step. Values may hold `{{variable}}` templates (in the cache) and are interpolated
 * before the step runs. Every kind runs through the one action executor (src/actions).
 */
export const PlannedStepSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('navigate'), url: text }),
  z.object({ kind: z.literal('history'), direction: z.enum(['back', 'forward']) }),
  z.object({ kind: z.literal('click'), target: TargetSchema, how: z.enum(['double', 'right']).optional() }),
  z.object({ kind: z.literal('type'), target: TargetSchema, value: text, secret: z.boolean().optional() }),
  z.object({ kind: z.literal('select'), target: TargetSchema, value: text }),
  z.object({ kind: z.literal('check'), target: TargetSchema, checked: z.boolean() }),
  z.object({ kind: z.literal('press'), key: text, target: TargetSchema.optional() }),
  z.object({ kind: z.literal('hover'), target: TargetSchema }),
  z.object({ kind: z.literal('focus'), target: TargetSchema }),
  z.object({ kind: z.literal('scroll'), direction: z.enum(['up', 'down', 'top', 'bottom']).optional(), target: TargetSchema.optional() }),
  z.object({ kind: z.literal('wait'), target: TargetSchema.optional(), text: text.optional(), ms: z.number().finite().min(0).optional() }),
  z.object({ kind: z.literal('extract'), target: TargetSchema.optional(), description: text.optional() }),
]);

export type Target = z.infer<typeof TargetSchema>;
export type PlannedStep = z.infer<typeof PlannedStepSchema>;

/** The steps of a cache row, or why they cannot be replayed. */
export function readCachedSteps(json: string): { ok: true; steps: PlannedStep[] } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, reason: 'the cached steps are not valid JSON' };
  }
  const parsed = z.array(PlannedStepSchema).safeParse(raw);
  if (parsed.success) return { ok: true, steps: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `the cached steps do not fit the step format (${issue.path.join('.') || 'steps'}: ${issue.message})` };
}
