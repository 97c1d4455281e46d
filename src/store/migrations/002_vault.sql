-- The credential vault. Username, password and TOTP parameters are sealed with AES-256-GCM
-- (src/vault/crypto.ts: version ‖ IV ‖ tag ‖ ciphertext, the row's identity as AAD); name and
-- allowed_domains (a JSON array of hostnames and *.wildcards) are plain.
CREATE TABLE credentials (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name             TEXT NOT NULL,
  allowed_domains  TEXT NOT NULL,
  username_sealed  BLOB NOT NULL,
  password_sealed  BLOB NOT NULL,
  totp_sealed      BLOB,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX credentials_tenant_created ON credentials(tenant_id, created_at);
