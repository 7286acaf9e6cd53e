-- Own ClientInfo status changes not yet pushed by a hosted HUB. Mirrors src/db/schema/client-info-changes.ts.
-- No INSERT OR REPLACE/IGNORE in the triggers: the triggering upsert's conflict handling would override it (SQLite,
-- "ON CONFLICT clause"), so each trigger bumps an existing row, then inserts one only where none exists.
CREATE TABLE client_info_changes (
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  role TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (country_code, party_id, role)
) WITHOUT ROWID;

CREATE TRIGGER client_info_changes_on_insert AFTER INSERT ON hub_client_info WHEN NEW.peer_id IS NULL
BEGIN
  UPDATE client_info_changes SET version = version + 1 WHERE country_code = NEW.country_code AND party_id = NEW.party_id AND role = NEW.role;
  INSERT INTO client_info_changes (country_code, party_id, role, version)
    SELECT NEW.country_code, NEW.party_id, NEW.role, 1
    WHERE NOT EXISTS (SELECT 1 FROM client_info_changes WHERE country_code = NEW.country_code AND party_id = NEW.party_id AND role = NEW.role);
END;

-- Our own writes refresh last_updated on every registration step: only a new status (or taking a row over from a
-- hub's view) is a change to push.
CREATE TRIGGER client_info_changes_on_update AFTER UPDATE ON hub_client_info
  WHEN NEW.peer_id IS NULL AND (OLD.status IS NOT NEW.status OR OLD.peer_id IS NOT NULL)
BEGIN
  UPDATE client_info_changes SET version = version + 1 WHERE country_code = NEW.country_code AND party_id = NEW.party_id AND role = NEW.role;
  INSERT INTO client_info_changes (country_code, party_id, role, version)
    SELECT NEW.country_code, NEW.party_id, NEW.role, 1
    WHERE NOT EXISTS (SELECT 1 FROM client_info_changes WHERE country_code = NEW.country_code AND party_id = NEW.party_id AND role = NEW.role);
END;
