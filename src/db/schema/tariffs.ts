import { sqliteTable, text, integer, index, primaryKey } from 'drizzle-orm/sqlite-core'
import type { Tariff } from '../../ocpi/objects/tariff'
import type { DriverTariff } from '../../ocpi/objects/driver-tariff'

/**
 * Tariffs owned by hosted CPO parties (peer_id null) and received from peers. `key` is `CC*PID*ID` upper-cased
 * (CiString ids are case-insensitive) and is the unique tie-breaker of keyset paging.
 */
export const tariffs = sqliteTable('tariffs', {
  key: text('key').primaryKey(),
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  id: text('id').notNull(),
  peer_id: text('peer_id'),
  /** Multi-currency extension: the base tariff id shared by all currency variants; null when not part of a group. */
  tariff_group_id: text('tariff_group_id'),
  /** False for currency codes outside ISO 4217 (e.g. BTC, USDC): served only to peers that opted in. */
  iso_currency: integer('iso_currency', { mode: 'boolean' }).notNull(),
  last_updated: integer('last_updated').notNull(),
  object: text('object', { mode: 'json' }).$type<Tariff>().notNull(),
}, (table) => [
  index('tariffs_by_peer_last_updated').on(table.peer_id, table.last_updated, table.key),
  index('tariffs_by_peer_party_last_updated').on(table.peer_id, table.country_code, table.party_id, table.last_updated, table.key),
  index('tariffs_by_group').on(table.country_code, table.party_id, table.tariff_group_id),
])

/** Per-peer opt-in to tariffs in non-ISO 4217 currencies (docs/extensions/multi-currency-tariffs.md). */
export const tariffPeerSettings = sqliteTable('tariff_peer_settings', {
  peer_id: text('peer_id').primaryKey(),
  non_iso_currencies: integer('non_iso_currencies', { mode: 'boolean' }).notNull(),
  updated_at: integer('updated_at').notNull(),
})

/** x-driver-tariffs: owned by hosted eMSP parties (peer_id null) or received from eMSP peers. `key` is `CC*PID*TOKEN_UID`. */
export const driverTariffs = sqliteTable('driver_tariffs', {
  key: text('key').primaryKey(),
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  token_uid: text('token_uid').notNull(),
  peer_id: text('peer_id'),
  last_updated: integer('last_updated').notNull(),
  object: text('object', { mode: 'json' }).$type<DriverTariff>().notNull(),
}, (table) => [
  index('driver_tariffs_by_peer_last_updated').on(table.peer_id, table.last_updated, table.key),
  index('driver_tariffs_by_peer_party_last_updated').on(table.peer_id, table.country_code, table.party_id, table.last_updated, table.key),
])

/**
 * Which own locations reference which tariffs (Connector.tariff_ids): the index tariff visibility is decided by
 * (docs/tariffs.md, "Who sees which tariff"). Kept by SQLite triggers on `locations` (migrations/0100_location_tariff_refs.sql),
 * derived from the stored row itself, so every write path (owner writes, EVSE/Connector merges, policy touches,
 * migrations) keeps it exact and an older write that did not apply changes nothing. Keys are upper-cased like
 * tariffs.key and locations.key: a Connector references tariffs of its own Location's party.
 */
export const locationTariffRefs = sqliteTable('location_tariff_refs', {
  tariff_key: text('tariff_key').notNull(),
  location_key: text('location_key').notNull(),
}, (table) => [
  primaryKey({ columns: [table.tariff_key, table.location_key] }), // the locations of one tariff
  index('location_tariff_refs_by_location').on(table.location_key), // replaced on every write of one location
])
