-- Tokens: a revision per row, bumped by every write, so that an owner PATCH is compare-and-swap and its push is bound
-- to the version it committed (docs/push.md, "Versions"). Mirrors src/db/schema/tokens.ts.
ALTER TABLE tokens ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
