-- x-gdpr and x-token-migration. Mirrors src/db/schema/gdpr.ts and src/db/schema/token-migration.ts.
CREATE TABLE gdpr_exports (
  id TEXT PRIMARY KEY NOT NULL,
  peer_id TEXT NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  pseudonym TEXT NOT NULL,
  r2_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX gdpr_exports_by_pseudonym ON gdpr_exports (pseudonym);
CREATE INDEX gdpr_exports_by_expires_at ON gdpr_exports (expires_at);

CREATE TABLE gdpr_requests (
  id TEXT PRIMARY KEY NOT NULL,
  peer_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  uid TEXT NOT NULL,
  token_type TEXT,
  status TEXT NOT NULL,
  status_code INTEGER,
  status_message TEXT,
  result TEXT,
  created_at INTEGER NOT NULL,
  completed_at INTEGER
);
CREATE INDEX gdpr_requests_by_peer_id ON gdpr_requests (peer_id, created_at);

CREATE TABLE party_migrations (
  id TEXT PRIMARY KEY NOT NULL,
  direction TEXT NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  role TEXT NOT NULL,
  peer_id TEXT NOT NULL,
  status TEXT NOT NULL,
  business_details TEXT,
  tokens INTEGER NOT NULL DEFAULT 0,
  detail TEXT NOT NULL DEFAULT '{}',
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX party_migrations_by_party ON party_migrations (country_code, party_id, direction);

CREATE TABLE party_moves (
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  role TEXT NOT NULL,
  from_peer_ids TEXT NOT NULL DEFAULT '[]',
  to_peer_id TEXT NOT NULL,
  moved_at INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (country_code, party_id, role)
);
