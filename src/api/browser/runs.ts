// A session's recent runs in the /browser family: the tasks and natural-language actions that ran
// on it, newest first, with their step logs and a small picture of the page each left
// (sessions/runs.ts keeps them: the last 50 of a session, in memory, redacted).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SessionRuns } from '../../sessions/runs.js';
import type { SessionService } from '../../sessions/service.js';
import { IdParams } from '../schemas.js';

const RunStep = z.object({
  name: z.string().describe("Tasks: 'url' or 'actions[2] (click)'; natural-language actions: what the step did"),
  status: z.enum(['ok', 'failed']),
  durationMs: z.number().nullable().describe('null where it was not measured (natural-language steps)'),
  detail: z.string().optional(),
  error: z.string().optional(),
});

const Run = z.object({
  id: z.string(),
  kind: z.enum(['task', 'action']).describe('task: Run Task; action: Run Single Action'),
  title: z.string().describe('Tasks: the action types; actions: the instruction as written ({{variables}} unfilled)'),
  startedAt: z.string(),
  durationMs: z.number(),
  success: z.boolean(),
  error: z.string().optional(),
  url: z.string().nullable().describe('The page afterwards, without its query and fragment'),
  steps: z.array(RunStep),
  result: z.string().optional().describe('Actions: the answer’s result (at most 2000 characters)'),
  cache: z
    .object({ id: z.string(), used: z.boolean(), failed: z.boolean(), stored: z.boolean() })
    .nullable()
    .describe('Actions with an id: whether cached steps were used, failed, or were stored'),
  credits: z.number().int().optional(),
  screenshot: z
    .string()
    .nullable()
    .describe(
      'Base64 JPEG of the page just after the run, 320 px wide; kept for the newest 10 runs, never for one that handled secrets',
    ),
});

export async function browserRunRoutes(
  app: FastifyInstance,
  { sessions, runs }: { sessions: SessionService; runs: SessionRuns },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/sessions/:id/runs',
    {
      schema: {
        tags: ['sessions (browser)'],
        summary: "A session's recent runs (tasks and natural-language actions), newest first",
        description:
          'The last 50 runs of the session, kept in memory while navis runs (also after the session ended), redacted of secrets.',
        params: IdParams,
        response: { 200: z.object({ runs: z.array(Run) }) },
      },
    },
    async (req) => {
      sessions.get(req.caller.tenantId, req.params.id); // 404 unless it is the caller's
      return {
        runs: runs.list(req.caller.tenantId, req.params.id).map((run) => ({ ...run, cache: run.cache ?? null })),
      };
    },
  );
}
