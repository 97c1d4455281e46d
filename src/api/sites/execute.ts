// seed 002: execute a manifest action on a live page, POST /api/sites/:slug/actions/:state/:action,
// and read a view, GET /api/sites/:slug/views/:state/:view. Errors, in this scope's dialect:
//   404 {"error": "Manifest not found"} · {"error": "State 'BadState' not found"} ·
//       {"error": "Route 'bad_action' not found"} · {"error": "View 'x' not found"}
//   400 inputs missing, of the wrong type or unknown (named)
//   429 {"error": "Max concurrent executions (3) reached. Try again later."}
//   500 {"error": "Action 'submit_login' failed: <message>"}
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ManifestRunner } from '../../sites/runner.js';
import { clientGone } from '../cancel.js';

const tags = ['site execution'];
const Name = z.string().min(1).max(200);
export const ActionParams = z.object({ slug: Name, state: Name, action: Name });
export const ViewParams = z.object({ slug: Name, state: Name, view: Name });
export const SessionQuery = {
  session_id: z
    .string()
    .min(1)
    .optional()
    .describe('Run in this session (its default context: its cookies and logins) instead of a fresh context'),
};

const ExecuteResponse = z.object({
  ok: z.literal(true),
  state: z.string().describe('The state name where the action was executed'),
  steps: z
    .array(
      z.object({
        index: z
          .number()
          .int()
          .nullable()
          .describe("The step's index in the action's steps; null for navigating to the state's URL"),
        type: z.string(),
        status: z.enum(['ok', 'failed']),
        detail: z.string().optional(),
        durationMs: z.number().int(),
        result: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .describe('Ordered list of steps the executor performed'),
});

const ActionInputs = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
  .describe("The action's inputs by name; GET /api/sites/{slug}/openapi.json gives each action's own schema");

const ViewRecord = z.record(z.string(), z.string().nullable());
const ViewResponse = z.object({
  ok: z.literal(true),
  state: z.string(),
  view: z.string(),
  items: z.array(ViewRecord).optional().describe('list views: one object per matching element'),
  record: ViewRecord.optional().describe('record views: the fields of the root element'),
});

export async function executeRoutes(app: FastifyInstance, { runner }: { runner: ManifestRunner }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // No body schema: the inputs are checked against the action's own (a 400 names the input).
  r.post(
    '/:slug/actions/:state/:action',
    {
      schema: {
        tags,
        summary: 'Execute an action',
        description:
          "Navigates to the state's URL (templates expanded from the inputs), waits for the DOM to settle and runs the action's steps. The body is a flat JSON object of the action's inputs; {} or no body when it takes none.",
        params: ActionParams,
        querystring: z.object(SessionQuery),
        documentedBody: ActionInputs,
        response: { 200: ExecuteResponse },
      },
    },
    async (req, reply) =>
      runner.execute(req.caller.tenantId, {
        slug: req.params.slug,
        state: req.params.state,
        action: req.params.action,
        inputs: req.body,
        sessionId: req.query.session_id,
        signal: clientGone(reply),
      }),
  );

  r.get(
    '/:slug/views/:state/:view',
    {
      schema: {
        tags,
        summary: 'Read a view',
        description:
          "Navigates to the state's URL like an action (query parameters fill its templates), waits for the DOM to settle and reads the view: `items` for a list, `record` for a record.",
        params: ViewParams,
        querystring: z.object(SessionQuery).catchall(z.string()),
        response: { 200: ViewResponse },
      },
    },
    async (req) => {
      const { session_id: sessionId, ...inputs } = req.query as Record<string, string>;
      return runner.view(req.caller.tenantId, {
        slug: req.params.slug,
        state: req.params.state,
        view: req.params.view,
        inputs,
        sessionId,
      });
    },
  );
}
