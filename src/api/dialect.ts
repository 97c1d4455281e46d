// Each wire dialect shapes error bodies its own way; this wires one shape into a Fastify scope
// as its error handler and its not-found handler, so every error of the scope goes through it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NavisError } from '../errors.js';
import { classifyError, logError, publicMessage } from './errors.js';

export type ErrorBody = (error: NavisError, message: string) => Record<string, unknown>;

/** seeds 000/001: `{"detail": "..."}` */
export const detailBody: ErrorBody = (_error, message) => ({ detail: message });
/** seed 003 and navis's own routes: `{"error": "...", "code": "..."}` (+ details when there are any) */
export const errorCodeBody: ErrorBody = (error, message) => ({
  error: message,
  code: error.code,
  ...(error.details ?? {}),
});
/** seed 002 (/api/sites): exactly `{"error": "..."}` */
export const siteErrorBody: ErrorBody = (_error, message) => ({ error: message });

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
}
