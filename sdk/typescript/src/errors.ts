// NavisError: every refusal or failure a method meets, with the HTTP status and navis's own message
// (`detail` in /public answers, `error` in /browser, /admin and /api/sites ones), and `code` where
// the body has one (/browser, /admin, and a streamed discovery's error line).

export class NavisError extends Error {
  override readonly name = 'NavisError';
  /** The kind of error (e.g. SESSION_NOT_FOUND), where the body names one. */
  readonly code?: string;
  /** The error body as navis sent it (some carry details, e.g. a failed task's stepLog). */
  readonly body?: unknown;

  constructor(
    /** The HTTP status; 0 when navis could not be reached at all. */
    readonly status: number,
    message: string,
    options: { code?: string; body?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.body = options.body;
  }

  /** The error of an answer that is not 2xx; `body` is what openapi-fetch read of it (JSON when it parsed). */
  static fromAnswer(response: Response, body: unknown): NavisError {
    const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
    const said = fields.detail ?? fields.error;
    let message = `${response.status} ${response.statusText}`.trim();
    if (typeof said === 'string') message = said;
    else if (said !== undefined) message = JSON.stringify(said);
    else if (typeof body === 'string' && body.trim()) message = body.trim().slice(0, 500);
    return new NavisError(response.status, message, {
      code: typeof fields.code === 'string' ? fields.code : undefined,
      body,
    });
  }
}
