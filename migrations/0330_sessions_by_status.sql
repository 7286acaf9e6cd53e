-- The management API's live sessions list (GET /admin/v1/live-sessions): unfinished sessions, newest first, found by
-- status without reading the finished ones. Mirrors src/db/schema/sessions.ts.
CREATE INDEX sessions_by_status_last_updated ON sessions (status, last_updated);
