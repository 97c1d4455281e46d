// navis's own admin routes (admin API key): tenants, their network policy, limits and lifecycle,
// and their API keys. A key is shown once. See SECURITY.md for what each setting guards.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { NetworkPolicySchema } from '../../network/policy.js';
import type { TenantService } from '../../tenants/service.js';
import { noContent } from '../openapi.js';

const Network = z.object({
  allowPrivate: z.boolean(),
  allowHosts: z.array(z.string()),
  denyHosts: z.array(z.string()),
});
const Limits = z.object({
  maxSessions: z.number().int(),
  maxSiteExecutions: z.number().int(),
  maxDiscoveries: z.number().int(),
});
const Tenant = z.object({
  id: z.string(),
  name: z.string(),
  created_at: z.string(),
  network: Network.describe("What the tenant's browsers may reach"),
  limits: Limits.describe('What the tenant may hold at once (the global limits unless set)'),
  disabled: z.boolean(),
  disabled_at: z.string().nullable(),
});
const limit = z.number().int().min(0).max(100_000);
const LimitsInput = z.strictObject({
  maxSessions: limit.nullable().optional().describe('Sessions running at once; null: NAVIS_MAX_SESSIONS'),
  maxSiteExecutions: limit
    .nullable()
    .optional()
    .describe('Site actions and views running at once; null: NAVIS_MAX_SITE_EXECUTIONS'),
  maxDiscoveries: limit.nullable().optional().describe('Discoveries running at once; null: NAVIS_MAX_DISCOVERIES'),
});
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
        body: z.strictObject({
          name: z.string().trim().min(1).max(200),
          network: NetworkPolicySchema.optional().describe('Default: no private, loopback or link-local addresses'),
          limits: LimitsInput.optional(),
        }),
        response: { 201: Tenant.extend({ api_key: z.string(), key: ApiKey }) },
      },
    },
    async (req, reply) => {
      const { tenant, apiKey, key } = tenants.createTenant(req.body.name, {
        network: req.body.network,
        limits: req.body.limits,
      });
      return reply.code(201).send({ ...tenant, api_key: apiKey, key });
    },
  );

  r.get(
    '/tenants/:tenant_id',
    { schema: { tags, summary: 'Get a tenant', params: TenantParams, response: { 200: Tenant } } },
    async (req) => tenants.getTenant(req.params.tenant_id),
  );

  r.patch(
    '/tenants/:tenant_id',
    {
      schema: {
        tags,
        summary:
          'Change a tenant: name, network policy, limits, or disable it (its keys are refused and its sessions end at once)',
        params: TenantParams,
        body: z.strictObject({
          name: z.string().trim().min(1).max(200).optional(),
          network: NetworkPolicySchema.optional().describe(
            'Fields given replace the current ones; running sessions take the new policy at once',
          ),
          limits: LimitsInput.optional(),
          disabled: z.boolean().optional(),
        }),
        response: { 200: Tenant },
      },
    },
    async (req) => tenants.updateTenant(req.params.tenant_id, req.body),
  );

  r.delete(
    '/tenants/:tenant_id',
    {
      schema: {
        tags,
        summary: 'Delete a tenant: its sessions end, its keys, profiles, credentials, manifests and cache entries go',
        params: TenantParams,
        response: { 204: noContent('Deleted') },
      },
    },
    async (req, reply) => {
      await tenants.deleteTenant(req.params.tenant_id);
      return reply.code(204).send();
    },
  );

  r.get(
    '/tenants',
    { schema: { tags, summary: 'List tenants', response: { 200: z.object({ tenants: z.array(Tenant) }) } } },
    async () => ({
      tenants: tenants.listTenants(),
    }),
  );

  r.get(
    '/tenants/:tenant_id/keys',
    {
      schema: {
        tags,
        summary: "List a tenant's API keys (never the keys themselves)",
        params: TenantParams,
        response: { 200: z.object({ keys: z.array(ApiKey) }) },
      },
    },
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
    {
      schema: {
        tags,
        summary: 'Revoke an API key: refused at once, and the sessions it created end',
        params: z.object({ key_id: z.string().min(1).max(200) }),
        response: { 200: ApiKey },
      },
    },
    async (req) => tenants.revokeKey(req.params.key_id),
  );
}
