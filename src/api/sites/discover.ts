// POST /api/sites/discover: crawl a site and store the manifest it yields. JSON by default (with
// the progress events in the answer); `Accept: application/x-ndjson` streams each event as it
// happens, then the result (or the error), one JSON object per line, each with its `type`.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DiscoveryProgress, DiscoveryReport } from '../../sites/discovery/index.js';
import type { DiscoveryOutcome, DiscoveryService } from '../../sites/discovery/service.js';
import { toNavisError } from '../../errors.js';
import { ErrorCodeSchema } from '../dialect.js';
import { classifyError } from '../errors.js';
import type { SameKeys } from '../openapi.js';
import { StoredManifest } from './manifests.js';

export const DiscoverBody = z.object({
  url: z.string().min(1).describe('The page discovery starts from (same-origin pages are crawled)'),
  maxPages: z.number().int().min(1).max(500).optional().describe('Pages to visit at most (default 20)'),
  maxDepth: z
    .number()
    .int()
    .min(0)
    .max(10)
    .optional()
    .describe('Links to follow from the start page at most (default 3)'),
  slug: z.string().min(1).max(100).optional().describe('Slug of the manifest (default from the host)'),
  verify: z.boolean().optional().describe('Try each non-destructive action once (default true)'),
});

const Progress = z.object({
  phase: z.enum(['crawl', 'group', 'actions', 'verify', 'done']),
  message: z.string(),
  pagesVisited: z.number().int(),
  pagesQueued: z.number().int(),
});
const Report = z.object({
  pagesVisited: z.number().int(),
  states: z.number().int(),
  actions: z.number().int(),
  verified: z.number().int().describe('Actions tried once that worked'),
  failed: z.number().int().describe('Actions tried once that failed'),
  skippedByRobots: z.array(z.string()).describe('URLs robots.txt asked navis not to read'),
  namedBy: z.enum(['namer', 'derived']).describe("'namer' when the LLM named states and actions"),
  warnings: z.array(z.string()),
});
const _progressFields: SameKeys<DiscoveryProgress, z.infer<typeof Progress>> = true;
const _reportFields: SameKeys<DiscoveryReport, z.infer<typeof Report>> = true;
const Outcome = z.object({
  slug: z.string(),
  created: z.boolean().describe('false when it replaced a manifest of that slug'),
  manifest: StoredManifest,
  report: Report,
});
const _outcomeFields: SameKeys<DiscoveryOutcome, z.infer<typeof Outcome>> = true;
const StreamLine = z
  .union([
    Progress.extend({ type: z.literal('progress') }),
    Outcome.extend({ type: z.literal('result') }),
    z.object({
      type: z.literal('error'),
      error: z.string(),
      code: ErrorCodeSchema,
      status: z.number().int().describe('The HTTP status the error would have had before the stream began'),
    }),
  ])
  .describe('One JSON object per line: progress events, then one result or one error');

export async function discoverRoutes(app: FastifyInstance, { discovery }: { discovery: DiscoveryService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/discover',
    {
      schema: {
        tags: ['sites'],
        summary: 'Discover a site: crawl it and store its manifest',
        description:
          'JSON by default, once discovery is done. With Accept: application/x-ndjson the answer streams: a line per progress event as it happens, then the result, or an error (the status is already 200 then).',
        body: DiscoverBody,
        response: {
          200: {
            description: 'With Accept: application/x-ndjson',
            content: { 'application/x-ndjson': { schema: StreamLine } },
          },
          201: Outcome.extend({ progress: z.array(Progress) }).describe('The stored manifest and what discovery did'),
        },
      },
    },
    async (req, reply) => {
      const streaming = (req.headers.accept ?? '').includes('application/x-ndjson');
      if (!streaming) {
        const progress: DiscoveryProgress[] = [];
        const outcome = await discovery.discover(req.caller.tenantId, req.body, (event) => progress.push(event));
        return reply.code(201).send({ ...outcome, progress });
      }
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
      const line = (value: unknown) => reply.raw.write(`${JSON.stringify(value)}\n`);
      try {
        const outcome = await discovery.discover(req.caller.tenantId, req.body, (event) =>
          line({ type: 'progress', ...event }),
        );
        line({ type: 'result', ...outcome });
      } catch (error) {
        const typed = classifyError(error);
        req.log.warn({ err: toNavisError(error).message }, 'discovery failed');
        line({
          type: 'error',
          error: typed.code === 'INTERNAL' ? 'Discovery failed; the server log has the details.' : typed.message,
          code: typed.code,
          status: typed.status,
        });
      }
      reply.raw.end();
    },
  );
}
