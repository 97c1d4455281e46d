// Create/List Browser Profiles in the /public family: {id, name, created_at}.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ProfileService, ProfileView } from '../../sessions/profiles.js';
import { noContent } from '../openapi.js';

const PublicProfile = z.object({ id: z.string(), name: z.string(), created_at: z.string() });
const toPublic = (p: ProfileView) => ({ id: p.id, name: p.name, created_at: p.createdAt });
const Params = z.object({ profile_id: z.string().min(1).max(200) });
const tags = ['browser profiles (public)'];

export async function publicProfileRoutes(app: FastifyInstance, { profiles }: { profiles: ProfileService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/browser-profiles',
    {
      schema: {
        tags,
        summary: 'Create Browser Profile',
        body: z.object({ name: z.string().trim().min(1).max(200) }),
        response: { 200: PublicProfile },
      },
    },
    async (req) => toPublic(profiles.create(req.caller.tenantId, req.body.name)),
  );

  r.get(
    '/browser-profiles',
    {
      schema: {
        tags,
        summary: 'List Browser Profiles',
        response: { 200: z.object({ profiles: z.array(PublicProfile) }) },
      },
    },
    async (req) => ({
      profiles: profiles.list(req.caller.tenantId).map(toPublic),
    }),
  );

  r.get(
    '/browser-profiles/:profile_id',
    { schema: { tags, summary: 'Get Browser Profile', params: Params, response: { 200: PublicProfile } } },
    async (req) => toPublic(profiles.get(req.caller.tenantId, req.params.profile_id)),
  );

  r.delete(
    '/browser-profiles/:profile_id',
    {
      schema: { tags, summary: 'Delete Browser Profile', params: Params, response: { 204: noContent('Deleted') } },
    },
    async (req, reply) => {
      profiles.delete(req.caller.tenantId, req.params.profile_id);
      return reply.code(204).send();
    },
  );
}
