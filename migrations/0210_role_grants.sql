-- Role grants (docs/security.md): granted roles stay in peers.roles and peer_roles; what the peer named without a
-- grant waits in pending_roles; grants holds what the operator stated. Mirrors src/db/schema/foundation.ts.
ALTER TABLE peers ADD COLUMN pending_roles TEXT NOT NULL DEFAULT '[]';
ALTER TABLE peers ADD COLUMN grants TEXT;
ALTER TABLE peers ADD COLUMN credentials_post_status INTEGER NOT NULL DEFAULT 201;
