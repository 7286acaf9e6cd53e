import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core'
import type { SharingPolicy } from '../../ocpi/objects/sharing-policy'

/** Data-sharing policy of a hosted party (B1.5): which peers and roles see which of its locations. */
export const sharingPolicies = sqliteTable('sharing_policies', {
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  policy: text('policy', { mode: 'json' }).$type<SharingPolicy>().notNull(),
  /** Incremented on every change: part of any cache key for what a peer may see. */
  version: integer('version').notNull(),
  updated_at: integer('updated_at').notNull(),
}, (table) => [primaryKey({ columns: [table.country_code, table.party_id] })])
