-- Data-sharing policies of hosted parties (B1.5). Mirrors src/db/schema/policies.ts.
CREATE TABLE sharing_policies (
  country_code TEXT NOT NULL,
  party_id TEXT NOT NULL,
  policy TEXT NOT NULL,
  version INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (country_code, party_id)
);
