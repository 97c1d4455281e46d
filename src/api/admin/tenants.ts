// navis's own admin routes (admin API key): tenants and their API keys. A key is shown once.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TenantService } from '../../tenants/service.js';

const Tenant = z.object({ id: z.string(), name: z.string(), created_at: z.string() });
const ApiKey = z.object({
  id: z.string(),
  tenant_id: z.string(),
  prefix: z.string(),
  label: z.string().nullable(),
  is_admin: z.boolean(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
const TenantParams = z.object({ tenant_id: z.string().min(1).max(200) });
const tags = ['admin'];

export async function adminRoutes(app: FastifyInstance, { tenants }: { tenants: TenantService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/tenants',
    {
      schema: {
        tags,
        summary: 'Create a tenant and its first API key (shown once)',
        body: z.object({ name: z.string().trim().min(1).max(200) }),
        response: { 201: Tenant.extend({ api_key: z.string(), key: ApiKey }) },
      },
    },
    async (req, reply) => {
      const { tenant, apiKey, key } = tenants.createTenant(req.body.name);
      return reply.code(201).send({ ...tenant, api_key: apiKey, key });
    },
  );

  r.get('/tenants', { schema: { tags, summary: 'List tenants', response: { 200: z.object({ tenants: z.array(Tenant) }) } } }, async () => ({
    tenants: tenants.listTenants(),
  }));

  r.get(
    '/tenants/:tenant_id/keys',
    { schema: { tags, summary: "List a tenant's API keys (never the keys themselves)", params: TenantParams, response: { 200: z.object({ keys: z.array(ApiKey) }) } } },
    async (req) => ({ keys: tenants.listKeys(req.params.tenant_id) }),
  );

  r.post(
    '/tenants/:tenant_id/keys',
    {
      schema: {
        tags,
        summary: 'Create another API key for a tenant (shown once)',
        params: TenantParams,
        body: z.object({ label: z.string().max(200).optional() }).nullish(), // Fastify hands a bodiless POST over as null
        response: { 201: ApiKey.extend({ api_key: z.string() }) },
      },
    },
    async (req, reply) => {
      const { apiKey, key } = tenants.createKey(req.params.tenant_id, req.body?.label);
      return reply.code(201).send({ ...key, api_key: apiKey });
    },
  );

  r.delete(
    '/keys/:key_id',
    { schema: { tags, summary: 'Revoke an API key', params: z.object({ key_id: z.string().min(1).max(200) }), response: { 200: ApiKey } } },
    async (req) => tenants.revokeKey(req.params.key_id),
  );
}
