import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import type { Token } from '../../ocpi/objects/token'

/** Account states an eMSP can put a valid token in without invalidating it (answered by real-time authorize). */
export type AccountStatus = 'BLOCKED' | 'EXPIRED' | 'NO_CREDIT'

/**
 * Tokens of hosted eMSPs (own: `peer_id` null; pushed to and pulled by CPO peers) and the CPO-side cache of tokens
 * received from eMSP peers. `key` is CC*PID*TYPE*UID upper-cased: uid, country_code and party_id are CiStrings.
 */
export const tokens = sqliteTable('tokens', {
  key: text('key').primaryKey(),
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  /** Upper-cased Token.uid: a charge point reads the same RFID in either case. */
  uid: text('uid').notNull(),
  type: text('type').notNull(),
  /** Whose copy: null for own tokens, else the peer that holds the eMSP party and sent it. */
  peer_id: text('peer_id'),
  last_updated: integer('last_updated').notNull(),
  object: text('object', { mode: 'json' }).$type<Token>().notNull(),
  /** JSON array of ISO-3166 alpha-2 codes the token may charge in; null: anywhere. */
  allowed_countries: text('allowed_countries', { mode: 'json' }).$type<string[]>(),
  /** eMSP-side only (own tokens): why a valid token is refused by real-time authorize; null: in good standing. */
  account_status: text('account_status').$type<AccountStatus>(),
  /** Bumped on every write: an owner PATCH only lands on the revision it read, and its push carries the new one. */
  revision: integer('revision').notNull().default(0),
}, (table) => [
  index('tokens_by_uid').on(table.uid, table.type), // CPO authorize: a charge point only knows the uid
  // Date-paged lists per party; `type` last so the 2.2.1 filter (no EMAID) and X-Total-Count stay index-only.
  index('tokens_by_party_last_updated').on(table.country_code, table.party_id, table.last_updated, table.key, table.type),
  index('tokens_by_peer_last_updated').on(table.peer_id, table.last_updated, table.key), // received per peer (sync, migration)
])
