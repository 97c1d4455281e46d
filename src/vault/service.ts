// The credential vault: a tenant's logins, sealed at rest and bound to the sites they may be filled
// into. Every method but reveal() answers views without username, password or TOTP secret;
// reveal() is for the authenticate action alone (DESIGN.md: "never returned by any endpoint").
// Re-binding a credential (other allowedDomains, or plain http allowed) takes its password again:
// an API key alone must not be enough to point a secret at a site of the key holder's choosing.
import { randomUUID } from 'node:crypto';
import { NavisError, credentialNotFound, invalid } from '../errors.js';
import type { CredentialChanges, CredentialRepository, CredentialRow } from '../store/credentials.js';
import { VaultDecryptError, secretsEqual, type VaultCipher } from './crypto.js';
import { normalizeAllowedDomains } from './domains.js';
import { parseTotpSecret, type TotpParams } from './totp.js';

export interface CredentialView {
  id: string;
  name: string;
  allowedDomains: string[];
  hasTotp: boolean;
  /** May be filled over plain http on a host that is not loopback (see fill-guard.ts). */
  allowInsecure: boolean;
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
  /** Default false: plain http only on loopback hosts. */
  allowInsecure?: boolean;
}

/**
 * Fields left out stay as they are; a totpSecret of null removes the TOTP. `currentPassword` is
 * the proof a re-binding needs when the same patch sets a new `password` (see checkProof).
 */
export type CredentialPatch = Partial<CredentialInput> & { currentPassword?: string };

export interface RevealedCredential {
  username: string;
  password: string;
  totp?: TotpParams;
  allowedDomains: string[];
  allowInsecure: boolean;
}

type SealedField = 'username' | 'password' | 'totp';

const view = (row: CredentialRow): CredentialView => ({
  id: row.id,
  name: row.name,
  allowedDomains: JSON.parse(row.allowed_domains) as string[],
  hasTotp: row.totp_sealed !== null,
  allowInsecure: row.allow_insecure === 1,
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
      allow_insecure: input.allowInsecure ? 1 : 0,
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
    const row = this.row(tenantId, id);
    const { currentPassword, ...fields } = patch;
    if (Object.values(fields).every((value) => value === undefined)) {
      throw invalid(
        'Invalid request body: send at least one of name, allowedDomains, username, password, totpSecret, allowInsecure',
      );
    }
    const domains = fields.allowedDomains && normalizeAllowedDomains(fields.allowedDomains);
    const changes: CredentialChanges = { updated_at: new Date().toISOString() };
    if (fields.name !== undefined) changes.name = fields.name;
    if (domains !== undefined) changes.allowed_domains = JSON.stringify(domains);
    if (fields.allowInsecure !== undefined) changes.allow_insecure = fields.allowInsecure ? 1 : 0;
    if (fields.username !== undefined) changes.username_sealed = this.seal(tenantId, id, 'username', fields.username);
    if (fields.password !== undefined) changes.password_sealed = this.seal(tenantId, id, 'password', fields.password);
    if (fields.totpSecret !== undefined)
      changes.totp_sealed = fields.totpSecret === null ? null : this.sealTotp(tenantId, id, fields.totpSecret);

    // Checked once the body is known to be valid, so a bad field answers 400 whatever the proof.
    const stored = view(row);
    const rebinds =
      (domains !== undefined && !sameList(domains, stored.allowedDomains)) ||
      (fields.allowInsecure === true && !stored.allowInsecure);
    // A new password needs the old one too: else a key holder could set a password of their own,
    // then use it as the proof to move the credential (and its username and TOTP) to their site.
    const replacesPassword =
      fields.password !== undefined && !secretsEqual(fields.password, this.open(row, 'password', row.password_sealed));
    if (rebinds || replacesPassword || currentPassword !== undefined) this.checkProof(row, patch, replacesPassword);
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
      allowInsecure: row.allow_insecure === 1,
    };
  }

  /**
   * The proof a re-binding or a new password needs: the stored password, as `currentPassword`, or
   * (for a re-binding that keeps the password) as `password`. A `currentPassword` sent is always checked.
   *
   * 403, not 422: the body is well-formed and means what it says; what is missing is the caller's
   * authority. The API key lets its holder manage the credential, but not move the secret to sites
   * of their choosing: that takes knowing the secret, as a "confirm your password" step does.
   */
  private checkProof(row: CredentialRow, patch: CredentialPatch, replacesPassword: boolean): void {
    const what =
      "Setting a new password, changing allowedDomains or turning on allowInsecure needs the credential's current password";
    const how = "send it as 'currentPassword' (or, when the password stays as it is, as 'password')";
    if (replacesPassword && patch.currentPassword === undefined) {
      throw new NavisError(
        'FORBIDDEN',
        `'password' does not match the credential's stored password; nothing was changed. To set a new password, send the current one as 'currentPassword' too.`,
      );
    }
    const proof = patch.currentPassword ?? patch.password;
    if (proof === undefined) throw new NavisError('FORBIDDEN', `${what}: ${how}.`);
    if (!secretsEqual(proof, this.open(row, 'password', row.password_sealed))) {
      const field = patch.currentPassword !== undefined ? 'currentPassword' : 'password';
      throw new NavisError(
        'FORBIDDEN',
        `'${field}' does not match the credential's stored password; nothing was changed. ${what}: ${how}.`,
      );
    }
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
        { cause: error },
      );
    }
  }
}

/** The same entries, in any order. */
function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}
