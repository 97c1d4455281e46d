// Managed browser sessions, in /public (seed 001): snake_case fields, `cdp_url` for Playwright or
// any CDP client, `metadata.live_url` for a person to watch or take over.
import type { Http } from './http.js';
import type { CreateSession, Session, SessionList, SessionListQuery, UpdateSession } from './types.js';

export class Sessions {
  constructor(private readonly http: Http) {}

  /** Starts a session (one Chromium); every field is optional: 1280x720, a 600 s TTL. */
  create(body: CreateSession = {}): Promise<Session> {
    return this.http.json(this.http.api.POST('/public/sessions', { body }));
  }

  get(sessionId: string): Promise<Session> {
    return this.http.json(
      this.http.api.GET('/public/sessions/{session_id}', { params: { path: { session_id: sessionId } } }),
    );
  }

  /** Newest first; `{sessions, total}`. */
  list(query: SessionListQuery = {}): Promise<SessionList> {
    return this.http.json(this.http.api.GET('/public/sessions', { params: { query } }));
  }

  /** Merges metadata (the keys sent replace those keys) and can shorten the TTL. */
  update(sessionId: string, body: UpdateSession): Promise<Session> {
    return this.http.json(
      this.http.api.PATCH('/public/sessions/{session_id}', { params: { path: { session_id: sessionId } }, body }),
    );
  }

  /** Ends the session at once (in-progress work stops); it stays listed as terminated. */
  async terminate(sessionId: string): Promise<void> {
    await this.http.json(
      this.http.api.POST('/public/sessions/{session_id}/terminate', { params: { path: { session_id: sessionId } } }),
    );
  }

  /** Ends the session if needed and removes it. */
  async delete(sessionId: string): Promise<void> {
    await this.http.json(
      this.http.api.DELETE('/public/sessions/{session_id}', { params: { path: { session_id: sessionId } } }),
    );
  }
}
