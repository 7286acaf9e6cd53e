-- Bumped by every write of own locations: part of the key of cached list pages. Mirrors src/db/schema/locations.ts.
CREATE TABLE location_data_versions (
  scope TEXT PRIMARY KEY NOT NULL,
  version INTEGER NOT NULL
);
