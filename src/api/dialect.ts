// Each wire dialect shapes error bodies its own way; this wires one shape into a Fastify scope
// as its error handler and its not-found handler, so every error of the scope goes through it.
// The shape's schema is every route's 4XX and 5XX answer in the OpenAPI document (documentation
// only: the body functions below make every error body, so Fastify need not re-check them).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_STATUS, NavisError, type ErrorCode } from '../errors.js';
import { classifyError, logError, publicMessage } from './errors.js';

export interface ErrorBody {
  (error: NavisError, message: string): Record<string, unknown>;
  /** What the body looks like, for the OpenAPI document. */
  readonly schema?: z.ZodType;
}

const errorBody = (schema: z.ZodType, shape: (error: NavisError, message: string) => Record<string, unknown>) =>
  Object.assign(shape, { schema }) as ErrorBody;

const Message = z.string().describe('What was wrong and what to do');
/** The kinds of error (src/errors.ts), as `code` names them. */
export const ErrorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

/** seeds 000/001: `{"detail": "..."}` */
export const detailBody = errorBody(
  z.object({ detail: Message }).describe('Refused or failed: `detail` says why'),
  (_error, message) => ({ detail: message }),
);
/** seed 003 and navis's own routes: `{"error": "...", "code": "..."}` (+ details when there are any) */
export const errorCodeBody = errorBody(
  z
    .looseObject({
      error: Message,
      code: ErrorCodeSchema,
    })
    .describe('Refused or failed: `error` says why, `code` names the kind; some errors add details (a failed step)'),
  (error, message) => ({
    error: message,
    code: error.code,
    ...(error.details ?? {}),
  }),
);
/** seed 002 (/api/sites): exactly `{"error": "..."}` */
export const siteErrorBody = errorBody(
  z.object({ error: Message }).describe('Refused or failed: `error` says why'),
  (_error, message) => ({ error: message }),
);

export function useErrorDialect(scope: FastifyInstance, body: ErrorBody): void {
  const send = (error: NavisError, request: FastifyRequest, reply: FastifyReply) => {
    logError(error, request);
    return reply
      .code(error.status)
      .type('application/json')
      .send(body(error, publicMessage(error, request)));
  };
  scope.setErrorHandler((error, request, reply) => send(classifyError(error), request, reply));
  scope.setNotFoundHandler((request, reply) =>
    send(
      new NavisError('NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}. See /docs for the API.`),
      request,
      reply,
    ),
  );
  const { schema } = body;
  if (schema) {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, errorAnswer: schema };
    });
  }
}
