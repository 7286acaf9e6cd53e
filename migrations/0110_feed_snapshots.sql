-- x-feeds: snapshot manifests of the feeds built into R2. Mirrors src/db/schema/feeds.ts.
CREATE TABLE feed_snapshots (
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  version TEXT NOT NULL,
  module TEXT NOT NULL,
  built_at INTEGER NOT NULL,
  audience TEXT NOT NULL,
  r2_key TEXT NOT NULL,
  object_count INTEGER NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  last_updated INTEGER,
  fingerprint TEXT NOT NULL,
  PRIMARY KEY (country_code, party_id, version, module, built_at)
);
CREATE INDEX feed_snapshots_by_version ON feed_snapshots (version, built_at);
