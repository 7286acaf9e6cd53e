import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core'

/**
 * x-feeds (docs/extensions/x-feeds.md): one row per feed snapshot built into R2 (env.BUNDLES), the manifest a peer
 * lists. A feed is one hosted CPO party's locations or tariffs in one OCPI version, as one audience (`audience`) sees them.
 */
export const feedSnapshots = sqliteTable('feed_snapshots', {
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  version: text('version').notNull(),
  module: text('module').$type<'locations' | 'tariffs'>().notNull(),
  /** Epoch ms; also the last part of the R2 key. */
  built_at: integer('built_at').notNull(),
  /** The view of the data the snapshot holds; only peers whose own view is exactly this one are served it. */
  audience: text('audience').notNull(),
  r2_key: text('r2_key').notNull(),
  object_count: integer('object_count').notNull(),
  /** Bytes of the gzip body as stored and served. */
  size: integer('size').notNull(),
  /** Hex SHA-256 of the NDJSON (the decoded body). */
  sha256: text('sha256').notNull(),
  /** Epoch ms: the highest last_updated in the snapshot, where a consumer's date_from delta pull starts; null when empty. */
  last_updated: integer('last_updated'),
  /** What the snapshot was built from; an unchanged fingerprint skips the next build. */
  fingerprint: text('fingerprint').notNull(),
}, (table) => [
  primaryKey({ columns: [table.country_code, table.party_id, table.version, table.module, table.built_at] }),
  index('feed_snapshots_by_version').on(table.version, table.built_at),
])
