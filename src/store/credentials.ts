// The credential vault's rows. Secrets arrive here already sealed; this file never sees plaintext.
import type { Db } from './db.js';

export interface CredentialRow {
  id: string;
  tenant_id: string;
  name: string;
  /** JSON array of hostnames and *.wildcards. */
  allowed_domains: string;
  username_sealed: Buffer;
  password_sealed: Buffer;
  totp_sealed: Buffer | null;
  /** 1 when the credential may be filled over plain http on a non-loopback host (migration 005). */
  allow_insecure: number;
  created_at: string;
  updated_at: string;
}

export type CredentialChanges = Partial<
  Pick<
    CredentialRow,
    'name' | 'allowed_domains' | 'username_sealed' | 'password_sealed' | 'totp_sealed' | 'allow_insecure'
  >
> & {
  updated_at: string;
};

const CHANGEABLE = [
  'name',
  'allowed_domains',
  'username_sealed',
  'password_sealed',
  'totp_sealed',
  'allow_insecure',
] as const;

export class CredentialRepository {
  constructor(private readonly db: Db) {}

  insert(row: CredentialRow): void {
    this.db
      .prepare(
        `INSERT INTO credentials (id, tenant_id, name, allowed_domains, username_sealed, password_sealed, totp_sealed, allow_insecure, created_at, updated_at)
         VALUES (@id, @tenant_id, @name, @allowed_domains, @username_sealed, @password_sealed, @totp_sealed, @allow_insecure, @created_at, @updated_at)`,
      )
      .run(row);
  }

  get(tenantId: string, id: string): CredentialRow | undefined {
    return this.db.prepare('SELECT * FROM credentials WHERE id = ? AND tenant_id = ?').get(id, tenantId) as
      CredentialRow | undefined;
  }

  list(tenantId: string): CredentialRow[] {
    return this.db
      .prepare('SELECT * FROM credentials WHERE tenant_id = ? ORDER BY created_at, id')
      .all(tenantId) as CredentialRow[];
  }

  /** Any one row of any tenant, to check at start that the key opens what is stored. */
  first(): CredentialRow | undefined {
    return this.db.prepare('SELECT * FROM credentials ORDER BY created_at, id LIMIT 1').get() as
      CredentialRow | undefined;
  }

  /** Sets the given columns (a null totp_sealed removes the TOTP); false when there is no such row. */
  update(tenantId: string, id: string, changes: CredentialChanges): boolean {
    const columns = CHANGEABLE.filter((column) => changes[column] !== undefined);
    const assignments = [...columns, 'updated_at'].map((column) => `${column} = @${column}`).join(', ');
    return (
      this.db
        .prepare(`UPDATE credentials SET ${assignments} WHERE id = @id AND tenant_id = @tenant_id`)
        .run({ ...changes, id, tenant_id: tenantId }).changes > 0
    );
  }

  delete(tenantId: string, id: string): boolean {
    return this.db.prepare('DELETE FROM credentials WHERE id = ? AND tenant_id = ?').run(id, tenantId).changes > 0;
  }
}
