// navis's log lines: one pino logger, written as JSON (for machines: files, journald, log shippers)
// or as pretty single lines (for a person at a terminal), with the same redaction either way.
// Requests get a line each at debug only; at info a terminal shows what happened to navis itself
// (listening, sessions started and ended, pool, discovery, errors).
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import pino, { type Logger } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { Config } from './config.js';

/** Query-string secrets (?token=, ?api_key=, a view's ?password=) never reach a log line. */
export const redactUrl = (url: string) =>
  url.replace(/([?&](?:[^=&]*(?:pass|secret|token)[^=&]*|api_key)=)[^&]*/gi, '$1[redacted]');

/** Pretty when told so, or (NAVIS_LOG_FORMAT=auto) when the output is a terminal; JSON otherwise. */
export function writesPretty(format: Config['logFormat'], isTty: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTty);
}

/**
 * navis's logger. `destination` lets tests capture the lines (stdout otherwise); `isTty` says
 * whether that output is a terminal, which picks the format when NAVIS_LOG_FORMAT is auto
 * (default: whether stdout is one, and never for a `destination`).
 */
export function createLogger(
  config: Config,
  destination?: pino.DestinationStream,
  opts: { isTty?: boolean } = {},
): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: {
      paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { id?: string; method?: string; url?: string; host?: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url ?? ''),
        host: req.host,
        remoteAddress: req.ip,
      }),
    },
  };
  const isTty = opts.isTty ?? (destination === undefined && process.stdout.isTTY === true);
  const out = destination ?? pino.destination(1);
  // pino redacts and serializes before the line is written, so the pretty form holds only what the JSON line holds.
  return pino(options, writesPretty(config.logFormat, isTty) ? prettyLines(out, isTty) : out);
}

/** Control characters a log message may carry from a page (a title, an error) that would break or restyle a terminal line. */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** `12:01:02.345 INFO: [sessions] session started {"sessionId":"…"}`: one line per entry, always. */
function prettyLines(out: pino.DestinationStream, colorize: boolean): pino.DestinationStream {
  const format = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,component',
    // An error's stack stays inside the line's JSON (escaped newlines) rather than opening a block.
    errorLikeObjectKeys: [],
    messageFormat: (log, messageKey) => {
      const component = typeof log.component === 'string' ? `[${log.component}] ` : '';
      const message = typeof log[messageKey] === 'string' ? log[messageKey] : '';
      return `${component}${message}`.replace(/\r?\n/g, '\\n').replace(CONTROL, '');
    },
  });
  return { write: (line: string) => out.write(format(line)) };
}

/**
 * Fastify's per-request lines, at debug instead of info: "incoming request" (with the request) and
 * "request completed" (method, url, status, ms), and an unknown route's line. URLs are redacted
 * like every other. A request whose answer broke still logs at error.
 */
export class RequestLinesAtDebug extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: redactUrl(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.debug(line, 'request completed');
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug(`Route ${request.method}:${redactUrl(request.url)} not found`);
  }
}
