-- Authorization log (B3.1 audit, B3.4 GDPR). Mirrors src/db/schema/authorizations.ts.
CREATE TABLE authorizations (
  id TEXT PRIMARY KEY NOT NULL,
  at INTEGER NOT NULL,
  side TEXT NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  token_country_code TEXT,
  token_party_id TEXT,
  token_uid TEXT NOT NULL,
  token_type TEXT NOT NULL,
  location_id TEXT,
  evse_uids TEXT,
  allowed INTEGER NOT NULL,
  reason TEXT NOT NULL,
  source TEXT NOT NULL,
  authorization_reference TEXT,
  peer_id TEXT
);
CREATE INDEX authorizations_by_at ON authorizations (at, id);
CREATE INDEX authorizations_by_party_at ON authorizations (country_code, party_id, at, id);
CREATE INDEX authorizations_by_token_uid ON authorizations (token_uid, token_country_code, token_party_id, at);
