// Typed tasks on a session, and its page as a PDF or an image, in /browser (seed 003): camelCase.
import type { Http } from './http.js';
import type { PdfOptions, ScreenshotOptions, Task, TaskResult } from './types.js';

export class Tasks {
  constructor(private readonly http: Http) {}

  /** Runs the actions in order (after opening `url`, when given); a failed step throws NavisError with the step log in `body`. */
  run(sessionId: string, body: Task): Promise<TaskResult> {
    return this.http.json(
      this.http.api.POST('/browser/sessions/{id}/tasks', { params: { path: { id: sessionId } }, body }),
    );
  }

  /** The current page (or `url`) as PDF bytes. */
  pdf(sessionId: string, options: PdfOptions = {}): Promise<Uint8Array> {
    return this.http.bytes(
      this.http.api.POST('/browser/sessions/{id}/pdf', {
        params: { path: { id: sessionId } },
        body: options,
        headers: { accept: 'application/pdf' },
        parseAs: 'arrayBuffer',
      }),
    );
  }

  /** The current page (or `url`, or one element) as PNG bytes, or JPEG with `type: 'jpeg'`. */
  screenshot(sessionId: string, options: ScreenshotOptions = {}): Promise<Uint8Array> {
    return this.http.bytes(
      this.http.api.POST('/browser/sessions/{id}/screenshot', {
        params: { path: { id: sessionId } },
        body: options,
        headers: { accept: options.type === 'jpeg' ? 'image/jpeg' : 'image/png' },
        parseAs: 'arrayBuffer',
      }),
    );
  }
}
