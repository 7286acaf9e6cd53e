-- Parties, peers, credentials and hub client info. Mirrors src/db/schema/foundation.ts.
CREATE TABLE parties (
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  role TEXT NOT NULL,
  business_details TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (country_code, party_id, role)
);

CREATE TABLE peers (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT,
  status TEXT NOT NULL,
  initiated_by TEXT NOT NULL,
  version TEXT,
  versions_url TEXT,
  endpoints TEXT NOT NULL DEFAULT '[]',
  roles TEXT NOT NULL DEFAULT '[]',
  hub_party_id TEXT,
  outbound_token TEXT,
  credentials_rotated_at INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE peer_roles (
  peer_id TEXT NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  role TEXT NOT NULL,
  PRIMARY KEY (peer_id, country_code, party_id, role)
);
CREATE INDEX peer_roles_by_party ON peer_roles (country_code, party_id);

CREATE TABLE credentials_tokens (
  token_hash TEXT PRIMARY KEY NOT NULL,
  peer_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER
);
CREATE INDEX credentials_tokens_by_peer ON credentials_tokens (peer_id);

CREATE TABLE hub_client_info (
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  role TEXT NOT NULL,
  status TEXT NOT NULL,
  peer_id TEXT,
  last_updated INTEGER NOT NULL,
  key TEXT GENERATED ALWAYS AS (country_code || '*' || party_id || '*' || role) VIRTUAL,
  PRIMARY KEY (country_code, party_id, role)
);
CREATE INDEX hub_client_info_by_peer_id_last_updated ON hub_client_info (peer_id, last_updated);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  detail TEXT
);
CREATE INDEX audit_log_by_subject ON audit_log (subject);
