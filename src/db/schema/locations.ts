import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core'
import type { Location } from '../../ocpi/objects/location'

/** `source` of locations owned by hosted parties; received locations carry the id of the peer that sent them. */
export const OWN_SOURCE = 'own'

/**
 * One row per Location, EVSEs and Connectors inside its canonical (2.3.0) JSON. `key` is `CC*PID*ID` upper-cased
 * (CiString ids are case-insensitive) and is the unique tie-breaker of keyset paging within a source. The same key may
 * exist once per source: a location a hub and the CPO itself both push is kept as each of them sent it.
 */
export const locations = sqliteTable('locations', {
  source: text('source').notNull(),
  key: text('key').notNull(),
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
  primaryKey({ columns: [table.source, table.key] }),
  // Date-paged lists per source, covering the columns the sharing policy filters on.
  index('locations_by_source_last_updated').on(table.source, table.last_updated, table.key, table.country_code, table.party_id, table.publish),
  // One party's locations (policy changes, admin lists, charge point migration).
  index('locations_by_source_party').on(table.source, table.country_code, table.party_id, table.last_updated, table.key),
])

/**
 * A counter bumped by every write of own locations: part of the key of cached list pages, so a write makes every
 * earlier page unreachable at once (DESIGN "Hot pages": versioned keys, never merely expired).
 */
export const locationDataVersions = sqliteTable('location_data_versions', {
  scope: text('scope').primaryKey(),
  version: integer('version').notNull(),
})
