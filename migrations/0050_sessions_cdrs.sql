-- Sessions and CDRs: own (hosted CPOs) and received (eMSP side). Mirrors src/db/schema/sessions.ts and cdrs.ts.
CREATE TABLE sessions (
  source TEXT NOT NULL,
  key TEXT NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  peer_id TEXT,
  token_country_code TEXT NOT NULL,
  token_party_id TEXT NOT NULL,
  token_uid TEXT NOT NULL,
  status TEXT NOT NULL,
  last_updated INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  object TEXT NOT NULL,
  charging_preferences TEXT,
  PRIMARY KEY (source, key)
);
CREATE INDEX sessions_by_source_last_updated ON sessions (source, last_updated, key);
CREATE INDEX sessions_by_owner_last_updated ON sessions (source, country_code, party_id, last_updated, key);
CREATE INDEX sessions_by_token_party_last_updated ON sessions (source, token_country_code, token_party_id, last_updated, key);
CREATE INDEX sessions_by_token_uid ON sessions (token_uid, token_country_code, token_party_id);

CREATE TABLE cdrs (
  source TEXT NOT NULL,
  key TEXT NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  peer_id TEXT,
  token_country_code TEXT NOT NULL,
  token_party_id TEXT NOT NULL,
  token_uid TEXT NOT NULL,
  session_id TEXT,
  last_updated INTEGER NOT NULL,
  object TEXT NOT NULL,
  PRIMARY KEY (source, key)
);
CREATE INDEX cdrs_by_source_last_updated ON cdrs (source, last_updated, key);
CREATE INDEX cdrs_by_owner_last_updated ON cdrs (source, country_code, party_id, last_updated, key);
CREATE INDEX cdrs_by_token_party_last_updated ON cdrs (source, token_country_code, token_party_id, last_updated, key);
CREATE INDEX cdrs_by_token_uid ON cdrs (token_uid, token_country_code, token_party_id);
