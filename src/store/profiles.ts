// Browser profiles (a Chromium user-data directory each, on disk under the data dir) and their locks.
import type { Db } from './db.js';

export interface ProfileRow {
  id: string;
  tenant_id: string;
  name: string;
  locked_by_session: string | null;
  created_at: string;
  updated_at: string;
}

export class ProfileRepository {
  constructor(private readonly db: Db) {}

  insert(row: Omit<ProfileRow, 'locked_by_session'>): void {
    this.db
      .prepare(
        'INSERT INTO profiles (id, tenant_id, name, created_at, updated_at) VALUES (@id, @tenant_id, @name, @created_at, @updated_at)',
      )
      .run(row);
  }

  get(tenantId: string, id: string): ProfileRow | undefined {
    return this.db.prepare('SELECT * FROM profiles WHERE id = ? AND tenant_id = ?').get(id, tenantId) as
      ProfileRow | undefined;
  }

  list(tenantId: string): ProfileRow[] {
    return this.db
      .prepare('SELECT * FROM profiles WHERE tenant_id = ? ORDER BY created_at, id')
      .all(tenantId) as ProfileRow[];
  }

  delete(tenantId: string, id: string): boolean {
    return this.db.prepare('DELETE FROM profiles WHERE id = ? AND tenant_id = ?').run(id, tenantId).changes > 0;
  }

  /** Takes the profile's lock for a session; false when another session holds it. Atomic. */
  lock(id: string, sessionId: string): boolean {
    return (
      this.db
        .prepare('UPDATE profiles SET locked_by_session = ? WHERE id = ? AND locked_by_session IS NULL')
        .run(sessionId, id).changes > 0
    );
  }

  unlock(id: string, sessionId: string, at: string): void {
    this.db
      .prepare('UPDATE profiles SET locked_by_session = NULL, updated_at = ? WHERE id = ? AND locked_by_session = ?')
      .run(at, id, sessionId);
  }

  lockHolder(id: string): string | null {
    return (
      (
        this.db.prepare('SELECT locked_by_session FROM profiles WHERE id = ?').get(id) as
          { locked_by_session: string | null } | undefined
      )?.locked_by_session ?? null
    );
  }

  unlockAll(): void {
    this.db.prepare('UPDATE profiles SET locked_by_session = NULL WHERE locked_by_session IS NOT NULL').run();
  }
}
