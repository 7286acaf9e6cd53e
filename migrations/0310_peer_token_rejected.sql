-- Consecutive HTTP 401 answers of a peer to our calls, and when they reached TOKEN_REJECTED_AFTER_401S (the peer no
-- longer accepts our token: its outbox holds until credentials are renewed or refreshed). Mirrors peers in
-- src/db/schema/foundation.ts.
ALTER TABLE peers ADD COLUMN unauthorized_streak INTEGER NOT NULL DEFAULT 0;
ALTER TABLE peers ADD COLUMN token_rejected_at INTEGER;
