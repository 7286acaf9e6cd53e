import { eq } from 'drizzle-orm'
import { runBatch } from '../../db/batch'
import type { Database } from '../../db/client'
import { cdrs } from '../../db/schema'
import { byRecordKey, byToken, listRecords, recordKey, sourceOf, tokenRecordRow, type RecordListFilter, type RecordRef, type RecordSource, type TokenRef } from '../../db/token-records'
import type { Page, PageQuery } from '../../ocpi/paging'
import type { CDR } from '../../ocpi/objects/cdr'

export type { RecordRef as CdrRef, RecordSource as CdrSource, TokenRef } from '../../db/token-records'

export interface StoredCdr {
  source: RecordSource
  cdr: CDR
  /** Received CDRs: the peer that posted it. */
  peer_id: string | null
}

/** What storing a CDR did: created it, found the very same CDR already stored (a retried POST), or found a different one. */
export type CdrWrite = { outcome: 'created' } | { outcome: 'duplicate' } | { outcome: 'conflict'; stored: CDR }

type CdrRow = typeof cdrs.$inferSelect

const storedColumns = { object: cdrs.object, peer_id: cdrs.peer_id }

export async function getCdr(db: Database, source: RecordSource, ref: RecordRef): Promise<StoredCdr | undefined> {
  const [row] = await db.select(storedColumns).from(cdrs).where(byRecordKey(cdrs, source, ref)).limit(1)
  return row ? toStored(row) : undefined
}

export const getOwnCdr = (db: Database, ref: RecordRef) => getCdr(db, 'own', ref)
export const getReceivedCdr = (db: Database, ref: RecordRef) => getCdr(db, 'received', ref)

/**
 * Stores a new CDR. A CDR "cannot be changed or replaced once sent" (mod_cdrs): an existing one is never overwritten,
 * and the caller learns whether the one posted again is identical (safe to acknowledge) or different (refuse).
 */
export async function insertCdr(db: Database, source: RecordSource, cdr: CDR, peerId: string | null = null): Promise<CdrWrite> {
  const inserted = await db.insert(cdrs).values(cdrRow(source, cdr, peerId)).onConflictDoNothing().returning({ key: cdrs.key })
  if (inserted.length > 0) return { outcome: 'created' }
  // One row per key: a CDR of the same key stored as the other side's copy is a different CDR too.
  const [row] = await db.select(storedColumns).from(cdrs).where(eq(cdrs.key, recordKey(cdr))).limit(1)
  if (!row) return insertCdr(db, source, cdr, peerId)
  const stored = toStored(row)
  if (stored.source !== source) return { outcome: 'conflict', stored: stored.cdr }
  return JSON.stringify(stored.cdr) === JSON.stringify(cdr) ? { outcome: 'duplicate' } : { outcome: 'conflict', stored: stored.cdr }
}

export const insertOwnCdr = (db: Database, cdr: CDR) => insertCdr(db, 'own', cdr)
export const insertReceivedCdr = (db: Database, peerId: string, cdr: CDR) => insertCdr(db, 'received', cdr, peerId)

export interface CdrListFilter extends RecordListFilter {}

/** Date-paged (last_updated, key) list of canonical CDRs. */
export const listCdrs = (db: Database, filter: CdrListFilter, page: PageQuery): Promise<Page<CDR>> => listRecords<CDR>(db, cdrs, cdrs, filter, page)

/** Every CDR (own and received) of this token: GDPR right of access, token migration. */
export async function listCdrsOfToken(db: Database, token: TokenRef, source?: RecordSource): Promise<StoredCdr[]> {
  const rows = await db.select(storedColumns).from(cdrs).where(byToken(cdrs, token, source)).orderBy(cdrs.last_updated, cdrs.key)
  return rows.map(toStored)
}

/**
 * GDPR right to be forgotten: CDRs are kept for invoicing, with their personal parts removed. The token's uid and
 * contract_id become `pseudonym`; signed_data (meter readings signed with the driver's identification) is dropped; a
 * home charger's address (home_charging_compensation) is reduced to its city and country. Returns how many were rewritten.
 */
export async function pseudonymizeCdrsOfToken(db: Database, token: TokenRef, pseudonym: string): Promise<number> {
  const found = await listCdrsOfToken(db, token)
  if (found.length === 0) return 0
  const statements = found.map((stored) => {
    const cdr = withoutPersonalData(stored.cdr, pseudonym)
    return db.update(cdrs).set({ object: cdr, token_uid: pseudonym.toUpperCase() }).where(byRecordKey(cdrs, stored.source, cdr))
  })
  await runBatch(db, statements)
  return found.length
}

export function withoutPersonalData({ signed_data: _signedData, ...cdr }: CDR, pseudonym: string): CDR {
  const cdr_token = { ...cdr.cdr_token, uid: pseudonym, contract_id: pseudonym }
  if (!cdr.home_charging_compensation) return { ...cdr, cdr_token }
  const { name: _name, address: _address, postal_code: _postalCode, coordinates: _coordinates, ...location } = cdr.cdr_location
  return { ...cdr, cdr_token, cdr_location: { ...location, address: '', coordinates: { latitude: '0.00000', longitude: '0.00000' } } }
}

function cdrRow(source: RecordSource, cdr: CDR, peerId: string | null): CdrRow {
  return { ...tokenRecordRow(source, cdr, peerId), session_id: cdr.session_id ?? null, object: cdr }
}

const toStored = (row: Pick<CdrRow, 'object' | 'peer_id'>): StoredCdr => ({ source: sourceOf(row), cdr: row.object, peer_id: row.peer_id })
