import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core'
import type { ChargingPreferences, Session } from '../../ocpi/objects/session'
import { tokenRecordColumns } from './token-record-columns'

/** Sessions of hosted CPOs (own, `peer_id` null; pushed to and pulled by the eMSP of the token) and sessions received from CPO peers. */
export const sessions = sqliteTable('sessions', {
  ...tokenRecordColumns(),
  status: text('status').notNull(),
  /** Bumped on every write: a read-modify-write (PATCH) only lands on the revision it read. */
  revision: integer('revision').notNull(),
  object: text('object', { mode: 'json' }).$type<Session>().notNull(),
  /** Per charging period start (epoch ms), the last_updated (epoch ms) of the write that set it: see sessions/merge.ts. */
  period_versions: text('period_versions', { mode: 'json' }).$type<Record<string, number>>().notNull(),
  /** Own sessions: the driver's latest Charging Preferences, set by the eMSP (Sender PUT charging_preferences). */
  charging_preferences: text('charging_preferences', { mode: 'json' }).$type<ChargingPreferences>(),
}, (table) => [
  index('sessions_by_peer_last_updated').on(table.peer_id, table.last_updated, table.key), // date-paged lists: own, or one peer's
  index('sessions_by_owner_last_updated').on(table.country_code, table.party_id, table.last_updated, table.key), // per CPO party (OCPI-to, admin)
  index('sessions_by_token_party_last_updated').on(table.token_country_code, table.token_party_id, table.last_updated, table.key), // what one eMSP may pull
  index('sessions_by_status_last_updated').on(table.status, table.last_updated), // live sessions, newest first (admin)
  index('sessions_by_token_uid').on(table.token_uid, table.token_country_code, table.token_party_id), // one driver's token (GDPR, migration)
])
