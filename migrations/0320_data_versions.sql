-- One data version per table a sender pages, bumped by triggers on every insert, update and delete, whatever code path
-- writes (receivers, management API, Durable Objects, jobs). Read once per isolate within the memo staleness
-- (src/db/data-versions.ts), it keys what may be remembered about a table's rows: cached pages, X-Total-Count per
-- filter, the keyset position an offset page starts at. Replaces location_data_versions, which only own location
-- writes bumped. Mirrors src/db/schema/data-versions.ts.
DROP TABLE location_data_versions;

CREATE TABLE data_versions (
  scope TEXT PRIMARY KEY NOT NULL,
  version INTEGER NOT NULL
) WITHOUT ROWID;

INSERT INTO data_versions (scope, version) VALUES
  ('locations', 1),
  ('tariffs', 1),
  ('driver_tariffs', 1),
  ('tokens', 1),
  ('sessions', 1),
  ('cdrs', 1),
  ('bookings', 1),
  ('invoice_reconciliation_records', 1),
  ('cdr_disputes', 1),
  ('hub_client_info', 1),
  ('peer_roles', 1),
  ('commands', 1);

CREATE TRIGGER data_version_locations_insert AFTER INSERT ON locations
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'locations';
END;

CREATE TRIGGER data_version_locations_update AFTER UPDATE ON locations
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'locations';
END;

CREATE TRIGGER data_version_locations_delete AFTER DELETE ON locations
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'locations';
END;

CREATE TRIGGER data_version_tariffs_insert AFTER INSERT ON tariffs
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'tariffs';
END;

CREATE TRIGGER data_version_tariffs_update AFTER UPDATE ON tariffs
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'tariffs';
END;

CREATE TRIGGER data_version_tariffs_delete AFTER DELETE ON tariffs
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'tariffs';
END;

CREATE TRIGGER data_version_driver_tariffs_insert AFTER INSERT ON driver_tariffs
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'driver_tariffs';
END;

CREATE TRIGGER data_version_driver_tariffs_update AFTER UPDATE ON driver_tariffs
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'driver_tariffs';
END;

CREATE TRIGGER data_version_driver_tariffs_delete AFTER DELETE ON driver_tariffs
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'driver_tariffs';
END;

CREATE TRIGGER data_version_tokens_insert AFTER INSERT ON tokens
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'tokens';
END;

CREATE TRIGGER data_version_tokens_update AFTER UPDATE ON tokens
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'tokens';
END;

CREATE TRIGGER data_version_tokens_delete AFTER DELETE ON tokens
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'tokens';
END;

CREATE TRIGGER data_version_sessions_insert AFTER INSERT ON sessions
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions';
END;

CREATE TRIGGER data_version_sessions_update AFTER UPDATE ON sessions
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions';
END;

CREATE TRIGGER data_version_sessions_delete AFTER DELETE ON sessions
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'sessions';
END;

CREATE TRIGGER data_version_cdrs_insert AFTER INSERT ON cdrs
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'cdrs';
END;

CREATE TRIGGER data_version_cdrs_update AFTER UPDATE ON cdrs
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'cdrs';
END;

CREATE TRIGGER data_version_cdrs_delete AFTER DELETE ON cdrs
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'cdrs';
END;

CREATE TRIGGER data_version_bookings_insert AFTER INSERT ON bookings
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'bookings';
END;

CREATE TRIGGER data_version_bookings_update AFTER UPDATE ON bookings
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'bookings';
END;

CREATE TRIGGER data_version_bookings_delete AFTER DELETE ON bookings
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'bookings';
END;

CREATE TRIGGER data_version_invoice_reconciliation_records_insert AFTER INSERT ON invoice_reconciliation_records
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'invoice_reconciliation_records';
END;

CREATE TRIGGER data_version_invoice_reconciliation_records_update AFTER UPDATE ON invoice_reconciliation_records
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'invoice_reconciliation_records';
END;

CREATE TRIGGER data_version_invoice_reconciliation_records_delete AFTER DELETE ON invoice_reconciliation_records
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'invoice_reconciliation_records';
END;

CREATE TRIGGER data_version_cdr_disputes_insert AFTER INSERT ON cdr_disputes
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'cdr_disputes';
END;

CREATE TRIGGER data_version_cdr_disputes_update AFTER UPDATE ON cdr_disputes
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'cdr_disputes';
END;

CREATE TRIGGER data_version_cdr_disputes_delete AFTER DELETE ON cdr_disputes
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'cdr_disputes';
END;

CREATE TRIGGER data_version_hub_client_info_insert AFTER INSERT ON hub_client_info
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'hub_client_info';
END;

CREATE TRIGGER data_version_hub_client_info_update AFTER UPDATE ON hub_client_info
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'hub_client_info';
END;

CREATE TRIGGER data_version_hub_client_info_delete AFTER DELETE ON hub_client_info
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'hub_client_info';
END;

CREATE TRIGGER data_version_peer_roles_insert AFTER INSERT ON peer_roles
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'peer_roles';
END;

CREATE TRIGGER data_version_peer_roles_update AFTER UPDATE ON peer_roles
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'peer_roles';
END;

CREATE TRIGGER data_version_peer_roles_delete AFTER DELETE ON peer_roles
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'peer_roles';
END;

CREATE TRIGGER data_version_commands_insert AFTER INSERT ON commands
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'commands';
END;

CREATE TRIGGER data_version_commands_update AFTER UPDATE ON commands
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'commands';
END;

CREATE TRIGGER data_version_commands_delete AFTER DELETE ON commands
BEGIN
  UPDATE data_versions SET version = version + 1 WHERE scope = 'commands';
END;
