-- Bookings module of the 2.3.0 bookings release. Mirrors src/db/schema/bookings.ts.
-- source 'own': a booking a hosted CPO holds, peer_id the peer that requested it; source 'received': a booking a peer
-- CPO holds for one of our eMSPs, peer_id that CPO's peer.
CREATE TABLE bookings (
  source TEXT NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  peer_id TEXT NOT NULL,
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
  PRIMARY KEY (source, country_code, party_id, id)
);
CREATE UNIQUE INDEX bookings_by_request ON bookings (source, country_code, party_id, msp_country_code, msp_party_id, request_id);
CREATE INDEX bookings_by_location ON bookings (source, country_code, party_id, location_id, end_ms);
CREATE INDEX bookings_by_page ON bookings (source, last_updated, key);
