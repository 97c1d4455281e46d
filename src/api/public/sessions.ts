// seed 001 (Create Session) and the product's session pages: /public/sessions in snake_case.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { SessionService } from '../../sessions/service.js';
import type { SessionView } from '../../sessions/types.js';
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

export const CreateBody = z
  .object({
    profile_id: z
      .string()
      .min(1)
      .nullish()
      .describe('UUID of a browser profile whose cookies, logins and storage the session starts with'),
    persist_changes: z
      .boolean()
      .nullish()
      .describe('Save changes back to the profile (default true; only with profile_id)'),
    cdp_url: z.string().min(1).nullish().describe('Bring your own browser: its DevTools WebSocket (or http) URL'),
    screen_config: ScreenSchema.nullish().describe('Window size; defaults to {"width": 1280, "height": 720}'),
    ttl: TtlSeconds.nullish().describe('Time-to-live in seconds. Maximum 86400 (24 hours). Defaults to 600.'),
    metadata: MetadataSchema.nullish().describe('Custom metadata; the response adds live_url'),
    proxy: ProxyInputSchema.nullish().describe(
      "The session's outbound proxy; the tenant's network policy applies to it and to what goes through it",
    ),
  })
  .describe('Create a managed browser session');

export const ListQuery = z.object({
  status_filter: StatusSchema.optional().describe('Only the sessions in this status'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('How many sessions at most (newest first)'),
  offset: z.coerce.number().int().min(0).default(0).describe('How many to skip, for paging'),
});

const UpdateBody = z.object({
  metadata: MetadataSchema.optional().describe(
    'Merged into the session metadata: the keys sent replace those keys, the others stay',
  ),
  ttl: TtlSeconds.optional().describe('A shorter TTL in seconds; sessions cannot be extended'),
});

export const PublicSession = z.object({
  session_id: z.string(),
  cdp_url: z.string(),
  screen_config: ScreenSchema,
  status: StatusSchema,
  expires_at: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  profile_id: z.string().nullable(),
  persist_changes: z.boolean().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  ttl: z.number().int(),
  end_reason: z.string().nullable(),
  awaiting_user: z.object({ since: z.string(), reason: z.string(), timeout_ms: z.number() }).nullable(),
  proxy: ProxyViewSchema,
});

export function toPublicSession(s: SessionView): z.infer<typeof PublicSession> {
  return {
    session_id: s.id,
    cdp_url: s.cdpUrl,
    screen_config: s.screen,
    status: s.status,
    expires_at: s.expiresAt,
    metadata: { ...s.metadata, live_url: s.liveUrl },
    profile_id: s.profileId,
    persist_changes: s.persistChanges,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    ttl: s.ttlSeconds,
    end_reason: s.endReason,
    awaiting_user: s.awaitingUser && {
      since: s.awaitingUser.since,
      reason: s.awaitingUser.reason,
      timeout_ms: s.awaitingUser.timeoutMs,
    },
    proxy: s.proxyServer ? { server: s.proxyServer } : null,
  };
}

const SessionParams = z.object({ session_id: IdParams.shape.id });
const tags = ['sessions (public)'];

export async function publicSessionRoutes(app: FastifyInstance, { sessions }: { sessions: SessionService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // Every field is optional (seed 001), so a POST with no body at all (Fastify: null) means the defaults.
  r.post(
    '/sessions',
    { schema: { tags, summary: 'Create Session', body: CreateBody.nullish(), response: { 200: PublicSession } } },
    async (req) => {
      const body = req.body ?? {};
      const view = await sessions.create(req.caller.tenantId, {
        profileId: body.profile_id ?? undefined,
        persistChanges: body.persist_changes ?? undefined,
        cdpUrl: body.cdp_url ?? undefined,
        screen: body.screen_config ?? undefined,
        ttlSeconds: body.ttl ?? undefined,
        metadata: body.metadata ?? undefined,
        proxy: body.proxy ?? undefined,
        apiKeyId: req.caller.keyId,
      });
      return toPublicSession(view);
    },
  );

  r.get(
    '/sessions',
    {
      schema: {
        tags,
        summary: 'List Sessions',
        querystring: ListQuery,
        response: { 200: z.object({ sessions: z.array(PublicSession), total: z.number().int() }) },
      },
    },
    async (req) => {
      const { sessions: list, total } = sessions.list(req.caller.tenantId, {
        status: req.query.status_filter,
        limit: req.query.limit,
        offset: req.query.offset,
      });
      return { sessions: list.map(toPublicSession), total };
    },
  );

  r.get(
    '/sessions/:session_id',
    { schema: { tags, summary: 'Get Session', params: SessionParams, response: { 200: PublicSession } } },
    async (req) => toPublicSession(sessions.get(req.caller.tenantId, req.params.session_id)),
  );

  r.patch(
    '/sessions/:session_id',
    {
      schema: {
        tags,
        summary: 'Update Session metadata',
        params: SessionParams,
        body: UpdateBody,
        response: { 200: PublicSession },
      },
    },
    async (req) =>
      toPublicSession(
        sessions.update(req.caller.tenantId, req.params.session_id, {
          metadata: req.body.metadata,
          ttlSeconds: req.body.ttl,
        }),
      ),
  );

  r.post(
    '/sessions/:session_id/terminate',
    {
      schema: {
        tags,
        summary: 'Terminate Session',
        params: SessionParams,
        response: { 204: noContent('Terminated: in-progress actions stopped, the browser closed') },
      },
    },
    async (req, reply) => {
      await sessions.terminate(req.caller.tenantId, req.params.session_id);
      return reply.code(204).send();
    },
  );

  r.delete(
    '/sessions/:session_id',
    {
      schema: {
        tags,
        summary: 'Delete Session (forceful)',
        params: SessionParams,
        response: { 204: noContent('Deleted (ended first when it was active)') },
      },
    },
    async (req, reply) => {
      await sessions.remove(req.caller.tenantId, req.params.session_id);
      return reply.code(204).send();
    },
  );
}
