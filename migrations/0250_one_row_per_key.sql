-- Whose copy an object is: one model for every object table (docs/architecture.md, "Whose copy an object is"). Each
-- object is one row per key, and `peer_id` says whose copy it is: null for an object of a hosted party, else the peer
-- that holds the party and sent it. Tariffs, driver tariffs and hub_client_info already are so; locations (one row per
-- `source`) and tokens, sessions and CDRs (`source` own/received beside `peer_id`) become so here.
--
-- Where a key has more than one row today, the row kept is the hosted party's, else the newest (last_updated), else
-- the one of the lowest peer id: a party is held by one connection, so the others are copies of a former holder.
-- Mirrors src/db/schema/locations.ts, tokens.ts, sessions.ts, cdrs.ts and token-record-columns.ts.

CREATE TABLE locations_by_key (
  key TEXT PRIMARY KEY NOT NULL,
  peer_id TEXT,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  publish INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  object TEXT NOT NULL,
  json_230 TEXT NOT NULL,
  json_221 TEXT NOT NULL
);
INSERT INTO locations_by_key (key, peer_id, country_code, party_id, id, publish, last_updated, revision, object, json_230, json_221)
  SELECT key, peer_id, country_code, party_id, id, publish, last_updated, revision, object, json_230, json_221 FROM (
    SELECT *, CASE WHEN source = 'own' THEN NULL ELSE source END AS peer_id,
      row_number() OVER (PARTITION BY key ORDER BY source = 'own' DESC, last_updated DESC, source) AS rank
    FROM locations
  ) WHERE rank = 1;
DROP TABLE locations;
ALTER TABLE locations_by_key RENAME TO locations;
CREATE INDEX locations_by_peer_last_updated ON locations (peer_id, last_updated, key, country_code, party_id, publish);
CREATE INDEX locations_by_peer_party ON locations (peer_id, country_code, party_id, last_updated, key);

-- The triggers of 0100_location_tariff_refs.sql went with the old table: the same ones, on own locations (peer_id null).
DELETE FROM location_tariff_refs WHERE location_key NOT IN (SELECT key FROM locations WHERE peer_id IS NULL);

CREATE TRIGGER location_tariff_refs_on_insert AFTER INSERT ON locations WHEN NEW.peer_id IS NULL
BEGIN
  DELETE FROM location_tariff_refs WHERE location_key = NEW.key;
  INSERT INTO location_tariff_refs (tariff_key, location_key)
    SELECT DISTINCT NEW.country_code || '*' || NEW.party_id || '*' || upper(tariff.value), NEW.key
    FROM json_each(NEW.object, '$.evses') AS evse, json_each(evse.value, '$.connectors') AS connector, json_each(connector.value, '$.tariff_ids') AS tariff;
END;

-- An update may also turn a received row into an own one or back (a party taken over or handed over).
CREATE TRIGGER location_tariff_refs_on_update AFTER UPDATE ON locations
BEGIN
  DELETE FROM location_tariff_refs WHERE location_key = OLD.key;
  INSERT INTO location_tariff_refs (tariff_key, location_key)
    SELECT DISTINCT NEW.country_code || '*' || NEW.party_id || '*' || upper(tariff.value), NEW.key
    FROM json_each(NEW.object, '$.evses') AS evse, json_each(evse.value, '$.connectors') AS connector, json_each(connector.value, '$.tariff_ids') AS tariff
    WHERE NEW.peer_id IS NULL;
END;

CREATE TRIGGER location_tariff_refs_on_delete AFTER DELETE ON locations WHEN OLD.peer_id IS NULL
BEGIN
  DELETE FROM location_tariff_refs WHERE location_key = OLD.key;
END;

CREATE TABLE tokens_by_key (
  key TEXT PRIMARY KEY NOT NULL,
  peer_id TEXT,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  uid TEXT NOT NULL,
  type TEXT NOT NULL,
  last_updated INTEGER NOT NULL,
  object TEXT NOT NULL,
  allowed_countries TEXT,
  account_status TEXT,
  revision INTEGER NOT NULL DEFAULT 0
);
INSERT INTO tokens_by_key (key, peer_id, country_code, party_id, uid, type, last_updated, object, allowed_countries, account_status, revision)
  SELECT key, peer_id, country_code, party_id, uid, type, last_updated, object, allowed_countries, account_status, revision FROM (
    SELECT *, row_number() OVER (PARTITION BY key ORDER BY source = 'own' DESC, last_updated DESC, peer_id) AS rank FROM tokens
  ) WHERE rank = 1;
DROP TABLE tokens;
ALTER TABLE tokens_by_key RENAME TO tokens;
CREATE INDEX tokens_by_uid ON tokens (uid, type);
CREATE INDEX tokens_by_party_last_updated ON tokens (country_code, party_id, last_updated, key, type);
CREATE INDEX tokens_by_peer_last_updated ON tokens (peer_id, last_updated, key);

CREATE TABLE sessions_by_key (
  key TEXT PRIMARY KEY NOT NULL,
  peer_id TEXT,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  token_country_code TEXT NOT NULL,
  token_party_id TEXT NOT NULL,
  token_uid TEXT NOT NULL,
  status TEXT NOT NULL,
  last_updated INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  object TEXT NOT NULL,
  charging_preferences TEXT,
  period_versions TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO sessions_by_key (key, peer_id, country_code, party_id, id, token_country_code, token_party_id, token_uid, status, last_updated, revision, object, charging_preferences, period_versions)
  SELECT key, peer_id, country_code, party_id, id, token_country_code, token_party_id, token_uid, status, last_updated, revision, object, charging_preferences, period_versions FROM (
    SELECT *, row_number() OVER (PARTITION BY key ORDER BY source = 'own' DESC, last_updated DESC, peer_id) AS rank FROM sessions
  ) WHERE rank = 1;
DROP TABLE sessions;
ALTER TABLE sessions_by_key RENAME TO sessions;
CREATE INDEX sessions_by_peer_last_updated ON sessions (peer_id, last_updated, key);
CREATE INDEX sessions_by_owner_last_updated ON sessions (country_code, party_id, last_updated, key);
CREATE INDEX sessions_by_token_party_last_updated ON sessions (token_country_code, token_party_id, last_updated, key);
CREATE INDEX sessions_by_token_uid ON sessions (token_uid, token_country_code, token_party_id);

CREATE TABLE cdrs_by_key (
  key TEXT PRIMARY KEY NOT NULL,
  peer_id TEXT,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  token_country_code TEXT NOT NULL,
  token_party_id TEXT NOT NULL,
  token_uid TEXT NOT NULL,
  session_id TEXT,
  last_updated INTEGER NOT NULL,
  object TEXT NOT NULL
);
INSERT INTO cdrs_by_key (key, peer_id, country_code, party_id, id, token_country_code, token_party_id, token_uid, session_id, last_updated, object)
  SELECT key, peer_id, country_code, party_id, id, token_country_code, token_party_id, token_uid, session_id, last_updated, object FROM (
    SELECT *, row_number() OVER (PARTITION BY key ORDER BY source = 'own' DESC, last_updated DESC, peer_id) AS rank FROM cdrs
  ) WHERE rank = 1;
DROP TABLE cdrs;
ALTER TABLE cdrs_by_key RENAME TO cdrs;
CREATE INDEX cdrs_by_peer_last_updated ON cdrs (peer_id, last_updated, key);
CREATE INDEX cdrs_by_owner_last_updated ON cdrs (country_code, party_id, last_updated, key);
CREATE INDEX cdrs_by_token_party_last_updated ON cdrs (token_country_code, token_party_id, last_updated, key);
CREATE INDEX cdrs_by_token_uid ON cdrs (token_uid, token_country_code, token_party_id);
