-- Tariffs (own and received), the multi-currency opt-in per peer, and x-driver-tariffs. Mirrors src/db/schema/tariffs.ts.
CREATE TABLE tariffs (
  key TEXT PRIMARY KEY NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  peer_id TEXT,
  tariff_group_id TEXT,
  iso_currency INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  object TEXT NOT NULL
);
CREATE INDEX tariffs_by_peer_last_updated ON tariffs (peer_id, last_updated, key);
CREATE INDEX tariffs_by_peer_party_last_updated ON tariffs (peer_id, country_code, party_id, last_updated, key);
CREATE INDEX tariffs_by_group ON tariffs (country_code, party_id, tariff_group_id);

CREATE TABLE tariff_peer_settings (
  peer_id TEXT PRIMARY KEY NOT NULL,
  non_iso_currencies INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE driver_tariffs (
  key TEXT PRIMARY KEY NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  token_uid TEXT NOT NULL,
  peer_id TEXT,
  last_updated INTEGER NOT NULL,
  object TEXT NOT NULL
);
CREATE INDEX driver_tariffs_by_peer_last_updated ON driver_tariffs (peer_id, last_updated, key);
CREATE INDEX driver_tariffs_by_peer_party_last_updated ON driver_tariffs (peer_id, country_code, party_id, last_updated, key);
