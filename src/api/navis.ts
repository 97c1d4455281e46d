// navis's own routes: health, the OpenAPI document, the dashboard (api/dashboard.ts) and the live view page.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../config.js';
import { dashboardRoutes } from './dashboard.js';
import type { LiveView } from '../sessions/live-view.js';
import type { SessionService } from '../sessions/service.js';

/** The warm pool as /healthz sees it (browsers/pool.ts: routes never import the browsers). */
interface WarmPool {
  readonly readyCount: number;
}

const Health = z.object({
  status: z.literal('ok'),
  sessions: z.number().int().describe('Sessions with a browser navis runs'),
  maxSessions: z.number().int(),
  warmBrowsers: z.number().int().describe('Browsers started ahead, ready for the next session'),
  poolSize: z.number().int(),
});

export async function navisRoutes(
  app: FastifyInstance,
  {
    sessions,
    pool,
    config,
    liveView,
  }: { sessions: SessionService; pool: WarmPool; config: Pick<Config, 'maxSessions' | 'poolSize'>; liveView: LiveView },
) {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/healthz',
      { schema: { tags: ['navis'], summary: 'Health (no key needed)', security: [], response: { 200: Health } } },
      async () => ({
        status: 'ok' as const,
        sessions: sessions.managedCount(),
        maxSessions: config.maxSessions,
        warmBrowsers: pool.readyCount,
        poolSize: config.poolSize,
      }),
    );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(dashboardRoutes);

  app.get<{ Params: { id: string }; Querystring: { token?: string } }>(
    '/live/:id',
    { schema: { hide: true } },
    async (req, reply) => {
      const html = liveView.page(req.params.id, req.query.token);
      if (!html) throw sessions.closedReason(req.params.id, 'live', req.query.token);
      // The dashboard (same origin) frames it on a session's page; no other origin may.
      return reply
        .type('text/html')
        .header('Cache-Control', 'no-store')
        .header('Content-Security-Policy', "frame-ancestors 'self'")
        .header('Referrer-Policy', 'no-referrer')
        .send(html);
    },
  );
}
