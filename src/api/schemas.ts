// Schema pieces shared by the dialects' routes.
import { z } from 'zod';
import { MAX_TTL_SECONDS } from '../sessions/types.js';

export const ScreenSchema = z.object({
  width: z.number().int().min(200).max(7680),
  height: z.number().int().min(200).max(4320),
});

export const MetadataSchema = z.record(z.string(), z.unknown());

export const IdParams = z.object({ id: z.string().min(1).max(200) });

export const StatusSchema = z.enum(['active', 'terminated', 'expired']);

/** A session's outbound proxy (both dialects): its connections go through navis's egress guard first, then here. */
export const ProxyInputSchema = z.strictObject({
  server: z
    .string()
    .min(1)
    .max(2000)
    .describe('scheme://host:port: http, https, socks4 or socks5 (no credentials in it)'),
  username: z.string().max(1000).optional(),
  password: z.string().max(1000).optional().describe('Never shown again: not in answers, errors or logs'),
});

/** What the session shows of its proxy: the server, never its credentials. */
export const ProxyViewSchema = z.object({ server: z.string() }).nullable();

/**
 * A session lifetime in seconds. The bounds are for the OpenAPI document only (Swagger's "Try it
 * out" fills in the maximum it is shown): the service answers an out-of-range value with the
 * seed's own error body.
 */
export const TtlSeconds = z
  .number()
  .int()
  .meta({ minimum: 1, maximum: MAX_TTL_SECONDS, examples: [600] });
