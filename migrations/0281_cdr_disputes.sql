-- CDR disputes (x-cdr-disputes). Mirrors src/db/schema/cdr-disputes.ts.
CREATE TABLE cdr_disputes (
  holder TEXT NOT NULL,
  key TEXT NOT NULL,
  last_updated INTEGER NOT NULL,
  object TEXT NOT NULL,
  PRIMARY KEY (holder, key)
);
