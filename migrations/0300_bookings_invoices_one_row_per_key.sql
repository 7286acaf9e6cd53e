-- Bookings and Invoice Reconciliation Records follow the one model of every object table (docs/architecture.md,
-- "Whose copy an object is"): one row per key, `peer_id` null for an object of a hosted party, else the peer that holds
-- the party and sent it. bookings had `source` own/received beside `peer_id` (of an own booking: the peer that
-- requested it, kept as `requested_by_peer_id`); invoice_reconciliation_records had `holder` 'own' or a peer id.
--
-- Where a key has more than one row today, the row kept is the hosted party's, else the newest (last_updated), else
-- the one of the lowest peer id, as in 0250_one_row_per_key.sql.
-- Mirrors src/db/schema/bookings.ts and src/db/schema/invoices.ts.

CREATE TABLE bookings_by_key (
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  peer_id TEXT,
  requested_by_peer_id TEXT,
  msp_country_code TEXT NOT NULL,
  msp_party_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  evse_uid TEXT,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  reservation_status TEXT NOT NULL,
  object TEXT NOT NULL,
  last_updated INTEGER NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (country_code, party_id, id)
);
-- A booking is also one per request (CPO, eMSP party, request_id): ranked the same way a second time.
INSERT INTO bookings_by_key (country_code, party_id, id, peer_id, requested_by_peer_id, msp_country_code, msp_party_id, request_id,
    location_id, evse_uid, start_ms, end_ms, reservation_status, object, last_updated, key)
  SELECT country_code, party_id, id, peer_id, requested_by_peer_id, msp_country_code, msp_party_id, request_id,
      location_id, evse_uid, start_ms, end_ms, reservation_status, object, last_updated, key FROM (
    SELECT *, row_number() OVER (PARTITION BY country_code, party_id, msp_country_code, msp_party_id, request_id
        ORDER BY peer_id IS NULL DESC, last_updated DESC, peer_id) AS request_rank FROM (
      SELECT country_code, party_id, id,
        CASE WHEN source = 'own' THEN NULL ELSE peer_id END AS peer_id,
        CASE WHEN source = 'own' THEN peer_id END AS requested_by_peer_id,
        msp_country_code, msp_party_id, request_id, location_id, evse_uid, start_ms, end_ms, reservation_status, object, last_updated, key,
        row_number() OVER (PARTITION BY country_code, party_id, id ORDER BY source = 'own' DESC, last_updated DESC, peer_id) AS key_rank
      FROM bookings
    ) WHERE key_rank = 1
  ) WHERE request_rank = 1;
DROP TABLE bookings;
ALTER TABLE bookings_by_key RENAME TO bookings;
CREATE UNIQUE INDEX bookings_by_request ON bookings (country_code, party_id, msp_country_code, msp_party_id, request_id);
CREATE INDEX bookings_by_location ON bookings (country_code, party_id, location_id, end_ms);
CREATE INDEX bookings_by_page ON bookings (peer_id, last_updated, key);

CREATE TABLE invoice_records_by_key (
  key TEXT PRIMARY KEY NOT NULL,
  peer_id TEXT,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  counterparty_country_code TEXT,
  counterparty_party_id TEXT,
  billing TEXT NOT NULL,
  last_updated INTEGER NOT NULL,
  object TEXT NOT NULL
);
INSERT INTO invoice_records_by_key (key, peer_id, country_code, party_id, id, counterparty_country_code, counterparty_party_id, billing, last_updated, object)
  SELECT key, peer_id, country_code, party_id, id, counterparty_country_code, counterparty_party_id, billing, last_updated, object FROM (
    SELECT key, CASE WHEN holder = 'own' THEN NULL ELSE holder END AS peer_id, country_code, party_id, id,
      counterparty_country_code, counterparty_party_id, billing, last_updated, object,
      row_number() OVER (PARTITION BY key ORDER BY holder = 'own' DESC, last_updated DESC, holder) AS rank
    FROM invoice_reconciliation_records
  ) WHERE rank = 1;
DROP TABLE invoice_reconciliation_records;
ALTER TABLE invoice_records_by_key RENAME TO invoice_reconciliation_records;
CREATE INDEX invoice_records_by_peer_last_updated ON invoice_reconciliation_records (peer_id, last_updated, key);
CREATE INDEX invoice_records_by_counterparty ON invoice_reconciliation_records (peer_id, counterparty_country_code, counterparty_party_id, last_updated, key);
