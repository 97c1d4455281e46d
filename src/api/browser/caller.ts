// Who an API key is: GET /browser/me, so a client (the dashboard) can greet its tenant and know
// whether the admin pages apply, without probing an admin route for a 403.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TenantService } from '../../tenants/service.js';

const Me = z.object({
  tenantId: z.string(),
  tenantName: z.string(),
  keyId: z.string().describe('The id of the key itself (the admin API lists and revokes keys by it)'),
  isAdmin: z.boolean(),
});

export async function browserCallerRoutes(app: FastifyInstance, { tenants }: { tenants: TenantService }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/me',
    { schema: { tags: ['api keys'], summary: 'The tenant and key of the API key sent', response: { 200: Me } } },
    async (req) => ({
      tenantId: req.caller.tenantId,
      tenantName: tenants.getTenant(req.caller.tenantId).name,
      keyId: req.caller.keyId,
      isAdmin: req.caller.isAdmin,
    }),
  );
}
