-- Locations, own and received, one canonical JSON per location plus its per-version serializations. Mirrors src/db/schema/locations.ts.
CREATE TABLE locations (
  source TEXT NOT NULL,
  key TEXT NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  publish INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  object TEXT NOT NULL,
  json_230 TEXT NOT NULL,
  json_221 TEXT NOT NULL,
  PRIMARY KEY (source, key)
);
CREATE INDEX locations_by_source_last_updated ON locations (source, last_updated, key, country_code, party_id, publish);
CREATE INDEX locations_by_source_party ON locations (source, country_code, party_id, last_updated, key);

