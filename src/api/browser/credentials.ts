// The credential vault in the /browser family (seed 003: authenticate's credentialId "from POST
// /browser/credentials"). Username, password and TOTP secret go in and never come back out: the
// response schemas hold only id, name, allowedDomains, hasTotp, allowInsecure and the dates.
// Re-binding (allowedDomains changed, allowInsecure turned on) takes the current password: 403
// without it (vault/service.ts says why).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_DOMAINS } from '../../vault/domains.js';
import type { CredentialView, Vault } from '../../vault/service.js';
import { noContent } from '../openapi.js';
import { IdParams } from '../schemas.js';

const Credential = z.object({
  id: z.string(),
  name: z.string(),
  allowedDomains: z.array(z.string()),
  hasTotp: z.boolean(),
  allowInsecure: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const toBrowser = (c: CredentialView) => ({
  id: c.id,
  name: c.name,
  allowedDomains: c.allowedDomains,
  hasTotp: c.hasTotp,
  allowInsecure: c.allowInsecure,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

// Strict bodies: a misspelt "pasword" in a PATCH is an error, not a silent no-op.
const fields = {
  name: z.string().trim().min(1).max(200),
  allowedDomains: z
    .array(z.string().max(300))
    .min(1, 'list at least one hostname, e.g. ["example.com"]')
    .max(MAX_DOMAINS)
    .describe(
      'Hostnames ("login.example.com") or sub-domain wildcards ("*.example.com", which does not cover example.com itself).',
    ),
  username: z.string().min(1).max(1000),
  password: z.string().min(1).max(10_000),
  totpSecret: z.string().min(1).max(2000).describe('Base32 TOTP secret (spaces allowed) or an otpauth://totp/ URI.'),
  allowInsecure: z
    .boolean()
    .describe(
      'Allow filling over plain http on hosts that are not loopback (default false: https only, or http on localhost, 127.0.0.0/8, [::1]).',
    ),
};
const REBIND_RULE =
  "Changing allowedDomains, or setting allowInsecure to true, needs the credential's current password: as 'password' (the password stays), " +
  "or as 'currentPassword' when 'password' sets a new one in the same request. Without it, or with a wrong one: 403 FORBIDDEN, nothing changed.";
const CreateBody = z.strictObject({
  ...fields,
  totpSecret: fields.totpSecret.nullish(),
  allowInsecure: fields.allowInsecure.optional(),
});
const PatchBody = z
  .strictObject({
    name: fields.name.optional(),
    allowedDomains: fields.allowedDomains.optional().describe(`${fields.allowedDomains.description} ${REBIND_RULE}`),
    username: fields.username.optional(),
    password: fields.password
      .optional()
      .describe(
        'A new password replaces the old one; alone it needs no proof. With a change of allowedDomains and no currentPassword it is the proof, and must equal the stored one.',
      ),
    totpSecret: fields.totpSecret.nullable().optional().describe('A new secret replaces the old one; null removes it.'),
    allowInsecure: fields.allowInsecure
      .optional()
      .describe(`${fields.allowInsecure.description} Turning it on needs the current password, as for allowedDomains.`),
    currentPassword: fields.password
      .optional()
      .describe(
        'The stored password, as proof for a re-binding when password sets a new one. Always checked when sent.',
      ),
  })
  .describe(REBIND_RULE);

const tags = ['credentials (browser)'];

export async function browserCredentialRoutes(app: FastifyInstance, { vault }: { vault: Vault }) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/credentials',
    { schema: { tags, summary: 'Store a credential', body: CreateBody, response: { 201: Credential } } },
    async (req, reply) => reply.code(201).send(toBrowser(vault.create(req.caller.tenantId, req.body))),
  );

  r.get(
    '/credentials',
    {
      schema: { tags, summary: 'List credentials', response: { 200: z.object({ credentials: z.array(Credential) }) } },
    },
    async (req) => ({
      credentials: vault.list(req.caller.tenantId).map(toBrowser),
    }),
  );

  r.get(
    '/credentials/:id',
    { schema: { tags, summary: 'Get a credential', params: IdParams, response: { 200: Credential } } },
    async (req) => toBrowser(vault.get(req.caller.tenantId, req.params.id)),
  );

  r.patch(
    '/credentials/:id',
    {
      schema: {
        tags,
        summary: 'Change a credential',
        description: REBIND_RULE,
        params: IdParams,
        body: PatchBody,
        response: { 200: Credential },
      },
    },
    async (req) => toBrowser(vault.update(req.caller.tenantId, req.params.id, req.body)),
  );

  r.delete(
    '/credentials/:id',
    { schema: { tags, summary: 'Delete a credential', params: IdParams, response: { 204: noContent('Deleted') } } },
    async (req, reply) => {
      vault.delete(req.caller.tenantId, req.params.id);
      return reply.code(204).send();
    },
  );
}
