-- Commands (docs/commands.md): one summary row per command, sent as eMSP or received as CPO; the CommandTracker Durable
-- Object of the command holds its state and history. Reservations a hosted CPO's charge points hold. Mirrors
-- src/db/schema/commands.ts.
CREATE TABLE commands (
  key TEXT NOT NULL PRIMARY KEY,
  side TEXT NOT NULL,
  peer_id TEXT NOT NULL,
  command TEXT NOT NULL,
  state TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_updated INTEGER NOT NULL,
  object TEXT NOT NULL
);
CREATE INDEX commands_by_last_updated ON commands (last_updated, key);

CREATE TABLE reservations (
  key TEXT NOT NULL PRIMARY KEY,
  cpo_country_code TEXT NOT NULL,
  cpo_party_id TEXT NOT NULL,
  location_id TEXT NOT NULL,
  evse_uid TEXT NOT NULL,
  token_uid TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX reservations_by_evse ON reservations (cpo_country_code, cpo_party_id, location_id, evse_uid);
