import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { Booking, ReservationStatus } from '../../ocpi/objects/booking'

/**
 * Bookings (mod_bookings, 2.3.0 bookings release), mirroring migrations/0270_bookings.sql and
 * 0300_bookings_invoices_one_row_per_key.sql. One row per booking (docs/architecture.md, "Whose copy an object is"):
 * `peer_id` null for a booking a hosted CPO holds, else the peer CPO that holds it for one of our eMSPs.
 * `requested_by_peer_id` is the peer whose eMSP requested an own booking. The columns beside `object` are what the slot
 * check and the filters read.
 */
export const bookings = sqliteTable('bookings', {
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  id: text('id').notNull(),
  peer_id: text('peer_id'),
  requested_by_peer_id: text('requested_by_peer_id'),
  msp_country_code: text('msp_country_code').notNull(),
  msp_party_id: text('msp_party_id').notNull(),
  request_id: text('request_id').notNull(),
  location_id: text('location_id').notNull(),
  evse_uid: text('evse_uid'),
  start_ms: integer('start_ms').notNull(),
  end_ms: integer('end_ms').notNull(),
  reservation_status: text('reservation_status').$type<ReservationStatus>().notNull(),
  object: text('object', { mode: 'json' }).$type<Booking>().notNull(),
  last_updated: integer('last_updated').notNull(),
  key: text('key').notNull(),
}, (table) => [
  primaryKey({ columns: [table.country_code, table.party_id, table.id] }),
  uniqueIndex('bookings_by_request').on(table.country_code, table.party_id, table.msp_country_code, table.msp_party_id, table.request_id),
  index('bookings_by_location').on(table.country_code, table.party_id, table.location_id, table.end_ms),
  index('bookings_by_page').on(table.peer_id, table.last_updated, table.key),
  index('bookings_reserved_by_start').on(table.reservation_status, table.start_ms), // NO_SHOW: RESERVED bookings past their start
])
