// Checks navis's answers against its own OpenAPI document (GET /openapi.json): the operation's
// response for the status (exact, else 4XX/5XX), the media type that came, and the body walked
// against that schema. A structural walk of the schema forms navis's document uses (objects with
// required and additionalProperties, arrays, scalars, enums, nullable, anyOf/oneOf), not a full
// JSON Schema validator.
type Schema = Record<string, any>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, Schema>; requestBody?: Schema }>>;
}

/** An answer as it came over the wire. */
export interface Answer {
  status: number;
  contentType: string;
  body: Buffer;
}

const TYPES: Record<string, (value: unknown) => boolean> = {
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  array: Array.isArray,
  string: (v) => typeof v === 'string',
  integer: Number.isInteger,
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
};

/** What in `value` the schema does not allow, each with where it is ('$.states[0].name'). */
export function schemaProblems(schema: Schema, value: unknown, at = '$'): string[] {
  if (value === null)
    return schema.nullable || schema.type === 'null' || schema.enum?.includes(null) || !schema.type
      ? []
      : [`${at}: null where ${schema.type} is documented`];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const fits = (variants as Schema[]).some((variant) => schemaProblems(variant, value, at).length === 0);
    return fits ? [] : [`${at}: ${JSON.stringify(value).slice(0, 200)} fits none of its ${variants.length} forms`];
  }
  if (schema.enum && !schema.enum.includes(value))
    return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  if (!schema.type) return [];
  if (!TYPES[schema.type]?.(value)) return [`${at}: ${JSON.stringify(value)?.slice(0, 100)} is not ${schema.type}`];
  if (schema.type === 'array')
    return (value as unknown[]).flatMap((item, i) => schemaProblems(schema.items ?? {}, item, `${at}[${i}]`));
  if (schema.type !== 'object') return [];
  const object = value as Record<string, unknown>;
  const properties: Record<string, Schema> = schema.properties ?? {};
  const missing = ((schema.required ?? []) as string[]).filter((key) => !(key in object));
  return [
    ...missing.map((key) => `${at}.${key}: missing (required)`),
    ...Object.entries(object).flatMap(([key, item]) => {
      if (properties[key]) return schemaProblems(properties[key], item, `${at}.${key}`);
      if (schema.additionalProperties === false) return [`${at}.${key}: not in the document`];
      return typeof schema.additionalProperties === 'object'
        ? schemaProblems(schema.additionalProperties, item, `${at}.${key}`)
        : [];
    }),
  ];
}

/** What in the answer to `method template` the document does not describe; [] when it all fits. */
export function answerProblems(doc: OpenApiDocument, method: string, template: string, answer: Answer): string[] {
  const operation = doc.paths[template]?.[method.toLowerCase()];
  if (!operation) return [`${method} ${template} is not in the document`];
  const response = operation.responses[String(answer.status)] ?? operation.responses[`${String(answer.status)[0]}XX`];
  if (!response) return [`${answer.status} is not documented for ${method} ${template}`];
  if (!response.content)
    return answer.body.length === 0 ? [] : [`${answer.status} is documented without a body, but one came`];
  const mediaType = answer.contentType.split(';')[0].trim();
  const media = response.content[mediaType];
  if (!media)
    return [`${mediaType} is not documented for ${answer.status} (${Object.keys(response.content).join(', ')} is)`];
  if (media.schema.format === 'binary') return answer.body.length > 0 ? [] : ['the bytes are missing'];
  const text = answer.body.toString('utf8');
  if (media.schema.type === 'string') return [];
  if (mediaType === 'application/x-ndjson') {
    const lines = text.split('\n').filter(Boolean);
    return lines.flatMap((line, i) => schemaProblems(media.schema, JSON.parse(line), `line ${i + 1}`));
  }
  return schemaProblems(media.schema, JSON.parse(text));
}
