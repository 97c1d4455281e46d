// The Browser Session API's sessions (seed 003 family): /browser/sessions in camelCase.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SessionService } from '../../sessions/service.js';
import { DEFAULT_IDLE_TIMEOUT_MS, type SessionView } from '../../sessions/types.js';
import {
  IdParams,
  MetadataSchema,
  ProxyInputSchema,
  ProxyViewSchema,
  ScreenSchema,
  StatusSchema,
  TtlSeconds,
} from '../schemas.js';
import { noContent } from '../openapi.js';

const CreateBody = z.object({
  profileId: z.string().min(1).nullish(),
  persistChanges: z.boolean().nullish(),
  cdpUrl: z.string().min(1).nullish(),
  screen: ScreenSchema.nullish().describe('Window size; default 1280x720'),
  ttlSeconds: TtlSeconds.nullish().describe('Lifetime in seconds; default 600, maximum 86400'),
  timeout: z
    .number()
    .int()
    .min(1000)
    .nullish()
    .describe('Idle timeout in ms: a session with no request for this long ends. Default 900000.'),
  metadata: MetadataSchema.nullish(),
  proxy: ProxyInputSchema.nullish().describe(
    "The session's outbound proxy; the tenant's network policy applies to it and to what goes through it",
  ),
});

export const BrowserSession = z.object({
  id: z.string(),
  status: StatusSchema,
  cdpUrl: z.string(),
  liveViewUrl: z.string(),
  expiresAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  screen: ScreenSchema,
  metadata: z.record(z.string(), z.unknown()),
  profileId: z.string().nullable(),
  persistChanges: z.boolean().nullable(),
  ttlSeconds: z.number().int(),
  timeout: z.number().int().nullable(),
  endReason: z.string().nullable(),
  awaitingUser: z.object({ since: z.string(), reason: z.string(), timeoutMs: z.number() }).nullable(),
  proxy: ProxyViewSchema,
});

export function toBrowserSession(s: SessionView): z.infer<typeof BrowserSession> {
  return {
    id: s.id,
    status: s.status,
    cdpUrl: s.cdpUrl,
    liveViewUrl: s.liveUrl,
    expiresAt: s.expiresAt,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    screen: s.screen,
    metadata: s.metadata,
    profileId: s.profileId,
    persistChanges: s.persistChanges,
    ttlSeconds: s.ttlSeconds,
    timeout: s.idleTimeoutMs,
    endReason: s.endReason,
    awaitingUser: s.awaitingUser,
    proxy: s.proxyServer ? { server: s.proxyServer } : null,
  };
}

const tags = ['sessions (browser)'];

export async function browserSessionRoutes(app: FastifyInstance, { sessions }: { sessions: SessionService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // A POST with no body at all (Fastify: null) means the defaults.
  r.post(
    '/sessions',
    { schema: { tags, summary: 'Create a session', body: CreateBody.nullish(), response: { 201: BrowserSession } } },
    async (req, reply) => {
      const body = req.body ?? {};
      const view = await sessions.create(req.caller.tenantId, {
        profileId: body.profileId ?? undefined,
        persistChanges: body.persistChanges ?? undefined,
        cdpUrl: body.cdpUrl ?? undefined,
        screen: body.screen ?? undefined,
        ttlSeconds: body.ttlSeconds ?? undefined,
        idleTimeoutMs: body.timeout ?? DEFAULT_IDLE_TIMEOUT_MS,
        metadata: body.metadata ?? undefined,
        proxy: body.proxy ?? undefined,
        apiKeyId: req.caller.keyId,
      });
      return reply.code(201).send(toBrowserSession(view));
    },
  );

  r.get(
    '/sessions',
    {
      schema: {
        tags,
        summary: 'List sessions',
        querystring: z.object({
          status: StatusSchema.optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          offset: z.coerce.number().int().min(0).default(0),
        }),
        response: { 200: z.object({ sessions: z.array(BrowserSession), total: z.number().int() }) },
      },
    },
    async (req) => {
      const { sessions: list, total } = sessions.list(req.caller.tenantId, req.query);
      return { sessions: list.map(toBrowserSession), total };
    },
  );

  r.get(
    '/sessions/:id',
    { schema: { tags, summary: 'Get a session', params: IdParams, response: { 200: BrowserSession } } },
    async (req) => toBrowserSession(sessions.get(req.caller.tenantId, req.params.id)),
  );

  r.delete(
    '/sessions/:id',
    {
      schema: {
        tags,
        summary: 'End and delete a session',
        params: IdParams,
        response: { 204: noContent('Ended and deleted') },
      },
    },
    async (req, reply) => {
      await sessions.remove(req.caller.tenantId, req.params.id);
      return reply.code(204).send();
    },
  );
}
