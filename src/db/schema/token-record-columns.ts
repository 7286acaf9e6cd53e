import { text, integer } from 'drizzle-orm/sqlite-core'

/**
 * The columns every table of charge records (sessions, CDRs) has: one record of one charge by a driver's token, owned
 * by a CPO party. `key` is CC*PID*ID upper-cased (all three are CiStrings); the token columns copy cdr_token,
 * upper-cased: who may see a record, and which records belong to a driver's token (GDPR), are decided by them.
 * A function, so each table gets its own column builders.
 */
export const tokenRecordColumns = () => ({
  key: text('key').primaryKey(),
  country_code: text('country_code').notNull(),
  party_id: text('party_id').notNull(),
  id: text('id').notNull(),
  /** Whose copy: null for records of hosted CPOs, else the peer that holds the CPO party and sent it. */
  peer_id: text('peer_id'),
  token_country_code: text('token_country_code').notNull(),
  token_party_id: text('token_party_id').notNull(),
  token_uid: text('token_uid').notNull(),
  last_updated: integer('last_updated').notNull(),
})
