import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core'
import type { Role } from '../../ocpi/types'

/**
 * Own ClientInfo rows (hub_client_info, peer_id null) whose status changed and that a hosted HUB has not pushed yet
 * (mod_hub_client_info, "Push model"). Filled by SQLite triggers on hub_client_info
 * (migrations/0100_client_info_changes.sql), so every place that changes a connection status is covered; drained by
 * src/modules/hubclientinfo/push.ts. `version` grows with every change: a drain removes only the version it pushed.
 */
export const clientInfoChanges = sqliteTable('client_info_changes', {
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  role: text('role').$type<Role>().notNull(),
  version: integer('version').notNull(),
}, (table) => [primaryKey({ columns: [table.country_code, table.party_id, table.role] })])
