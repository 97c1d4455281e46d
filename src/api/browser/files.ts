// The Browser Session API's session files (seed 003: the uploadFile action takes a filename
// "previously uploaded via POST /browser/sessions/{id}/files"): upload, list, download and delete.
// A download is an upload or a file the session's page downloaded.
// Uploads come as multipart/form-data (one or more file parts) or as a raw body of any other
// content type, named by ?filename= or a Content-Disposition header.
import { PassThrough, Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { invalid, NavisError } from '../../errors.js';
import type { SessionService } from '../../sessions/service.js';
import type { SessionFiles, Upload } from '../../tasks/files.js';
import { BINARY, noContent } from '../openapi.js';
import { IdParams } from '../schemas.js';

const SessionFile = z.object({
  filename: z.string().describe('The stored name: path parts, control characters and leading dots removed'),
  size: z.number().int().describe('Bytes'),
  createdAt: z.string(),
});
const FileList = z.object({ files: z.array(SessionFile) });
const FileParams = IdParams.extend({ filename: z.string().min(1) });

const tags = ['files (browser)'];

export interface FileRouteOptions {
  sessions: SessionService;
  files: SessionFiles;
  maxUploadBytes: number;
}

export async function browserFileRoutes(app: FastifyInstance, { sessions, files, maxUploadBytes }: FileRouteOptions) {
  // Bodies here are files, not JSON: everything but multipart reaches the handler as the request
  // stream itself, unread and unlimited by bodyLimit (SessionFiles enforces its own limits).
  // Parsers are per plugin, so the JSON routes of /browser keep theirs.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  // One byte over the limit is let through so that SessionFiles sees it and answers 413 FILE_TOO_LARGE.
  await app.register(multipart, { limits: { fileSize: maxUploadBytes + 1 }, throwFileSizeLimit: false });

  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/sessions/:id/files',
    {
      schema: {
        tags,
        summary: 'Upload files to a session',
        description:
          'multipart/form-data with one or more file parts, or a raw body of any other content type named by ?filename= or Content-Disposition. ' +
          'A file of the same name is replaced. The stored names are what the uploadFile action takes.',
        params: IdParams,
        querystring: z.object({ filename: z.string().optional().describe('Name of a raw-body upload') }),
        documentedBody: {
          content: {
            'multipart/form-data': {
              schema: z.object({ file: BINARY.describe('One part per file, named by its filename; several allowed') }),
            },
            'application/octet-stream': { schema: BINARY.describe('One file, named by ?filename=') },
          },
        },
        response: { 201: FileList },
      },
      onSend: closeIfBodyUnread,
    },
    async (req, reply) => {
      const { tenantId } = req.caller;
      sessions.usable(tenantId, req.params.id);
      const uploads = req.isMultipart() ? multipartUploads(req) : [rawUpload(req, req.query.filename)];
      const saved = await files.saveAll(req.params.id, uploads).catch((error: unknown) => {
        sessions.usable(tenantId, req.params.id); // ended while the files streamed in: 404/410, not a missing folder
        throw error;
      });
      try {
        sessions.usable(tenantId, req.params.id);
      } catch (ended) {
        files.removeAll(req.params.id); // it ended after its folder went: what this upload put back goes too
        throw ended;
      }
      if (saved.length === 0)
        throw invalid('The multipart body has no file part. Send each file as a part with a filename.');
      return reply.code(201).send({ files: saved });
    },
  );

  r.get(
    '/sessions/:id/files',
    { schema: { tags, summary: "List a session's files", params: IdParams, response: { 200: FileList } } },
    async (req) => {
      sessions.usable(req.caller.tenantId, req.params.id);
      return { files: files.list(req.params.id) };
    },
  );

  // Served as an attachment of no particular type, never sniffed: a file a page downloaded is
  // the page's content, and must not run as a page of navis's own origin.
  r.get(
    '/sessions/:id/files/:filename',
    {
      schema: {
        tags,
        summary: 'Download a file of a session',
        description: 'The bytes of an uploaded file, or of a file a page of the session downloaded.',
        params: FileParams,
        response: {
          200: { description: "The file's bytes", content: { 'application/octet-stream': { schema: BINARY } } },
        },
      },
    },
    async (req, reply) => {
      sessions.usable(req.caller.tenantId, req.params.id);
      const file = files.open(req.params.id, req.params.filename);
      return reply
        .type('application/octet-stream')
        .header('content-length', file.size)
        .header('content-disposition', attachment(file.filename))
        .header('x-content-type-options', 'nosniff')
        .send(file.stream);
    },
  );

  r.delete(
    '/sessions/:id/files/:filename',
    {
      schema: {
        tags,
        summary: 'Delete a file of a session',
        params: FileParams,
        response: { 204: noContent('Deleted') },
      },
    },
    async (req, reply) => {
      sessions.usable(req.caller.tenantId, req.params.id);
      files.delete(req.params.id, req.params.filename);
      return reply.code(204).send();
    },
  );
}

async function* multipartUploads(req: FastifyRequest): AsyncIterable<Upload> {
  try {
    for await (const part of req.files()) yield { filename: part.filename ?? '', source: part.file };
  } catch (error) {
    if (error instanceof NavisError) throw error;
    const { message, statusCode } = error as Error & { statusCode?: number };
    if (statusCode === 413)
      throw new NavisError(
        'PAYLOAD_TOO_LARGE',
        `Too many parts in the multipart body (${message}). Upload fewer files per request.`,
      );
    throw invalid(
      `The multipart body could not be read (${message}). Send multipart/form-data with one file part per file.`,
    );
  }
}

function rawUpload(req: FastifyRequest, queryName: string | undefined): Upload {
  const filename = queryName ?? filenameOf(req.headers['content-disposition']);
  if (!filename) {
    throw invalid(
      'Missing filename: give it as ?filename=name.ext or in a Content-Disposition: attachment; filename="name.ext" header, or send multipart/form-data.',
    );
  }
  const body = req.body as Readable | undefined;
  // SessionFiles destroys the stream it reads when it refuses a file; a PassThrough takes that
  // instead of the request, whose connection must live on to carry the 413.
  return { filename, source: body ? body.pipe(new PassThrough()) : Readable.from([]) };
}

/** A Content-Disposition header naming `filename`: ASCII for old clients, filename* (RFC 5987) exact. */
function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The filename of a Content-Disposition header: filename* (RFC 5987, UTF-8) first, then filename. */
export function filenameOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const extended = header.match(/(?:^|;)\s*filename\*\s*=\s*([\w!#$%&+^`{}~-]+)'[^']*'([^;\s]+)/i);
  if (extended && /^utf-8$/i.test(extended[1])) {
    try {
      return decodeURIComponent(extended[2]);
    } catch {
      // malformed percent-encoding: fall back to the plain filename parameter
    }
  }
  const quoted = header.match(/(?:^|;)\s*filename\s*=\s*"((?:[^"\\]|\\.)*)"/i);
  if (quoted) return quoted[1].replace(/\\(.)/g, '$1');
  return header.match(/(?:^|;)\s*filename\s*=\s*([^;\s]+)/i)?.[1];
}

/**
 * A refused upload leaves body bytes unread: read them away and close the connection after the
 * answer, as Fastify does after its own body errors, so the next request is not parsed from them.
 */
function closeIfBodyUnread(
  req: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (err: null, payload: unknown) => void,
): void {
  if (!req.raw.complete) {
    reply.header('connection', 'close');
    req.raw.unpipe();
    req.raw.resume();
  }
  done(null, payload);
}
