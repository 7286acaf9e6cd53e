import { sqliteTable, text, integer, primaryKey, index } from 'drizzle-orm/sqlite-core'
import type { Role } from '../../ocpi/types'
import type { BusinessDetails } from '../../ocpi/objects/business-details'

export type PartyMigrationDirection = 'EXPORT' | 'IMPORT'
/**
 * EXPORT (old platform): OFFERED -> MIGRATED_OUT (or CANCELLED).
 * IMPORT (new platform): IMPORTING -> IMPORTED -> ANNOUNCED, or FAILED at any step (retryable).
 */
export type PartyMigrationStatus = 'OFFERED' | 'MIGRATED_OUT' | 'CANCELLED' | 'IMPORTING' | 'IMPORTED' | 'ANNOUNCED' | 'FAILED'

/** x-token-migration: one hand-over of a party between two platforms, as seen from either side. */
export const partyMigrations = sqliteTable('party_migrations', {
  id: text('id').primaryKey(),
  direction: text('direction').$type<PartyMigrationDirection>().notNull(),
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  role: text('role').$type<Role>().notNull(),
  /** EXPORT: the platform allowed to take the party over. IMPORT: the platform it is taken from. */
  peer_id: text('peer_id').notNull(),
  status: text('status').$type<PartyMigrationStatus>().notNull(),
  business_details: text('business_details', { mode: 'json' }).$type<BusinessDetails>(),
  tokens: integer('tokens').notNull().default(0),
  /** Progress and per-peer outcomes (credentials update, announcement), for the status endpoint. */
  detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
  last_error: text('last_error'),
  created_at: integer('created_at').notNull(),
  updated_at: integer('updated_at').notNull(),
}, (table) => [index('party_migrations_by_party').on(table.country_code, table.party_id, table.direction)])

/**
 * Receiving (CPO) side: the last announced move of a party to another platform. Kept so a late push from the old
 * platform is recognised, and so operators can see where a party's sessions and CDRs now go.
 */
export const partyMoves = sqliteTable('party_moves', {
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  role: text('role').$type<Role>().notNull(),
  from_peer_ids: text('from_peer_ids', { mode: 'json' }).$type<string[]>().notNull().default([]),
  to_peer_id: text('to_peer_id').notNull(),
  moved_at: integer('moved_at').notNull(),
  received_at: integer('received_at').notNull(),
}, (table) => [primaryKey({ columns: [table.country_code, table.party_id, table.role] })])
