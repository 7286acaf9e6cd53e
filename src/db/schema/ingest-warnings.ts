import { primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import type { IngestWarning } from '../../ocpi/ingest'

/**
 * What tolerant reading dropped from a received or pulled object (src/ocpi/ingest.ts), one row per object that has
 * any: `object_key` is the module's key of the object (ingestKey). Replaced by the object's next write, removed by a
 * clean one; never sent to a peer.
 */
export const ingestWarnings = sqliteTable('ingest_warnings', {
  module: text('module').notNull(),
  object_key: text('object_key').notNull(),
  /** The peer whose copy carried the dropped parts. */
  peer_id: text('peer_id').notNull(),
  warnings: text('warnings', { mode: 'json' }).$type<IngestWarning[]>().notNull(),
}, (table) => [primaryKey({ columns: [table.module, table.object_key] })])
