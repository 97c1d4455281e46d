// The credential vault as the product's own client calls it (dari-python's create_credential and
// list_credentials): POST/GET /public/credentials in snake_case. The same vault as
// /browser/credentials: `service_name` is the credential's name, and the sites it may be filled
// into come from `service_name` when that is a host ("login.example.com"), else from
// `allowed_domains`. Username, password and TOTP secret go in and never come back out.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalid } from '../../errors.js';
import { MAX_DOMAINS, normalizeAllowedDomains, serviceHost } from '../../vault/domains.js';
import type { CredentialView, Vault } from '../../vault/service.js';

const PublicCredential = z.object({
  id: z.string(),
  user_id: z.string().describe('The tenant that owns the credential'),
  service_name: z.string(),
  username_or_email: z
    .null()
    .describe('Always null: navis seals the username with the password and never shows it again'),
  allowed_domains: z.array(z.string()),
  has_totp: z.boolean(),
  allow_insecure: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});

const toPublic = (tenantId: string, c: CredentialView): z.infer<typeof PublicCredential> => ({
  id: c.id,
  user_id: tenantId,
  service_name: c.name,
  username_or_email: null,
  allowed_domains: c.allowedDomains,
  has_totp: c.hasTotp,
  allow_insecure: c.allowInsecure,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

// Strict, as /browser/credentials: a misspelt field is an error, not a credential stored without it.
const CreateBody = z.strictObject({
  service_name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe(
      'The credential\'s name. A host name ("login.example.com", "127.0.0.1") also binds the credential to that host; any other name needs allowed_domains',
    ),
  username_or_email: z.string().min(1).max(1000),
  password: z.string().min(1).max(10_000),
  totp_secret: z
    .string()
    .min(1)
    .max(2000)
    .nullish()
    .describe('Base32 TOTP secret (spaces allowed) or an otpauth://totp/ URI'),
  allowed_domains: z
    .array(z.string().max(300))
    .max(MAX_DOMAINS)
    .optional()
    .describe(
      'navis: hostnames ("login.example.com") or sub-domain wildcards ("*.example.com") the credential may be filled into; default: service_name when it is a host',
    ),
  allow_insecure: z
    .boolean()
    .optional()
    .describe('navis: allow filling over plain http on hosts that are not loopback (default false)'),
  // The hosted product's: navis has neither, so a value is refused rather than silently dropped.
  gmail_oauth_account_id: z.unknown().optional(),
  phone_number_id: z.unknown().optional(),
});

const UNSUPPORTED = {
  gmail_oauth_account_id: 'navis has no connected Gmail accounts',
  phone_number_id: 'navis has no phone numbers for SMS codes (a totp_secret works for authenticator-app codes)',
} as const;

const tags = ['credentials (public)'];

export async function publicCredentialRoutes(app: FastifyInstance, { vault }: { vault: Vault }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/credentials',
    { schema: { tags, summary: 'Create Credential', body: CreateBody, response: { 200: PublicCredential } } },
    async (req) => {
      const body = req.body;
      for (const field of Object.keys(UNSUPPORTED) as Array<keyof typeof UNSUPPORTED>) {
        if (body[field] != null)
          throw invalid(`Invalid request body: field '${field}': ${UNSUPPORTED[field]}; leave it out`);
      }
      const credential = vault.create(req.caller.tenantId, {
        name: body.service_name,
        allowedDomains: allowedDomainsOf(body.service_name, body.allowed_domains),
        username: body.username_or_email,
        password: body.password,
        totpSecret: body.totp_secret,
        allowInsecure: body.allow_insecure,
      });
      return toPublic(req.caller.tenantId, credential);
    },
  );

  // A bare array: the product's docs have `len(credentials)` and `for cred in credentials`.
  r.get(
    '/credentials',
    { schema: { tags, summary: 'List Credentials', response: { 200: z.array(PublicCredential) } } },
    async (req) => vault.list(req.caller.tenantId).map((c) => toPublic(req.caller.tenantId, c)),
  );
}

/** allowed_domains when sent (checked under its own name), else the host service_name names. */
function allowedDomainsOf(serviceName: string, allowedDomains: string[] | undefined): string[] {
  if (allowedDomains !== undefined) return normalizeAllowedDomains(allowedDomains, 'allowed_domains');
  const host = serviceHost(serviceName);
  if (host) return [host];
  throw invalid(
    `Invalid request body: service_name ${JSON.stringify(serviceName)} is not a host name, so navis cannot tell which sites the credential may be filled into. ` +
      'Name the login host as service_name (e.g. "accounts.google.com"), or send allowed_domains (e.g. ["accounts.google.com"]).',
  );
}
