-- Isolation (SECURITY.md): a tenant's network policy, limits and lifecycle; session tokens kept
-- only as hashes, one for the CDP proxy and one for the live view; the key that made a session
-- and its outbound proxy; credentials that may be filled over plain http.

-- network: JSON {allowPrivate, allowHosts, denyHosts}; NULL = the default for the tenant
-- (the default tenant allows private addresses, every other tenant does not).
ALTER TABLE tenants ADD COLUMN network TEXT;
-- limits: JSON {maxSessions?, maxSiteExecutions?, maxDiscoveries?}; NULL or a missing field = the global limit.
ALTER TABLE tenants ADD COLUMN limits TEXT;
ALTER TABLE tenants ADD COLUMN disabled_at TEXT;

-- Every session of an earlier run has ended by the time this runs (recovery), and their tokens
-- opened nothing after that: the plain tokens go.
ALTER TABLE sessions DROP COLUMN access_token;
ALTER TABLE sessions ADD COLUMN cdp_token_hash TEXT;
ALTER TABLE sessions ADD COLUMN live_token_hash TEXT;
ALTER TABLE sessions ADD COLUMN api_key_id TEXT;
-- The session's outbound proxy as shown to its tenant: scheme, host and port, never credentials.
ALTER TABLE sessions ADD COLUMN proxy_server TEXT;
CREATE INDEX sessions_api_key ON sessions(api_key_id) WHERE api_key_id IS NOT NULL;

ALTER TABLE credentials ADD COLUMN allow_insecure INTEGER NOT NULL DEFAULT 0;
