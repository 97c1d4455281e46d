-- The step cache remembers when an entry's steps last failed to replay, and why (redacted of the
-- run's secrets): what a person looking at the cache wants to know before trusting an entry.
ALTER TABLE step_cache ADD COLUMN last_failure TEXT;
ALTER TABLE step_cache ADD COLUMN last_failure_at TEXT;
