-- Per peer: how pushes it sends are read ('strict': refused whole at the first invalid field; 'tolerant': invalid
-- optional parts dropped). And what was dropped from each received object, replaced by its next write, shown only in
-- the management API. Mirrors src/db/schema/foundation.ts (peers.ingest) and src/db/schema/ingest-warnings.ts.
ALTER TABLE peers ADD COLUMN ingest TEXT NOT NULL DEFAULT 'strict';

CREATE TABLE ingest_warnings (
  module TEXT NOT NULL,
  object_key TEXT NOT NULL,
  peer_id TEXT NOT NULL,
  warnings TEXT NOT NULL,
  PRIMARY KEY (module, object_key)
);
