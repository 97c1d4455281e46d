// Reads the API key of a request (X-API-Key, or Authorization: Bearer) and resolves the caller.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NavisError } from '../errors.js';
import type { Caller, TenantService } from '../tenants/service.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

export function apiKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  // The auth scheme is case-insensitive (RFC 9110 §11.1): "bearer" works as well as "Bearer".
  const bearer = request.headers.authorization?.match(/^bearer\s+(\S+)\s*$/i);
  return bearer?.[1];
}

/** Every route in `scope` needs a valid key; `admin` ones need an admin key. */
export function requireApiKey(scope: FastifyInstance, tenants: TenantService, opts: { admin?: boolean } = {}): void {
  scope.decorateRequest('caller', null as unknown as Caller);
  scope.addHook('onRequest', async (request) => {
    request.caller = tenants.authenticate(apiKeyOf(request));
    if (opts.admin && !request.caller.isAdmin) {
      throw new NavisError(
        'FORBIDDEN',
        'This endpoint needs the admin API key (the one printed at first start or set with NAVIS_API_KEY).',
      );
    }
  });
}
