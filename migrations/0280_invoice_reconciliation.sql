-- Invoice Reconciliation Records (mod_invoice_reconciliation, 2.3.0). Mirrors src/db/schema/invoices.ts.
CREATE TABLE invoice_reconciliation_records (
  holder TEXT NOT NULL,
  key TEXT NOT NULL,
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  id TEXT NOT NULL,
  counterparty_country_code TEXT,
  counterparty_party_id TEXT,
  billing TEXT NOT NULL,
  last_updated INTEGER NOT NULL,
  object TEXT NOT NULL,
  PRIMARY KEY (holder, key)
);
CREATE INDEX invoice_records_by_holder_last_updated ON invoice_reconciliation_records (holder, last_updated, key);
CREATE INDEX invoice_records_by_counterparty ON invoice_reconciliation_records (holder, counterparty_country_code, counterparty_party_id, last_updated, key);
