// The credential vault: a tenant's logins, sealed at rest and bound to the sites they may be filled
// into. Every method but reveal() answers views without username, password or TOTP secret;
// reveal() is for the authenticate action alone (DESIGN.md: "never returned by any endpoint").
import { randomUUID } from 'node:crypto';
import { NavisError, credentialNotFound, invalid } from '../errors.js';
import type { CredentialChanges, CredentialRepository, CredentialRow } from '../store/credentials.js';
import { VaultDecryptError, type VaultCipher } from './crypto.js';
import { normalizeAllowedDomains } from './domains.js';
import { parseTotpSecret, type TotpParams } from './totp.js';

export interface CredentialView {
  id: string;
  name: string;
  allowedDomains: string[];
  hasTotp: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CredentialInput {
  name: string;
  allowedDomains: string[];
  username: string;
  password: string;
  /** Base32 or an otpauth://totp/ URI. */
  totpSecret?: string | null;
}

/** Fields left out stay as they are; a totpSecret of null removes the TOTP. */
export type CredentialPatch = Partial<CredentialInput>;

export interface RevealedCredential {
  username: string;
  password: string;
  totp?: TotpParams;
  allowedDomains: string[];
}

type SealedField = 'username' | 'password' | 'totp';

const view = (row: CredentialRow): CredentialView => ({
  id: row.id,
  name: row.name,
  allowedDomains: JSON.parse(row.allowed_domains) as string[],
  hasTotp: row.totp_sealed !== null,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class Vault {
  constructor(
    private readonly repo: CredentialRepository,
    private readonly cipher: VaultCipher,
  ) {
    this.checkKey();
  }

  create(tenantId: string, input: CredentialInput): CredentialView {
    const now = new Date().toISOString();
    const id = randomUUID();
    const row: CredentialRow = {
      id,
      tenant_id: tenantId,
      name: input.name,
      allowed_domains: JSON.stringify(normalizeAllowedDomains(input.allowedDomains)),
      username_sealed: this.seal(tenantId, id, 'username', input.username),
      password_sealed: this.seal(tenantId, id, 'password', input.password),
      totp_sealed: input.totpSecret ? this.sealTotp(tenantId, id, input.totpSecret) : null,
      created_at: now,
      updated_at: now,
    };
    this.repo.insert(row);
    return view(row);
  }

  list(tenantId: string): CredentialView[] {
    return this.repo.list(tenantId).map(view);
  }

  get(tenantId: string, id: string): CredentialView {
    return view(this.row(tenantId, id));
  }

  update(tenantId: string, id: string, patch: CredentialPatch): CredentialView {
    this.row(tenantId, id);
    if (Object.values(patch).every((value) => value === undefined)) {
      throw invalid('Invalid request body: send at least one of name, allowedDomains, username, password, totpSecret');
    }
    const changes: CredentialChanges = { updated_at: new Date().toISOString() };
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.allowedDomains !== undefined) changes.allowed_domains = JSON.stringify(normalizeAllowedDomains(patch.allowedDomains));
    if (patch.username !== undefined) changes.username_sealed = this.seal(tenantId, id, 'username', patch.username);
    if (patch.password !== undefined) changes.password_sealed = this.seal(tenantId, id, 'password', patch.password);
    if (patch.totpSecret !== undefined) changes.totp_sealed = patch.totpSecret === null ? null : this.sealTotp(tenantId, id, patch.totpSecret);
    if (!this.repo.update(tenantId, id, changes)) throw credentialNotFound();
    return this.get(tenantId, id);
  }

  delete(tenantId: string, id: string): void {
    if (!this.repo.delete(tenantId, id)) throw credentialNotFound();
  }

  /** The secrets themselves, for the authenticate action only: never put them in a response or a log. */
  reveal(tenantId: string, id: string): RevealedCredential {
    const row = this.row(tenantId, id);
    const totp = row.totp_sealed && (JSON.parse(this.open(row, 'totp', row.totp_sealed)) as TotpParams);
    return {
      username: this.open(row, 'username', row.username_sealed),
      password: this.open(row, 'password', row.password_sealed),
      ...(totp ? { totp } : {}),
      allowedDomains: view(row).allowedDomains,
    };
  }

  private row(tenantId: string, id: string): CredentialRow {
    const row = this.repo.get(tenantId, id);
    if (!row) throw credentialNotFound();
    return row;
  }

  /** Binds each value to its tenant, row and field, so a sealed value moved anywhere else fails to open. */
  private aad(tenantId: string, id: string, field: SealedField): string {
    return `navis-credential:${tenantId}:${id}:${field}`;
  }

  private seal(tenantId: string, id: string, field: SealedField, plaintext: string): Buffer {
    return this.cipher.seal(plaintext, this.aad(tenantId, id, field));
  }

  private sealTotp(tenantId: string, id: string, totpSecret: string): Buffer {
    return this.seal(tenantId, id, 'totp', JSON.stringify(parseTotpSecret(totpSecret)));
  }

  private open(row: CredentialRow, field: SealedField, sealed: Buffer): string {
    try {
      return this.cipher.open(sealed, this.aad(row.tenant_id, row.id, field));
    } catch (error) {
      if (!(error instanceof VaultDecryptError)) throw error;
      throw new NavisError('INTERNAL', `Credential ${row.id}: ${error.message}`, undefined, { cause: error });
    }
  }

  /**
   * Refuses to start with a key that does not open what is stored (NAVIS_VAULT_KEY changed, or
   * vault.key replaced): otherwise new credentials would be sealed with a second key, and every old
   * one would fail only when a task tried to log in with it.
   */
  private checkKey(): void {
    const row = this.repo.first();
    if (!row) return;
    try {
      this.cipher.open(row.username_sealed, this.aad(row.tenant_id, row.id, 'username'));
    } catch (error) {
      if (!(error instanceof VaultDecryptError)) throw error;
      throw new Error(
        'The vault key does not open the stored credentials: NAVIS_VAULT_KEY (or <dataDir>/vault.key) differs from the key they were sealed with. Restore that key to start navis.',
      );
    }
  }
}
