import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'

/**
 * x-gdpr, data-holder side: right-of-access exports kept in R2 (env.BUNDLES, `exports/gdpr/...`) until they expire.
 * Indexed by the token's keyed pseudonym, never by its uid, so the index itself holds nothing personal.
 */
export const gdprExports = sqliteTable('gdpr_exports', {
  id: text('id').primaryKey(),
  /** The peer that asked for the export: the only one that may download it. */
  peer_id: text('peer_id').notNull(),
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  pseudonym: text('pseudonym').notNull(),
  r2_key: text('r2_key').notNull(),
  created_at: integer('created_at').notNull(),
  expires_at: integer('expires_at').notNull(),
}, (table) => [
  index('gdpr_exports_by_pseudonym').on(table.pseudonym),
  index('gdpr_exports_by_expires_at').on(table.expires_at),
])

export type GdprRequestKind = 'ACCESS' | 'FORGET'
export type GdprRequestStatus = 'PENDING' | 'COMPLETED' | 'REJECTED' | 'FAILED'

/** x-gdpr, requesting (eMSP) side: one row per request an operator sent to a peer, with the peer's answer. */
export const gdprRequests = sqliteTable('gdpr_requests', {
  id: text('id').primaryKey(),
  peer_id: text('peer_id').notNull(),
  kind: text('kind').$type<GdprRequestKind>().notNull(),
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  uid: text('uid').notNull(),
  token_type: text('token_type'),
  status: text('status').$type<GdprRequestStatus>().notNull(),
  /** OCPI status_code of the peer's answer. */
  status_code: integer('status_code'),
  status_message: text('status_message'),
  result: text('result', { mode: 'json' }).$type<unknown>(),
  created_at: integer('created_at').notNull(),
  completed_at: integer('completed_at'),
}, (table) => [index('gdpr_requests_by_peer_id').on(table.peer_id, table.created_at)])
