-- Which own locations reference which tariffs (Connector.tariff_ids), for tariff visibility. Mirrors locationTariffRefs
-- in src/db/schema/tariffs.ts. The triggers derive the rows from the stored location row, on every write path. They
-- delete before they insert and insert DISTINCT rows, never INSERT OR IGNORE: the triggering upsert's conflict handling
-- would override it (SQLite, "ON CONFLICT clause").
CREATE TABLE location_tariff_refs (
  tariff_key TEXT NOT NULL,
  location_key TEXT NOT NULL,
  PRIMARY KEY (tariff_key, location_key)
) WITHOUT ROWID;
CREATE INDEX location_tariff_refs_by_location ON location_tariff_refs (location_key);

CREATE TRIGGER location_tariff_refs_on_insert AFTER INSERT ON locations WHEN NEW.source = 'own'
BEGIN
  DELETE FROM location_tariff_refs WHERE location_key = NEW.key;
  INSERT INTO location_tariff_refs (tariff_key, location_key)
    SELECT DISTINCT NEW.country_code || '*' || NEW.party_id || '*' || upper(tariff.value), NEW.key
    FROM json_each(NEW.object, '$.evses') AS evse, json_each(evse.value, '$.connectors') AS connector, json_each(connector.value, '$.tariff_ids') AS tariff;
END;

CREATE TRIGGER location_tariff_refs_on_update AFTER UPDATE OF object ON locations WHEN NEW.source = 'own'
BEGIN
  DELETE FROM location_tariff_refs WHERE location_key = OLD.key;
  INSERT INTO location_tariff_refs (tariff_key, location_key)
    SELECT DISTINCT NEW.country_code || '*' || NEW.party_id || '*' || upper(tariff.value), NEW.key
    FROM json_each(NEW.object, '$.evses') AS evse, json_each(evse.value, '$.connectors') AS connector, json_each(connector.value, '$.tariff_ids') AS tariff;
END;

CREATE TRIGGER location_tariff_refs_on_delete AFTER DELETE ON locations WHEN OLD.source = 'own'
BEGIN
  DELETE FROM location_tariff_refs WHERE location_key = OLD.key;
END;

INSERT INTO location_tariff_refs (tariff_key, location_key)
  SELECT DISTINCT location.country_code || '*' || location.party_id || '*' || upper(tariff.value), location.key
  FROM locations AS location, json_each(location.object, '$.evses') AS evse, json_each(evse.value, '$.connectors') AS connector, json_each(connector.value, '$.tariff_ids') AS tariff
  WHERE location.source = 'own';
