// Turns whatever a request threw (a core NavisError, a Fastify parsing or validation error, a bug)
// into a NavisError, once, so each dialect's error handler only chooses the body's shape.
import type { FastifyError, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { NavisError, toNavisError } from '../errors.js';

type ValidationIssue = { instancePath: string; message?: string; keyword?: string; params?: Record<string, unknown> };

function describeValidation(context: string | undefined, issues: ValidationIssue[]): string {
  const where = context === 'querystring' ? 'query parameter' : context === 'params' ? 'path parameter' : 'field';
  const parts = issues.slice(0, 5).map((issue) => {
    const path = issue.instancePath
      .replace(/^\//, '')
      .split('/')
      .map((segment, i) => (/^\d+$/.test(segment) ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
      .join('');
    // Values are never echoed (they may be passwords), except an action's unknown `type`.
    const input = issue.params?.input;
    if (
      issue.keyword === 'invalid_union' &&
      path.endsWith('.type') &&
      typeof input === 'string' &&
      input.length < 100
    ) {
      return `${where} '${path}': unknown action type '${input}'; ${issue.message?.replace(/^unknown action type; /, '')}`;
    }
    const message = issue.message?.replace(
      /^Invalid input: expected (\w+), received undefined$/,
      'is required (expected $1)',
    );
    const unknownKeys =
      issue.keyword === 'unrecognized_keys' ? (issue.params?.keys as string[] | undefined) : undefined;
    if (unknownKeys)
      return `unknown ${where}${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => `'${k}'`).join(', ')}${path ? ` in '${path}'` : ''}`;
    return path ? `${where} '${path}': ${message}` : `${context ?? 'request'}: ${message}`;
  });
  return `Invalid request ${context === 'body' || !context ? 'body' : context}: ${parts.join('; ')}`;
}

export function classifyError(error: unknown): NavisError {
  if (error instanceof NavisError) return error;
  const err = error as FastifyError & { validationContext?: string };
  if (hasZodFastifySchemaValidationErrors(err) || Array.isArray(err?.validation)) {
    return new NavisError(
      'INVALID_REQUEST',
      describeValidation(err.validationContext, err.validation as ValidationIssue[]),
    );
  }
  switch (err?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new NavisError(
        'INVALID_REQUEST',
        'Body is not valid JSON. Send a JSON object with Content-Type: application/json.',
      );
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new NavisError(
        'INVALID_REQUEST',
        'Body is empty but Content-Type is application/json. Send a JSON object, or {} for no fields.',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new NavisError(
        'PAYLOAD_TOO_LARGE',
        'Request body is too large. Send a smaller body (the limit is NAVIS_BODY_LIMIT_BYTES).',
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new NavisError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported Content-Type. Send the body as application/json.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new NavisError('INVALID_REQUEST', 'Content-Length does not match the body that was sent.');
  }
  if (err instanceof SyntaxError && err.statusCode === 400) {
    // err.message may quote the body (a password): never echo it.
    return new NavisError(
      'INVALID_REQUEST',
      'Body is not valid JSON. Send a JSON object with Content-Type: application/json.',
    );
  }
  return toNavisError(error);
}

/** The message a client sees: internals of a 5xx stay in the log. */
export function publicMessage(error: NavisError, request: FastifyRequest): string {
  if (error.code === 'INTERNAL') return `Internal error (request ${request.id}); the server log has the details.`;
  return error.message;
}

/**
 * Logs what a client did wrong at info, what navis did wrong at error (with the cause and the
 * request: at info there is no request line to find it by).
 */
export function logError(error: NavisError, request: FastifyRequest): void {
  if (error.status >= 500)
    request.log.error({ err: error.cause ?? error, code: error.code, req: request }, error.message);
  else request.log.info({ code: error.code, status: error.status }, error.message);
}
