-- Custom modules (x-...) agreed with each peer (version_information_endpoint, "Custom Modules"). Mirrors peers.extensions in src/db/schema/foundation.ts.
ALTER TABLE peers ADD COLUMN extensions TEXT NOT NULL DEFAULT '[]';
