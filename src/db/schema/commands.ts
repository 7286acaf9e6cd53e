import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** What the management API lists of a command; its state and history live in the command's CommandTracker. */
export interface CommandSummary {
  id: string
  side: 'sent' | 'received'
  peer_id: string
  command: string
  state: string
  created_at: string
  last_updated: string
}

/** One row per command sent (eMSP side) or received (CPO side); `key` is the command id. */
export const commands = sqliteTable('commands', {
  key: text('key').primaryKey(),
  side: text('side').$type<'sent' | 'received'>().notNull(),
  peer_id: text('peer_id').notNull(),
  command: text('command').notNull(),
  state: text('state').notNull(),
  created_at: integer('created_at').notNull(),
  /** Epoch ms. */
  last_updated: integer('last_updated').notNull(),
  object: text('object', { mode: 'json' }).$type<CommandSummary>().notNull(),
}, (table) => [index('commands_by_last_updated').on(table.last_updated, table.key)])

/**
 * Reservations held at a hosted CPO's EVSEs (RESERVE_NOW). `key` is the CPO, the eMSP peer and its
 * reservation_id: "The CPO SHALL make sure the Reservation ID sent to the Charge Point is unique and is not used by
 * another Sender (eMSP)" (ReserveNow object).
 */
export const reservations = sqliteTable('reservations', {
  key: text('key').primaryKey(),
  cpo_country_code: text('cpo_country_code').notNull(),
  cpo_party_id: text('cpo_party_id').notNull(),
  location_id: text('location_id').notNull(),
  evse_uid: text('evse_uid').notNull(),
  token_uid: text('token_uid').notNull(),
  /** Epoch ms. */
  expires_at: integer('expires_at').notNull(),
}, (table) => [index('reservations_by_evse').on(table.cpo_country_code, table.cpo_party_id, table.location_id, table.evse_uid)])
