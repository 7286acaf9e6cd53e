-- BookingLocations (mod_bookings, 2.3.0 bookings release) peer CPOs push to our eMSPs, with their Calendars inside.
-- One row per key (docs/architecture.md, "Whose copy an object is"): `peer_id` is the peer CPO that sent it. A hosted
-- CPO's BookingLocations are derived from its locations and bookings, so none is stored with a null peer_id.
CREATE TABLE booking_locations (
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  peer_id TEXT,
  object TEXT NOT NULL,
  last_updated INTEGER NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (country_code, party_id, id)
);
-- Management list of received BookingLocations, per peer, date-paged.
CREATE INDEX booking_locations_by_page ON booking_locations (peer_id, last_updated, key);
