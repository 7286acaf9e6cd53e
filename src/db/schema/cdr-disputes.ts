import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core'
import type { CdrDispute } from '../../ocpi/objects/cdr-dispute'

/**
 * Disputes of CDRs (x-cdr-disputes), mirroring 0281_cdr_disputes.sql and 0301_cdr_disputes_one_row_per_key.sql. One row
 * per CDR (docs/architecture.md, "Whose copy an object is"): `peer_id` null for a dispute raised by a hosted MSP, else
 * the MSP peer that sent it. A later write replaces the earlier.
 */
export const cdrDisputes = sqliteTable('cdr_disputes', {
  key: text('key').primaryKey(), // the CDR's COUNTRY*PARTY*ID upper-cased
  peer_id: text('peer_id'),
  last_updated: integer('last_updated').notNull(), // epoch ms
  object: text('object', { mode: 'json' }).$type<CdrDispute>().notNull(),
})
