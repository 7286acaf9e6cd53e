-- Sessions: for each charging period held, the last_updated of the write that set it, so that a period sent twice ends
-- as the newer write sent it whatever the arrival order (docs/sessions-cdrs.md, "Merge rules"). Existing rows start
-- empty: their periods count as written at the session's last_updated. Mirrors src/db/schema/sessions.ts.
ALTER TABLE sessions ADD COLUMN period_versions TEXT NOT NULL DEFAULT '{}';
