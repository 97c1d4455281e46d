// The typed core errors. Services throw these; each wire dialect turns them into its own body
// in one error handler. The HTTP status of an error is decided here, once, by its code.

export const ERROR_STATUS = {
  INVALID_REQUEST: 400,
  TTL_TOO_LONG: 400,
  SESSION_ALREADY_ENDED: 400,
  SESSION_NOT_EXTENDABLE: 400,
  CDP_CONNECT_FAILED: 400,
  /** A URL navis was asked to open whose scheme no tenant may open (file:, chrome:, javascript:…). */
  URL_NOT_ALLOWED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  /** The tenant's network policy refuses the host (private, loopback, metadata, denyHosts, navis's own). */
  EGRESS_REFUSED: 403,
  /** The tenant is disabled by the admin. */
  TENANT_DISABLED: 403,
  NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  PROFILE_NOT_FOUND: 404,
  CREDENTIAL_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  SELECTOR_NOT_FOUND: 404,
  ACTION_TIMEOUT: 408,
  TENANT_NOT_FOUND: 404,
  API_KEY_NOT_FOUND: 404,
  SESSION_ENDED: 410,
  PROFILE_LOCKED: 409,
  PAYLOAD_TOO_LARGE: 413,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  DOMAIN_MISMATCH: 422,
  ACTION_FAILED: 422,
  /**
   * What the request asked for would make an answer past a cap (actions/answer.ts AnswerLimits).
   * 422, not 413: 413 is about the request's own body (PAYLOAD_TOO_LARGE); here the body is fine.
   */
  RESULT_TOO_LARGE: 422,
  TOO_MANY_SESSIONS: 429,
  /** seed 002: more site executions at once than NAVIS_MAX_SITE_EXECUTIONS allows. */
  EXECUTIONS_LIMIT: 429,
  INTERNAL: 500,
  SINGLE_ACTION_FAILED: 500,
  /** seed 002: a manifest action's navigation or one of its steps failed ("Action 'x' failed: ..."). */
  SITE_ACTION_FAILED: 500,
  /** The model server behind the LLM planner failed, timed out or could not be reached. */
  PLANNER_FAILED: 502,
  /** The client went away before its queued or running work was done; nobody reads this answer. */
  CANCELLED: 499,
  BROWSER_LAUNCH_FAILED: 503,
  BROWSER_GONE: 503,
  SHUTTING_DOWN: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class NavisError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NavisError';
    this.status = ERROR_STATUS[code];
  }
}

export const invalid = (message: string, details?: Record<string, unknown>) =>
  new NavisError('INVALID_REQUEST', message, details);

export const sessionNotFound = () => new NavisError('SESSION_NOT_FOUND', 'Session not found');
export const profileNotFound = () => new NavisError('PROFILE_NOT_FOUND', 'Browser profile not found');
export const credentialNotFound = () => new NavisError('CREDENTIAL_NOT_FOUND', 'Credential not found');

/** Whatever was thrown, as a NavisError; unknown errors become INTERNAL with the original as cause. */
export function toNavisError(error: unknown): NavisError {
  if (error instanceof NavisError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new NavisError('INTERNAL', message, undefined, { cause: error });
}
