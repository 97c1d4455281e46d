// Site manifests in the /api/sites family (seed 002, errors as {"error": "..."}): list, read,
// create or replace, delete. The body of PUT is validated by ManifestService, whose 400 names the
// fields that are wrong ("Invalid manifest: states[0].url: ..."). A manifest is sent back as it was
// stored: one saved before a rule was added stays readable, to be fixed.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ManifestSchema, SlugSchema } from '../../sites/manifest.js';
import type { ManifestService } from '../../sites/service.js';
import { noContent, sentAsIs } from '../openapi.js';

export const SlugParams = z.object({ slug: z.string().min(1).max(200) });
const SiteSummary = z.object({
  slug: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  states: z.number().int(),
  actions: z.number().int(),
  views: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const StoredManifest = sentAsIs(ManifestSchema);
const ManifestBody = z.object({
  ...ManifestSchema.shape,
  slug: SlugSchema.optional().describe("The URL's slug; when given, it must match"),
});
const tags = ['site manifests'];

export async function manifestRoutes(app: FastifyInstance, { manifests }: { manifests: ManifestService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/',
    {
      schema: {
        tags,
        summary: "List the caller's site manifests",
        response: { 200: z.object({ sites: z.array(SiteSummary) }) },
      },
    },
    async (req) => ({
      sites: manifests.list(req.caller.tenantId),
    }),
  );

  r.get(
    '/:slug/manifest',
    {
      schema: {
        tags,
        summary: "A site's manifest",
        params: SlugParams,
        response: { 200: StoredManifest.describe('The manifest as stored') },
      },
    },
    async (req) => manifests.get(req.caller.tenantId, req.params.slug),
  );

  // No body schema: the manifest's own validation words the 400 ("Invalid manifest: <fields>").
  r.put(
    '/:slug/manifest',
    {
      schema: {
        tags,
        summary: "Create (201) or replace (200) a site's manifest",
        description:
          'The body is the manifest: {name, baseUrl, description?, states: [{name, url, actions: [{name, inputs, steps}], views}]}. Its slug, when given, must match the URL.',
        params: SlugParams,
        documentedBody: ManifestBody,
        response: {
          200: StoredManifest.describe('Replaced: the stored manifest'),
          201: StoredManifest.describe('Created: the stored manifest'),
        },
      },
    },
    async (req, reply) => {
      const { manifest, created } = manifests.put(req.caller.tenantId, req.params.slug, req.body);
      return reply.code(created ? 201 : 200).send(manifest);
    },
  );

  r.delete(
    '/:slug',
    {
      schema: {
        tags,
        summary: "Delete a site's manifest",
        params: SlugParams,
        response: { 204: noContent('Deleted') },
      },
    },
    async (req, reply) => {
      manifests.delete(req.caller.tenantId, req.params.slug);
      return reply.code(204).send();
    },
  );
}
