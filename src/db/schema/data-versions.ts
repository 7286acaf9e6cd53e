import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * One counter per paged table, bumped by triggers on every write to it (migrations/0320_data_versions.sql): what a
 * per-isolate memo of that table's rows (a cached page, a total, an offset's keyset position) is valid for.
 */
export const dataVersions = sqliteTable('data_versions', {
  scope: text('scope').primaryKey(),
  version: integer('version').notNull(),
})
