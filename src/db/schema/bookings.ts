import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { Booking, ReservationStatus } from '../../ocpi/objects/booking'

/**
 * Bookings (mod_bookings, 2.3.0 bookings release), mirroring migrations/0270_bookings.sql. `source` is `own` for the
 * bookings a hosted CPO holds (peer_id: the peer that requested it) and `received` for those a peer CPO holds for one of
 * our eMSPs (peer_id: that CPO). The columns beside `object` are what the slot check and the filters read.
 */
export const bookings = sqliteTable('bookings', {
  source: text('source').$type<'own' | 'received'>().notNull(),
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  id: text('id').notNull(),
  peer_id: text('peer_id').notNull(),
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
  primaryKey({ columns: [table.source, table.country_code, table.party_id, table.id] }),
  uniqueIndex('bookings_by_request').on(table.source, table.country_code, table.party_id, table.msp_country_code, table.msp_party_id, table.request_id),
  index('bookings_by_location').on(table.source, table.country_code, table.party_id, table.location_id, table.end_ms),
  index('bookings_by_page').on(table.source, table.last_updated, table.key),
])
