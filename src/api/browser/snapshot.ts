// GET /browser/sessions/{id}/snapshot: navis's own addition to the Browser Session API (not in
// seed 003). The current page as an agent reads it: its elements as lines with refs and selectors,
// then its visible text, answered one window at a time (maxChars from offset) so it fits a context.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DEFAULT_SNAPSHOT_CHARS } from '../../agent/snapshot-text.js';
import type { TaskService } from '../../tasks/service.js';
import { clientGone } from '../cancel.js';
import { IdParams } from '../schemas.js';

export const SnapshotQuery = z.object({
  maxChars: z.coerce
    .number()
    .int()
    .min(100)
    .max(1_000_000)
    .default(DEFAULT_SNAPSHOT_CHARS)
    .describe(`The most characters of snapshot to answer (default ${DEFAULT_SNAPSHOT_CHARS})`),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("Where to start: the previous answer's nextOffset, to read on past a truncated snapshot"),
  scope: z
    .string()
    .regex(/^e\d+$/, 'must be an element ref such as e12')
    .optional()
    .describe('An element ref (e12): only that element and the elements inside it, without the page text'),
});

const SnapshotResponse = z.object({
  url: z.string(),
  title: z.string(),
  snapshot: z
    .string()
    .describe(
      'URL, title, one line per element (`[e12] button "Save" selector="#save"`, indented under the element it sits in), then the page text',
    ),
  offset: z.number().int(),
  nextOffset: z.number().int().nullable().describe('Where the next part starts; null when this part reaches the end'),
  totalChars: z.number().int().describe('Length of the whole snapshot (or of the scope) in characters'),
  truncated: z.boolean().describe('The snapshot goes on past this part: ask again with offset=nextOffset'),
});

export async function browserSnapshotRoutes(app: FastifyInstance, { tasks }: { tasks: TaskService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/sessions/:id/snapshot',
    {
      schema: {
        tags: ['tasks (browser)'],
        summary: "The current page's elements (refs, roles, names, selectors) and text, bounded by maxChars",
        description:
          'Refs (e12) hold for one snapshot: they stay the same while the page does. Act on an element with a task action whose selector is the one on its line, or whose target is its role and name.',
        params: IdParams,
        querystring: SnapshotQuery,
        response: { 200: SnapshotResponse },
      },
    },
    async (req, reply) => tasks.snapshot(req.caller.tenantId, req.params.id, req.query, clientGone(reply)),
  );
}
