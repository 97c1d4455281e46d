// Browser profiles in the /browser family: camelCase twins of /public/browser-profiles.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ProfileService, ProfileView } from '../../sessions/profiles.js';
import { noContent } from '../openapi.js';
import { IdParams } from '../schemas.js';

const BrowserProfile = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  inUseBySession: z.string().nullable(),
});
const toBrowser = (p: ProfileView) => ({
  id: p.id,
  name: p.name,
  createdAt: p.createdAt,
  updatedAt: p.updatedAt,
  inUseBySession: p.inUseBySession,
});
const tags = ['browser profiles (browser)'];

export async function browserProfileRoutes(app: FastifyInstance, { profiles }: { profiles: ProfileService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/profiles',
    {
      schema: {
        tags,
        summary: 'Create a profile',
        body: z.object({ name: z.string().trim().min(1).max(200) }),
        response: { 201: BrowserProfile },
      },
    },
    async (req, reply) => reply.code(201).send(toBrowser(profiles.create(req.caller.tenantId, req.body.name))),
  );

  r.get(
    '/profiles',
    { schema: { tags, summary: 'List profiles', response: { 200: z.object({ profiles: z.array(BrowserProfile) }) } } },
    async (req) => ({
      profiles: profiles.list(req.caller.tenantId).map(toBrowser),
    }),
  );

  r.get(
    '/profiles/:id',
    { schema: { tags, summary: 'Get a profile', params: IdParams, response: { 200: BrowserProfile } } },
    async (req) => toBrowser(profiles.get(req.caller.tenantId, req.params.id)),
  );

  r.delete(
    '/profiles/:id',
    { schema: { tags, summary: 'Delete a profile', params: IdParams, response: { 204: noContent('Deleted') } } },
    async (req, reply) => {
      profiles.delete(req.caller.tenantId, req.params.id);
      return reply.code(204).send();
    },
  );
}
