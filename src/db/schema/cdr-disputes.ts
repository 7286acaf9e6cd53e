import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core'
import type { CdrDispute } from '../../ocpi/objects/cdr-dispute'

/**
 * Disputes of CDRs (x-cdr-disputes): those raised by hosted MSPs (`holder` 'own') and those received from MSP peers
 * (`holder` the peer's id). One per CDR and holder: a later write replaces the earlier.
 */
export const cdrDisputes = sqliteTable('cdr_disputes', {
  holder: text('holder').notNull(),
  key: text('key').notNull(), // the CDR's COUNTRY*PARTY*ID upper-cased
  last_updated: integer('last_updated').notNull(), // epoch ms
  object: text('object', { mode: 'json' }).$type<CdrDispute>().notNull(),
}, (table) => [primaryKey({ columns: [table.holder, table.key] })])
