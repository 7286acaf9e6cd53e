import { sqliteTable, text, index } from 'drizzle-orm/sqlite-core'
import type { CDR } from '../../ocpi/objects/cdr'
import { tokenRecordColumns } from './token-record-columns'

/**
 * CDRs of hosted CPOs (own, `peer_id` null) and CDRs received from CPO peers on the eMSP side. Immutable once stored
 * (mod_cdrs: "it cannot be changed or replaced once sent"); only GDPR pseudonymization rewrites the token's personal parts.
 */
export const cdrs = sqliteTable('cdrs', {
  ...tokenRecordColumns(),
  session_id: text('session_id'),
  object: text('object', { mode: 'json' }).$type<CDR>().notNull(),
}, (table) => [
  index('cdrs_by_peer_last_updated').on(table.peer_id, table.last_updated, table.key), // date-paged lists: own, or one peer's
  index('cdrs_by_owner_last_updated').on(table.country_code, table.party_id, table.last_updated, table.key), // per CPO party
  index('cdrs_by_token_party_last_updated').on(table.token_country_code, table.token_party_id, table.last_updated, table.key), // what one eMSP may pull
  index('cdrs_by_token_uid').on(table.token_uid, table.token_country_code, table.token_party_id), // one driver's token (GDPR, migration)
])
