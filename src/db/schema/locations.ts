import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import type { Location } from '../../ocpi/objects/location'

/**
 * One row per Location, EVSEs and Connectors inside its canonical (2.3.0) JSON. `key` is `CC*PID*ID` upper-cased
 * (CiString ids are case-insensitive) and is the unique tie-breaker of keyset paging. Whose copy it is: `peer_id`,
 * null for a location of a hosted party, else the peer that holds the party and sent it (one row per key, as in every
 * object table).
 */
export const locations = sqliteTable('locations', {
  key: text('key').primaryKey(),
  peer_id: text('peer_id'),
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  id: text('id').notNull(),
  /** Location.publish, as a column so policy filters run in the index. */
  publish: integer('publish', { mode: 'boolean' }).notNull(),
  /** Epoch ms of Location.last_updated. */
  last_updated: integer('last_updated').notNull(),
  /** Bumped by every write: EVSE/Connector writes compare-and-swap on it (D1 has no interactive transactions). */
  revision: integer('revision').notNull(),
  object: text('object', { mode: 'json' }).$type<Location>().notNull(),
  /** The object serialized per OCPI version, so list pages are served without converting or re-serializing. */
  json_230: text('json_230').notNull(),
  json_221: text('json_221').notNull(),
}, (table) => [
  // Date-paged lists of own locations or of one peer's, covering the columns the sharing policy filters on.
  index('locations_by_peer_last_updated').on(table.peer_id, table.last_updated, table.key, table.country_code, table.party_id, table.publish),
  // One party's locations (policy changes, admin lists, charge point migration).
  index('locations_by_peer_party').on(table.peer_id, table.country_code, table.party_id, table.last_updated, table.key),
])
