// Session records: what was asked for, where its browser is, and how it ended.
import type { Db } from './db.js';

export type SessionStatus = 'active' | 'terminated' | 'expired';

export interface SessionRow {
  id: string;
  tenant_id: string;
  status: SessionStatus;
  end_reason: string | null;
  kind: 'managed' | 'external';
  external_cdp_url: string | null;
  /** SHA-256 of the token in cdp_url (the CDP proxy); the token itself lives only in memory. */
  cdp_token_hash: string | null;
  /** SHA-256 of the token in live_url (view and input only). */
  live_token_hash: string | null;
  /** The API key that created the session (null for keyless calls); revoking it ends the session. */
  api_key_id: string | null;
  /** The outbound proxy as shown to the tenant (scheme://host:port, no credentials). */
  proxy_server: string | null;
  screen_width: number;
  screen_height: number;
  ttl_seconds: number;
  idle_timeout_ms: number | null;
  metadata: string;
  profile_id: string | null;
  persist_changes: number | null;
  browser_pid: number | null;
  created_at: string;
  updated_at: string;
  expires_at: string;
  ended_at: string | null;
}

export class SessionRepository {
  constructor(private readonly db: Db) {}

  insert(row: SessionRow): void {
    const columns = Object.keys(row);
    this.db
      .prepare(`INSERT INTO sessions (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`)
      .run(row);
  }

  get(tenantId: string, id: string): SessionRow | undefined {
    return this.db.prepare('SELECT * FROM sessions WHERE id = ? AND tenant_id = ?').get(id, tenantId) as
      SessionRow | undefined;
  }

  getAnyTenant(id: string): SessionRow | undefined {
    return this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
  }

  list(
    tenantId: string,
    status: SessionStatus | undefined,
    limit: number,
    offset: number,
  ): { rows: SessionRow[]; total: number } {
    const where = status ? 'tenant_id = ? AND status = ?' : 'tenant_id = ?';
    const args = status ? [tenantId, status] : [tenantId];
    const rows = this.db
      .prepare(`SELECT * FROM sessions WHERE ${where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?`)
      .all(...args, limit, offset) as SessionRow[];
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM sessions WHERE ${where}`).get(...args) as { n: number })
      .n;
    return { rows, total };
  }

  listActive(): SessionRow[] {
    return this.db.prepare("SELECT * FROM sessions WHERE status = 'active'").all() as SessionRow[];
  }

  update(
    id: string,
    fields: Partial<Pick<SessionRow, 'metadata' | 'updated_at' | 'expires_at' | 'ttl_seconds' | 'browser_pid'>>,
  ): void {
    const sets = Object.keys(fields).map((c) => `${c} = @${c}`);
    if (sets.length === 0) return;
    this.db.prepare(`UPDATE sessions SET ${sets.join(', ')} WHERE id = @id`).run({ ...fields, id });
  }

  /** Ends an active session; false when it had already ended (so only one ender wins). */
  end(id: string, status: Exclude<SessionStatus, 'active'>, reason: string, at: string): boolean {
    return (
      this.db
        .prepare(
          "UPDATE sessions SET status = ?, end_reason = ?, ended_at = ?, updated_at = ?, browser_pid = NULL WHERE id = ? AND status = 'active'",
        )
        .run(status, reason, at, at, id).changes > 0
    );
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
  }
}
