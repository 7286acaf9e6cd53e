import { and, count, eq, exists, getTableName, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { PartyRef } from '../ocpi/context'
import type { Page, PageQuery } from '../ocpi/paging'
import { toEpochMs } from '../ocpi/types'
import type { Database } from './client'
import { afterPosition, dateRange, pageOffset, pageOrder, runPage } from './paging'
import { peerRoles } from './schema'

// Sessions and CDRs are both records of one charge by one driver's token, owned by a CPO party: their tables share the
// columns below, and so the queries that page them and find them by token.

/** Whose copy a record is: a hosted CPO's (`peer_id` null) or received from the peer holding the CPO party. */
export type RecordSource = 'own' | 'received'

export interface TokenRecordColumns {
  key: SQLiteColumn
  country_code: SQLiteColumn
  party_id: SQLiteColumn
  peer_id: SQLiteColumn
  token_country_code: SQLiteColumn
  token_party_id: SQLiteColumn
  token_uid: SQLiteColumn
  last_updated: SQLiteColumn
  object: SQLiteColumn
}

/** Identifies a charge record: its CPO owner and id. */
export interface RecordRef { country_code: string; party_id: string; id: string }
/** Identifies a driver's token as a CdrToken does. */
export interface TokenRef { country_code: string; party_id: string; uid: string }

export interface RecordListFilter {
  source: RecordSource
  /** Only records of these CPO parties. */
  owners?: PartyRef[]
  /** Only records whose cdr_token belongs to one of these parties: what one eMSP may see. */
  tokenParties?: PartyRef[]
  /** Only records whose cdr_token belongs to a party this peer represents (its credentials roles, however many). */
  tokenPartyOfPeer?: string
  /** Only records received from this peer. */
  peerId?: string
  token_uid?: string
}

/** CiStrings compare case-insensitively: keys and token columns are stored upper-cased. */
export const recordKey = (ref: RecordRef) => [ref.country_code, ref.party_id, ref.id].map((part) => part.toUpperCase()).join('*')

/** A charge record as sessions and CDRs both are: its CPO owner and id, the driver's token and when it last changed. */
export interface TokenRecord extends RecordRef { cdr_token: TokenRef; last_updated: string }

/** The shared columns (tokenRecordColumns) of a record's row: key and token columns upper-cased. */
export function tokenRecordRow(source: RecordSource, record: TokenRecord, peerId: string | null) {
  return {
    key: recordKey(record),
    country_code: record.country_code.toUpperCase(),
    party_id: record.party_id.toUpperCase(),
    id: record.id,
    peer_id: source === 'own' ? null : peerId,
    token_country_code: record.cdr_token.country_code.toUpperCase(),
    token_party_id: record.cdr_token.party_id.toUpperCase(),
    token_uid: record.cdr_token.uid.toUpperCase(),
    last_updated: toEpochMs(record.last_updated),
  }
}

/** One row per key: `peer_id` says whose copy it is. */
export const ofSource = (columns: Pick<TokenRecordColumns, 'peer_id'>, source: RecordSource) => (source === 'own' ? isNull(columns.peer_id) : isNotNull(columns.peer_id))

export const sourceOf = (row: { peer_id: string | null }): RecordSource => (row.peer_id === null ? 'own' : 'received')

export const byRecordKey = (columns: TokenRecordColumns, source: RecordSource, ref: RecordRef) =>
  and(ofSource(columns, source), eq(columns.key, recordKey(ref)))

export function byToken(columns: TokenRecordColumns, token: TokenRef, source?: RecordSource): SQL | undefined {
  return and(
    eq(columns.token_uid, token.uid.toUpperCase()),
    eq(columns.token_country_code, token.country_code.toUpperCase()),
    eq(columns.token_party_id, token.party_id.toUpperCase()),
    source ? ofSource(columns, source) : undefined,
  )
}

/** Date-paged (last_updated, key) list of canonical objects; the page's `last` feeds the keyset cursor. */
/** `narrower`: a condition a store adds for a filter of its own (e.g. the sessions store's location visibility). */
export async function listRecords<T>(db: Database, table: SQLiteTable, columns: TokenRecordColumns, filter: RecordListFilter, page: PageQuery, narrower?: SQL): Promise<Page<T>> {
  if (filter.owners?.length === 0 || filter.tokenParties?.length === 0) return { objects: [], total: 0 }
  const paged = { last_updated: columns.last_updated, key: columns.key }
  const where = and(
    ofSource(columns, filter.source),
    filter.owners && anyParty(columns.country_code, columns.party_id, filter.owners),
    filter.tokenParties && anyParty(columns.token_country_code, columns.token_party_id, filter.tokenParties),
    filter.tokenPartyOfPeer !== undefined ? tokenPartyRepresentedBy(db, columns, filter.tokenPartyOfPeer) : undefined,
    filter.peerId !== undefined ? eq(columns.peer_id, filter.peerId) : undefined,
    filter.token_uid !== undefined ? eq(columns.token_uid, filter.token_uid.toUpperCase()) : undefined,
    narrower,
    dateRange(paged, page),
  )
  const { rows, total } = await runPage<{ object: unknown; last_updated: number; key: string }>(db, page, {
    rows: (at) => db
      .select({ object: columns.object, last_updated: columns.last_updated, key: columns.key })
      .from(table)
      .where(and(where, afterPosition(paged, at)))
      .orderBy(...pageOrder(paged))
      .limit(at.limit)
      .offset(pageOffset(at)) as never,
    count: db.select({ total: count() }).from(table).where(where),
    // The filter reads this table, and peer_roles when it asks which token parties a peer represents.
    scopes: filter.tokenPartyOfPeer !== undefined ? [getTableName(table), 'peer_roles'] : [getTableName(table)],
  })
  const last = rows.at(-1)
  return {
    objects: rows.map((row) => row.object as T),
    total,
    last: last ? { last_updated: last.last_updated as number, key: last.key as string } : undefined,
  }
}

/** A correlated lookup in peer_roles (indexed by peer): one bound parameter however many roles a hub peer has. */
function tokenPartyRepresentedBy(db: Database, columns: TokenRecordColumns, peerId: string): SQL {
  return exists(
    db.select({ one: sql`1` }).from(peerRoles).where(and(
      eq(peerRoles.peer_id, peerId),
      eq(peerRoles.country_code, columns.token_country_code),
      eq(peerRoles.party_id, columns.token_party_id),
    )),
  )
}

function anyParty(countryColumn: SQLiteColumn, partyColumn: SQLiteColumn, parties: PartyRef[]): SQL | undefined {
  return or(...parties.map((party) => and(eq(countryColumn, party.country_code.toUpperCase()), eq(partyColumn, party.party_id.toUpperCase()))))
}
