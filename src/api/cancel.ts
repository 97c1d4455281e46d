// A request's client going away: the signal services take so that work still queued for a session
// never starts and a running one stops before its next step (SECURITY.md, fair shares).
import type { FastifyReply } from 'fastify';

/** Aborted when the connection closes before the answer was sent. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort(new Error('the client closed the connection'));
  };
  reply.raw.once('close', onClose);
  return controller.signal;
}
