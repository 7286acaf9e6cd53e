import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core'
import type { InvoiceReconciliationRecord } from '../../ocpi/objects/invoice-reconciliation'

/**
 * Invoice Reconciliation Records (mod_invoice_reconciliation): those of hosted parties (`holder` 'own') and those
 * received from peers (`holder` the peer's id), one row per holder so a peer only ever reads or replaces its own.
 * `counterparty_*` is the party the record is for: the one an own record is sent to, the hosted party a received one
 * was addressed to (null when the peer named none).
 */
export const invoiceReconciliationRecords = sqliteTable('invoice_reconciliation_records', {
  holder: text('holder').notNull(),
  key: text('key').notNull(), // COUNTRY*PARTY*ID upper-cased: CiStrings compare case-insensitively
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
  primaryKey({ columns: [table.holder, table.key] }), // GET/PUT/DELETE by id
  index('invoice_records_by_holder_last_updated').on(table.holder, table.last_updated, table.key), // date-paged lists
  index('invoice_records_by_counterparty').on(table.holder, table.counterparty_country_code, table.counterparty_party_id, table.last_updated, table.key), // what one peer may pull
])
