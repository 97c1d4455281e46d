// The OpenAPI document (GET /openapi.json, /docs) is built from the routes' zod schemas by
// fastify-type-provider-zod's transform. This adds what that transform cannot say by itself:
//   - 204 answers have no body (a `z.undefined()` response);
//   - an answer in more than one content type: `{description, content: {'application/pdf': {schema}}}`,
//     each schema zod (BINARY for bytes), as Fastify itself takes response content types;
//   - a body the handler reads and checks itself (an upload stream, a manifest whose 400 names its
//     fields, a site action's inputs): `documentedBody` is shown in the document, never validated;
//   - an answer sent as navis stored it (`sentAsIs`): documented, not re-checked on the way out;
//   - the scope's error body (`config.errorAnswer`, set by useErrorDialect) as every 4XX and 5XX.
// Fastify serializes answers with the response schemas (a zod parse, then JSON.stringify): a zod
// object drops keys it does not name, so each schema names every field its handler sends.
import type { Readable } from 'node:stream';
import type { FastifySchema } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** A body or answer given per content type, each a zod schema. */
export interface ByContentType {
  description?: string;
  content: Record<string, { schema: z.ZodType }>;
}

declare module 'fastify' {
  interface FastifySchema {
    /** Shown as the request body in the OpenAPI document; Fastify does not validate it (the handler does). */
    documentedBody?: z.ZodType | ByContentType;
  }
  interface FastifyContextConfig {
    /** The error body of the route's dialect (api/dialect.ts), documented as its 4XX and 5XX answers. */
    errorAnswer?: z.ZodType;
  }
}

/** Bytes: a PDF, an image, a file (OpenAPI `type: string, format: binary`); the handler sends a Buffer or a stream. */
export const BINARY = z.custom<Uint8Array | Readable>(() => true).meta({ type: 'string', format: 'binary' });

/**
 * Documents `schema` but sends the value unchecked, as it is: for what navis stored earlier. A
 * manifest saved before a rule was added must stay readable (to be fixed), not turn into a 500.
 */
export function sentAsIs<S extends z.ZodType>(schema: S) {
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'output', unrepresentable: 'any' });
  delete json.$schema;
  return z.custom<z.output<S>>(() => true).meta(json);
}

/** Compiles only when T and S have the same keys (`const _: SameKeys<Core, Wire> = true`): a field added to T must join the schema. */
export type SameKeys<T, S> = [keyof T] extends [keyof S] ? ([keyof S] extends [keyof T] ? true : never) : never;

/** A 204 answer: no body. */
export const noContent = (description: string) => z.undefined().describe(description);

type TransformInput = Parameters<typeof jsonSchemaTransform>[0];
type JsonSchema = Record<string, unknown>;

const isZod = (value: unknown): value is z.ZodType => value instanceof z.ZodType;
const isNoContent = (value: unknown) => isZod(value) && value.def.type === 'undefined';

/** fastify-type-provider-zod's own conversion of one schema, as a request body (input) or an answer (output). */
function toJsonSchema(input: TransformInput, schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const part = io === 'input' ? { body: schema } : { response: { answer: schema } };
  const { schema: converted } = jsonSchemaTransform({ ...input, schema: part }) as {
    schema: { body?: JsonSchema; response?: { answer: JsonSchema } };
  };
  return (io === 'input' ? converted.body : converted.response?.answer) ?? {};
}

function byContentType(input: TransformInput, given: ByContentType, io: 'input' | 'output'): JsonSchema {
  const content = Object.fromEntries(
    Object.entries(given.content).map(([type, { schema }]) => [type, { schema: toJsonSchema(input, schema, io) }]),
  );
  return { ...(given.description ? { description: given.description } : {}), content };
}

/** The `transform` of @fastify/swagger: the zod transform, plus 204s, content types and documented bodies. */
export function openApiTransform(input: TransformInput): ReturnType<typeof jsonSchemaTransform> {
  const schema = input.schema as FastifySchema | undefined;
  // /api/sites' list route is registered as the prefix plus '/': both forms answer, the document names the plain one.
  const url = input.url.length > 1 ? input.url.replace(/\/$/, '') : input.url;
  if (!schema || schema.hide) return jsonSchemaTransform({ ...input, url });

  const { documentedBody, response: given, ...rest } = schema;
  const response = { ...(given as Record<string, unknown> | undefined) };
  const errorAnswer = input.route.config?.errorAnswer;
  if (errorAnswer) {
    response['4xx'] ??= errorAnswer;
    response['5xx'] ??= errorAnswer;
  }
  const plainResponses: Record<string, unknown> = {};
  const ownResponses: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(response)) {
    if (isNoContent(answer)) ownResponses[status] = { type: 'null', description: (answer as z.ZodType).description };
    else if (isZod(answer)) plainResponses[status] = answer;
    else ownResponses[status] = byContentType(input, answer as ByContentType, 'output');
  }
  const transformed = jsonSchemaTransform({
    ...input,
    url,
    schema: Object.keys(response).length ? { ...rest, response: plainResponses } : rest,
  }) as { schema: Record<string, unknown>; url: string };
  if (documentedBody) {
    transformed.schema.body = isZod(documentedBody)
      ? toJsonSchema(input, documentedBody, 'input')
      : byContentType(input, documentedBody, 'input');
  }
  if (Object.keys(response).length) {
    const converted = transformed.schema.response as Record<string, JsonSchema>;
    transformed.schema.response = Object.fromEntries(
      Object.keys(response).map((status) => [status, ownResponses[status] ?? converted[status]]),
    );
  }
  return transformed;
}
