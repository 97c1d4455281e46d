// POST /api/sites/discover: crawl a site and store the manifest it yields. JSON by default (with
// the progress events in the answer); `Accept: application/x-ndjson` streams each event as it
// happens, then the result, one JSON object per line.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DiscoveryProgress } from '../../sites/discovery/index.js';
import type { DiscoveryService } from '../../sites/discovery/service.js';
import { toNavisError } from '../../errors.js';
import { classifyError } from '../errors.js';

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

export async function discoverRoutes(app: FastifyInstance, { discovery }: { discovery: DiscoveryService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/discover',
    { schema: { tags: ['sites'], summary: 'Discover a site: crawl it and store its manifest', body: DiscoverBody } },
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
        });
      }
      reply.raw.end();
    },
  );
}
