import { and, count, eq, isNull, ne, or, sql, type SQL } from 'drizzle-orm'
import { runBatch } from '../db/batch'
import type { Database } from '../db/client'
import { afterPosition, dateRange, pageOffset, pageOrder, runPage } from '../db/paging'
import { clientInfoChanges, hubClientInfo, type ConnectionStatus } from '../db/schema'
import type { PartyRef } from '../ocpi/context'
import type { Page, PageQuery } from '../ocpi/paging'
import type { Role } from '../ocpi/types'
import type { ClientInfo } from '../ocpi/objects/client-info'

type ClientInfoRow = typeof hubClientInfo.$inferSelect
const paged = { last_updated: hubClientInfo.last_updated, key: hubClientInfo.key }

export const toClientInfo = (row: ClientInfoRow): ClientInfo => ({
  party_id: row.party_id,
  country_code: row.country_code,
  role: row.role,
  status: row.status,
  last_updated: new Date(row.last_updated).toISOString(),
})

/**
 * Our own view (peer_id null) of parties reachable through this platform: written whenever a peer's registration
 * status changes or a party is hosted. Our own knowledge always replaces what a hub told us about the same party.
 */
export function ownClientInfoStatements(db: Database, parties: readonly (PartyRef & { role: Role })[], status: ConnectionStatus, now = Date.now()) {
  return parties.map((party) =>
    db
      .insert(hubClientInfo)
      .values({ country_code: party.country_code.toUpperCase(), party_id: party.party_id.toUpperCase(), role: party.role, status, peer_id: null, last_updated: now })
      .onConflictDoUpdate({
        target: [hubClientInfo.country_code, hubClientInfo.party_id, hubClientInfo.role],
        set: { status, peer_id: null, last_updated: now },
      }),
  )
}

/**
 * Stores a ClientInfo a hub pushed. Older than what we hold: ignored (returns false). A party we see connected directly
 * (own row, CONNECTED) is not overridden by a hub's view of it.
 */
export async function putReceivedClientInfo(db: Database, peerId: string, clientInfo: ClientInfo, lastUpdated: number): Promise<boolean> {
  const row = {
    country_code: clientInfo.country_code.toUpperCase(),
    party_id: clientInfo.party_id.toUpperCase(),
    role: clientInfo.role,
    status: clientInfo.status,
    peer_id: peerId,
    last_updated: lastUpdated,
  }
  const written = await db
    .insert(hubClientInfo)
    .values(row)
    .onConflictDoUpdate({
      target: [hubClientInfo.country_code, hubClientInfo.party_id, hubClientInfo.role],
      set: { status: row.status, peer_id: row.peer_id, last_updated: row.last_updated },
      setWhere: and(
        sql`${hubClientInfo.last_updated} <= ${row.last_updated}`,
        or(sql`${hubClientInfo.peer_id} IS NOT NULL`, ne(hubClientInfo.status, 'CONNECTED')),
      ),
    })
    .returning({ key: hubClientInfo.country_code })
  return written.length > 0
}

/** The ClientInfo of a party as this peer pushed it (the hub GETs what it sent, to validate it). */
export async function getReceivedClientInfo(db: Database, peerId: string, party: PartyRef): Promise<ClientInfo | undefined> {
  const rows = await db
    .select()
    .from(hubClientInfo)
    .where(and(eq(hubClientInfo.peer_id, peerId), eq(hubClientInfo.country_code, party.country_code.toUpperCase()), eq(hubClientInfo.party_id, party.party_id.toUpperCase())))
    .orderBy(sql`${hubClientInfo.last_updated} DESC`)
    .limit(1)
  return rows[0] && toClientInfo(rows[0])
}

/** Sender GET: our own ClientInfo objects, date-filtered and keyset-paged on (last_updated, key). */
export async function listOwnClientInfo(db: Database, page: PageQuery): Promise<Page<ClientInfo>> {
  const filter = and(isNull(hubClientInfo.peer_id), dateRange(paged, page))
  // Own rows always have their generated key (country_code*party_id*role).
  const { rows, total } = await runPage<typeof hubClientInfo.$inferSelect & { key: string }>(db, page, {
    rows: (at) => db.select().from(hubClientInfo).where(and(filter, afterPosition(paged, at))).orderBy(...pageOrder(paged)).limit(at.limit).offset(pageOffset(at)) as never,
    count: db.select({ total: count() }).from(hubClientInfo).where(filter),
    scopes: ['hub_client_info'],
  })
  const last = rows.at(-1)
  return { objects: rows.map(toClientInfo), total, last: last && { last_updated: last.last_updated, key: last.key } }
}

/** Management view: every row, own and received, newest first. */
export async function listAllClientInfo(db: Database, options: { source?: 'own' | 'received'; peerId?: string; limit: number; offset: number }) {
  const where = options.source === 'own' ? isNull(hubClientInfo.peer_id)
    : options.source === 'received' ? (options.peerId ? eq(hubClientInfo.peer_id, options.peerId) : sql`${hubClientInfo.peer_id} IS NOT NULL`)
    : undefined
  const [rows, [counted]] = await db.batch([
    db.select().from(hubClientInfo).where(where).orderBy(sql`${hubClientInfo.last_updated} DESC`, hubClientInfo.key).limit(options.limit).offset(options.offset),
    db.select({ total: count() }).from(hubClientInfo).where(where),
  ])
  const total = counted?.total ?? 0
  return { total, rows: rows.map((row) => ({ ...toClientInfo(row), source: row.peer_id === null ? 'own' : 'received', peer_id: row.peer_id })) }
}


/**
 * ownClientInfoStatements for one batch whose rows must be written only while `condition` holds (INSERT ... SELECT
 * with a WHERE, which SQLite needs before ON CONFLICT anyway): the parties travel as one JSON parameter.
 */
export function ownClientInfoStatementWhere(db: Database, parties: readonly (PartyRef & { role: Role })[], status: ConnectionStatus, now: number, condition: SQL) {
  const rows = JSON.stringify(parties.map((party) => ({ country_code: party.country_code.toUpperCase(), party_id: party.party_id.toUpperCase(), role: party.role })))
  return db
    .insert(hubClientInfo)
    .select(sql`SELECT json_extract(value, '$.country_code'), json_extract(value, '$.party_id'), json_extract(value, '$.role'), ${status}, NULL, ${now}
      FROM json_each(${rows}) WHERE ${condition}`)
    .onConflictDoUpdate({ target: [hubClientInfo.country_code, hubClientInfo.party_id, hubClientInfo.role], set: { status, peer_id: null, last_updated: now } })
}

export type ClientInfoChange = typeof clientInfoChanges.$inferSelect

/**
 * Up to `limit` queued status changes (client_info_changes, filled by triggers on hub_client_info), each with the row
 * it is about as it stands now: absent when the row is gone, `own` false when a hub's push has since taken it over.
 */
export async function queuedClientInfoChanges(db: Database, limit: number): Promise<Array<{ change: ClientInfoChange; clientInfo?: ClientInfo; own: boolean }>> {
  const rows = await db
    .select({ change: clientInfoChanges, row: hubClientInfo })
    .from(clientInfoChanges)
    .leftJoin(hubClientInfo, and(
      eq(hubClientInfo.country_code, clientInfoChanges.country_code),
      eq(hubClientInfo.party_id, clientInfoChanges.party_id),
      eq(hubClientInfo.role, clientInfoChanges.role),
    ))
    .limit(limit)
  return rows.map(({ change, row }) => ({ change, clientInfo: row ? toClientInfo(row) : undefined, own: row?.peer_id === null }))
}

/** Dequeues changes as they were read: a change queued meanwhile (a newer version) stays for the next round. */
export async function dequeueClientInfoChanges(db: Database, changes: readonly ClientInfoChange[]): Promise<void> {
  await runBatch(db, changes.map((change) => db.delete(clientInfoChanges).where(and(
    eq(clientInfoChanges.country_code, change.country_code),
    eq(clientInfoChanges.party_id, change.party_id),
    eq(clientInfoChanges.role, change.role),
    eq(clientInfoChanges.version, change.version),
  ))))
}
