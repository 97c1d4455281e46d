-- The step cache of natural-language actions (seed 000 `id`) and usage records (credits).
CREATE TABLE step_cache (
  tenant_id     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  cache_id      TEXT NOT NULL,
  action        TEXT NOT NULL,
  steps         TEXT NOT NULL,
  planner       TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  last_used_at  TEXT,
  replays       INTEGER NOT NULL DEFAULT 0,
  heals         INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, cache_id)
);

CREATE TABLE usage (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  at          TEXT NOT NULL,
  kind        TEXT NOT NULL,
  cache_id    TEXT,
  session_id  TEXT,
  credits     INTEGER NOT NULL,
  used_cache  INTEGER NOT NULL,
  success     INTEGER NOT NULL
);
CREATE INDEX usage_tenant_at ON usage(tenant_id, at);
