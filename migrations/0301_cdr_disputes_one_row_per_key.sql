-- CDR disputes follow the one data model for whose copy an object is (docs/architecture.md, "Whose copy an object
-- is"): one row per CDR key, `peer_id` null for a dispute raised by a hosted MSP, else the MSP peer that sent it.
-- cdr_disputes had `holder` 'own' or a peer id. Where a key has more than one row today, the row kept is the hosted
-- party's, else the newest, else the one of the lowest peer id, as in 0250_one_row_per_key.sql.
-- Mirrors src/db/schema/cdr-disputes.ts.

CREATE TABLE cdr_disputes_by_key (
  key TEXT PRIMARY KEY NOT NULL,
  peer_id TEXT,
  last_updated INTEGER NOT NULL,
  object TEXT NOT NULL
);
INSERT INTO cdr_disputes_by_key (key, peer_id, last_updated, object)
  SELECT key, peer_id, last_updated, object FROM (
    SELECT key, CASE holder WHEN 'own' THEN NULL ELSE holder END AS peer_id, last_updated, object,
      ROW_NUMBER() OVER (PARTITION BY key ORDER BY holder = 'own' DESC, last_updated DESC, holder) AS rank
    FROM cdr_disputes
  ) WHERE rank = 1;
DROP TABLE cdr_disputes;
ALTER TABLE cdr_disputes_by_key RENAME TO cdr_disputes;
