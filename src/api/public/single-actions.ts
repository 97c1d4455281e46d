// seed 000: Run Single Action, plus the step cache and usage pages of the same family.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { StepCache, CacheEntry } from '../../agent/cache.js';
import type { SingleActionService } from '../../agent/service.js';
import type { UsageService } from '../../agent/usage.js';
import { NavisError } from '../../errors.js';
import { noContent } from '../openapi.js';
import { ScreenSchema } from '../schemas.js';
import { clientGone } from '../cancel.js';

export const RunActionBody = z.object({
  action: z
    .string()
    .trim()
    .min(1)
    .max(10_000)
    .describe('Natural language instruction describing the action to perform'),
  session_id: z
    .string()
    .min(1)
    .nullish()
    .describe('Session to run in; without it a 10-minute session is created for the call'),
  id: z.string().min(1).max(200).nullish().describe('Stable identifier to reuse cached step instances across runs'),
  variables: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
    .nullish()
    .describe('Values for {{variable_name}} in the action'),
  secret_variables: z
    .array(z.string().min(1).max(200))
    .max(100)
    .nullish()
    .describe(
      'Names of variables that are secrets: never shown to a planner, sent in a URL, cached or answered. Names like password, token or pin are secret without being listed.',
    ),
  set_cache: z
    .boolean()
    .nullish()
    .describe('Whether to refresh the cached step instance for this action; defaults to true'),
  user_agent: z
    .string()
    .min(1)
    .max(1000)
    .regex(/^[^\x00-\x1f\x7f]+$/, 'must not contain control characters (line breaks, tabs, NUL)')
    .nullish()
    .describe('User agent for this action only'),
  screen_config: ScreenSchema.nullish().describe('Window size of the session created when session_id is left out'),
});

const RunActionResponse = z.object({
  success: z.boolean(),
  result: z.string(),
  credits: z.number().int(),
  error: z.string().optional(),
  used_cache: z.boolean(),
  set_cache: z.boolean(),
  cache_failed: z.boolean(),
  session_id: z.string(),
  cache_detail: z.string().optional(),
  steps: z.array(z.string()),
});

const CacheSummary = z.object({
  id: z.string(),
  action: z.string(),
  step_count: z.number().int(),
  planner: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  last_used_at: z.string().nullable(),
  replays: z.number().int(),
  heals: z.number().int(),
  last_failure: z
    .object({ at: z.string(), detail: z.string() })
    .nullable()
    .describe('When the cached steps last failed to replay, and which step and why; null until they first do'),
});
const summary = (e: CacheEntry) => ({
  id: e.id,
  action: e.action,
  step_count: e.steps.length,
  planner: e.planner,
  created_at: e.createdAt,
  updated_at: e.updatedAt,
  last_used_at: e.lastUsedAt,
  replays: e.replays,
  heals: e.heals,
  last_failure: e.lastFailure,
});

const CacheParams = z.object({ id: z.string().min(1).max(200) });

const Usage = z.object({
  total_credits: z.number().int().describe('Credits of every run since `since` (all runs without it)'),
  actions: z.number().int().describe('Runs of natural-language actions'),
  cached_actions: z.number().int().describe('Runs replayed from the step cache'),
  failed_actions: z.number().int(),
  recent: z
    .array(
      z.object({
        at: z.string(),
        kind: z.string().describe('single_action'),
        id: z.string().nullable().describe('The step cache id the run used, when it had one'),
        session_id: z.string().nullable(),
        credits: z.number().int(),
        used_cache: z.boolean(),
        success: z.boolean(),
      }),
    )
    .describe('The latest runs first, at most `limit`'),
});

export async function publicSingleActionRoutes(
  app: FastifyInstance,
  { singleActions, cache, usage }: { singleActions: SingleActionService; cache: StepCache; usage: UsageService },
) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/single-actions/run-action',
    {
      schema: {
        tags: ['single actions'],
        summary: 'Run Single Action',
        body: RunActionBody,
        response: { 200: RunActionResponse },
      },
    },
    async (req, reply) => {
      const body = req.body;
      try {
        const out = await singleActions.run(
          req.caller.tenantId,
          {
            action: body.action,
            sessionId: body.session_id ?? undefined,
            cacheId: body.id ?? undefined,
            variables: body.variables ?? undefined,
            secretVariables: body.secret_variables ?? undefined,
            setCache: body.set_cache ?? true,
            userAgent: body.user_agent ?? undefined,
            screen: body.screen_config ?? undefined,
            apiKeyId: req.caller.keyId,
          },
          clientGone(reply),
        );
        return {
          success: out.success,
          result: out.result,
          credits: out.credits,
          ...(out.error !== undefined ? { error: out.error } : {}),
          used_cache: out.usedCache,
          set_cache: out.setCache,
          cache_failed: out.cacheFailed,
          session_id: out.sessionId,
          ...(out.cacheDetail !== undefined ? { cache_detail: out.cacheDetail } : {}),
          steps: out.steps,
        };
      } catch (error) {
        // seed 000: an internal failure answers {"detail": "Failed to run single action: <message>"}.
        // Not a failure of the action: the client's mistake (4xx), or navis unable to take it now
        // (503: shutting down, no browser could start), which a client retries as it is.
        if (error instanceof NavisError && (error.status < 500 || error.status === 503)) throw error;
        req.log.error({ err: error }, 'single action failed');
        const message = error instanceof NavisError && error.code !== 'INTERNAL' ? error.message : 'internal error';
        throw new NavisError('SINGLE_ACTION_FAILED', `Failed to run single action: ${message}`, undefined, {
          cause: error,
        });
      }
    },
  );

  r.get(
    '/step-cache',
    {
      schema: {
        tags: ['step cache'],
        summary: 'List step cache entries',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ entries: z.array(CacheSummary), total: z.number().int() }) },
      },
    },
    async (req) => {
      const { entries, total } = cache.list(req.caller.tenantId, req.query.limit, req.query.offset);
      return { entries: entries.map(summary), total };
    },
  );

  r.get(
    '/step-cache/:id',
    {
      schema: {
        tags: ['step cache'],
        summary: 'Inspect a step cache entry',
        params: CacheParams,
        response: { 200: CacheSummary.extend({ steps: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async (req) => {
      const entry = cache.get(req.caller.tenantId, req.params.id);
      return { ...summary(entry), steps: entry.steps };
    },
  );

  r.delete(
    '/step-cache/:id',
    {
      schema: {
        tags: ['step cache'],
        summary: 'Delete a step cache entry',
        params: CacheParams,
        response: { 204: noContent('Deleted') },
      },
    },
    async (req, reply) => {
      cache.delete(req.caller.tenantId, req.params.id);
      return reply.code(204).send();
    },
  );

  r.get(
    '/usage',
    {
      schema: {
        tags: ['usage'],
        summary: 'Credits and actions of this API key’s tenant',
        querystring: z.object({
          since: z.string().datetime().optional(),
          limit: z.coerce.number().int().min(0).max(1000).default(50),
        }),
        response: { 200: Usage },
      },
    },
    async (req): Promise<z.infer<typeof Usage>> => {
      const totals = usage.totals(req.caller.tenantId, req.query.since);
      return {
        total_credits: totals.credits,
        actions: totals.actions,
        cached_actions: totals.cached,
        failed_actions: totals.failed,
        recent: usage.recent(req.caller.tenantId, req.query.limit, req.query.since).map((u) => ({
          at: u.at,
          kind: u.kind,
          id: u.cacheId,
          session_id: u.sessionId,
          credits: u.credits,
          used_cache: u.usedCache,
          success: u.success,
        })),
      };
    },
  );
}
