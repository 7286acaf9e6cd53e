import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import type { InvoiceReconciliationRecord } from '../../ocpi/objects/invoice-reconciliation'

/**
 * Invoice Reconciliation Records (mod_invoice_reconciliation), mirroring migrations/0280_invoice_reconciliation.sql and
 * 0300_bookings_invoices_one_row_per_key.sql. One row per record (docs/architecture.md, "Whose copy an object is"):
 * `peer_id` null for a record of a hosted party, else the peer that holds the owner party and sent it.
 * `counterparty_*` is the party the record is for: the one an own record is sent to, the hosted party a received one
 * was addressed to (null when the peer named none).
 */
export const invoiceReconciliationRecords = sqliteTable('invoice_reconciliation_records', {
  key: text('key').primaryKey(), // COUNTRY*PARTY*ID upper-cased: CiStrings compare case-insensitively
  peer_id: text('peer_id'),
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  id: text('id').notNull(),
  counterparty_country_code: text('counterparty_country_code'),
  counterparty_party_id: text('counterparty_party_id'),
  /** DIRECT: the owner is the CPO of the listed CDRs; REVERSE: the owner is the MSP of their tokens. */
  billing: text('billing', { enum: ['DIRECT', 'REVERSE'] }).notNull(),
  last_updated: integer('last_updated').notNull(), // epoch ms
  object: text('object', { mode: 'json' }).$type<InvoiceReconciliationRecord>().notNull(),
}, (table) => [
  index('invoice_records_by_peer_last_updated').on(table.peer_id, table.last_updated, table.key), // date-paged lists
  index('invoice_records_by_counterparty').on(table.peer_id, table.counterparty_country_code, table.counterparty_party_id, table.last_updated, table.key), // what one peer may pull
])
