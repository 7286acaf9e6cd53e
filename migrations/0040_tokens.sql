-- Tokens: own tokens of hosted eMSPs and the CPO-side cache of received tokens. Mirrors src/db/schema/tokens.ts.
CREATE TABLE tokens (
  source TEXT NOT NULL,
  key TEXT NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  uid TEXT NOT NULL,
  type TEXT NOT NULL,
  peer_id TEXT,
  last_updated INTEGER NOT NULL,
  object TEXT NOT NULL,
  allowed_countries TEXT,
  account_status TEXT,
  PRIMARY KEY (source, key)
);

CREATE INDEX tokens_by_uid ON tokens (source, uid, type);
CREATE INDEX tokens_by_party_last_updated ON tokens (source, country_code, party_id, last_updated, key, type);
CREATE INDEX tokens_by_peer_last_updated ON tokens (peer_id, last_updated, key);
