import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import type { BookingLocation } from '../../ocpi/objects/booking'

/**
 * BookingLocations peer CPOs push to our eMSPs (mod_bookings), mirroring migrations/0335_booking_locations.sql: one row
 * per key, `peer_id` the peer CPO that sent it; the Calendars live inside `object`.
 */
export const bookingLocations = sqliteTable('booking_locations', {
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  id: text('id').notNull(),
  peer_id: text('peer_id'),
  object: text('object', { mode: 'json' }).$type<BookingLocation>().notNull(),
  last_updated: integer('last_updated').notNull(),
  key: text('key').notNull(),
}, (table) => [
  primaryKey({ columns: [table.country_code, table.party_id, table.id] }),
  index('booking_locations_by_page').on(table.peer_id, table.last_updated, table.key),
])
