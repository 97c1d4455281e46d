-- Tenants, their API keys (stored as SHA-256 hashes), browser profiles and sessions.
CREATE TABLE tenants (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,
  tenant_id     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  key_hash      TEXT NOT NULL UNIQUE,
  prefix        TEXT NOT NULL,
  label         TEXT,
  is_admin      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  last_used_at  TEXT,
  revoked_at    TEXT
);
CREATE INDEX api_keys_tenant ON api_keys(tenant_id);

CREATE TABLE profiles (
  id                 TEXT PRIMARY KEY,
  tenant_id          TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name               TEXT NOT NULL,
  locked_by_session  TEXT,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL
);
CREATE INDEX profiles_tenant ON profiles(tenant_id);

CREATE TABLE sessions (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  status           TEXT NOT NULL CHECK (status IN ('active', 'terminated', 'expired')),
  end_reason       TEXT,
  kind             TEXT NOT NULL CHECK (kind IN ('managed', 'external')),
  external_cdp_url TEXT,
  access_token     TEXT NOT NULL,
  screen_width     INTEGER NOT NULL,
  screen_height    INTEGER NOT NULL,
  ttl_seconds      INTEGER NOT NULL,
  idle_timeout_ms  INTEGER,
  metadata         TEXT NOT NULL DEFAULT '{}',
  profile_id       TEXT,
  persist_changes  INTEGER,
  browser_pid      INTEGER,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  expires_at       TEXT NOT NULL,
  ended_at         TEXT
);
CREATE INDEX sessions_tenant_created ON sessions(tenant_id, created_at);
CREATE INDEX sessions_status ON sessions(status);
