// A session's files, in /browser: uploads the uploadFile action puts into file inputs, and what the
// session's page downloaded. They go when the session ends.
import type { Http } from './http.js';
import type { SessionFileList } from './types.js';

export class Files {
  constructor(private readonly http: Http) {}

  /** Stores one file under `filename` (a file of that name is replaced); answers the stored name(s). */
  upload(sessionId: string, filename: string, content: Uint8Array | Blob | string): Promise<SessionFileList> {
    return this.http.json(
      this.http.api.POST('/browser/sessions/{id}/files', {
        params: { path: { id: sessionId }, query: { filename } },
        body: content as never, // sent as it is, not as JSON
        bodySerializer: (body: unknown) => body,
        headers: { 'content-type': 'application/octet-stream' },
      }),
    );
  }

  list(sessionId: string): Promise<SessionFileList> {
    return this.http.json(this.http.api.GET('/browser/sessions/{id}/files', { params: { path: { id: sessionId } } }));
  }

  /** The file's bytes. */
  download(sessionId: string, filename: string): Promise<Uint8Array> {
    return this.http.bytes(
      this.http.api.GET('/browser/sessions/{id}/files/{filename}', {
        params: { path: { id: sessionId, filename } },
        parseAs: 'arrayBuffer',
      }),
    );
  }

  async delete(sessionId: string, filename: string): Promise<void> {
    await this.http.json(
      this.http.api.DELETE('/browser/sessions/{id}/files/{filename}', {
        params: { path: { id: sessionId, filename } },
      }),
    );
  }
}
