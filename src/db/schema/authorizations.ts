import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'

export type AuthorizationSide = 'CPO' | 'EMSP'

/**
 * Every authorization decision this platform took (B3.1): on the CPO side the charge point's question answered by
 * whitelist, real-time or offline fallback; on the eMSP side a CPO peer's real-time authorize answered. An audit trail
 * that x-gdpr exports (right of access) and pseudonymizes (right to be forgotten) with the token's other records.
 * Token columns are upper-cased (CiStrings), like the token columns of sessions and CDRs.
 */
export const authorizations = sqliteTable('authorizations', {
  id: text('id').primaryKey(),
  /** Epoch ms of the decision. */
  at: integer('at').notNull(),
  side: text('side').$type<AuthorizationSide>().notNull(),
  /** The hosted party that decided: the CPO asking, or the eMSP answering. */
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  token_country_code: text('token_country_code'),
  token_party_id: text('token_party_id'),
  token_uid: text('token_uid').notNull(),
  token_type: text('token_type').notNull(),
  location_id: text('location_id'),
  evse_uids: text('evse_uids', { mode: 'json' }).$type<string[]>(),
  allowed: integer('allowed', { mode: 'boolean' }).notNull(),
  /** AllowedType, or why the CPO side decided without one (UNKNOWN_TOKEN, EMSP_UNREACHABLE...). */
  reason: text('reason').notNull(),
  /** whitelist, realtime or offline-fallback. */
  source: text('source').notNull(),
  authorization_reference: text('authorization_reference'),
  /** CPO side: the eMSP peer asked in real time (null when none was); eMSP side: the CPO peer that asked. */
  peer_id: text('peer_id'),
}, (table) => [
  index('authorizations_by_at').on(table.at, table.id), // date-paged admin list
  index('authorizations_by_party_at').on(table.country_code, table.party_id, table.at, table.id), // ?party=
  index('authorizations_by_token_uid').on(table.token_uid, table.token_country_code, table.token_party_id, table.at), // ?token_uid=, GDPR
])
