import { and, eq, exists, isNotNull, isNull, ne, sql, type SQL } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { objectPage } from '../../db/paging'
import { invoiceReconciliationRecords as records, peerRoles } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import type { InvoiceReconciliationRecord } from '../../ocpi/objects/invoice-reconciliation'
import type { Page, PageQuery } from '../../ocpi/paging'
import { toEpochMs } from '../../ocpi/types'

/**
 * Whose copy a record is: a hosted party's ('own') or the one a peer sent (its id). One row per record, `peer_id` null
 * for own (docs/architecture.md, "Whose copy an object is").
 */
export type RecordHolder = 'own' | { peer_id: string }
export type Billing = 'DIRECT' | 'REVERSE'

export interface RecordRef { country_code: string; party_id: string; id: string }

export interface StoredRecord {
  record: InvoiceReconciliationRecord
  holder: RecordHolder
  billing: Billing
  counterparty: PartyRef | null
}

const ofHolder = (holder: RecordHolder) => (holder === 'own' ? isNull(records.peer_id) : eq(records.peer_id, holder.peer_id))
export const recordKey = (ref: RecordRef) => [ref.country_code, ref.party_id, ref.id].map((part) => part.toUpperCase()).join('*')
const byKey = (holder: RecordHolder, ref: RecordRef) => and(ofHolder(holder), eq(records.key, recordKey(ref)))

type Row = typeof records.$inferSelect

export async function getRecord(db: Database, holder: RecordHolder, ref: RecordRef): Promise<StoredRecord | undefined> {
  const [row] = await db.select().from(records).where(byKey(holder, ref)).limit(1)
  return row && toStored(row)
}

/** The received copy of a record (whichever peer sent it) with this owner and id: what the management API reads by id. */
export async function findReceivedRecord(db: Database, ref: RecordRef): Promise<StoredRecord | undefined> {
  const [row] = await db.select().from(records).where(and(isNotNull(records.peer_id), eq(records.key, recordKey(ref)))).limit(1)
  return row && toStored(row)
}

/**
 * Creates or replaces a record; `mode` says which the caller means. 'create' of an id already held answers
 * 'exists' (the caller decides whether an identical retry is fine); 'replace' of an id not held answers 'unknown'.
 * One copy per record: a peer's write takes over the copy another peer (a former holder of the party) sent, and
 * never replaces an own record ('exists'); an own write takes over any copy.
 */
export async function writeRecord(
  db: Database, holder: RecordHolder, stored: Omit<StoredRecord, 'holder'>, mode: 'create' | 'replace' | 'upsert',
): Promise<'created' | 'replaced' | 'exists' | 'unknown'> {
  const row = rowOf(holder, stored)
  if (mode === 'replace') {
    const updated = await db.update(records).set(row).where(byKey(holder, stored.record)).returning({ key: records.key })
    return updated.length > 0 ? 'replaced' : 'unknown'
  }
  const inserted = await db.insert(records).values(row).onConflictDoNothing().returning({ key: records.key })
  if (inserted.length > 0) return 'created'
  const replaceable = mode === 'create'
    ? (holder === 'own' ? isNotNull(records.peer_id) : and(isNotNull(records.peer_id), ne(records.peer_id, holder.peer_id)))
    : (holder === 'own' ? undefined : isNotNull(records.peer_id))
  const taken = await db.update(records).set(row).where(and(eq(records.key, row.key), replaceable)).returning({ key: records.key })
  if (taken.length === 0) return 'exists'
  return mode === 'create' ? 'created' : 'replaced'
}

export async function deleteRecord(db: Database, holder: RecordHolder, ref: RecordRef): Promise<boolean> {
  const deleted = await db.delete(records).where(byKey(holder, ref)).returning({ key: records.key })
  return deleted.length > 0
}

export interface RecordListFilter {
  holder: RecordHolder | 'received'
  /** Only records of this owner party. */
  owner?: PartyRef
  /** Only records for a counterparty this peer represents (what the Sender interface shows one peer). */
  counterpartyOfPeer?: string
}

/** Date-paged (last_updated, key) list of records. */
export function listRecords(db: Database, filter: RecordListFilter, page: PageQuery): Promise<Page<InvoiceReconciliationRecord>> {
  const where = and(
    filter.holder === 'received' ? isNotNull(records.peer_id) : ofHolder(filter.holder),
    filter.owner && and(eq(records.country_code, filter.owner.country_code.toUpperCase()), eq(records.party_id, filter.owner.party_id.toUpperCase())),
    filter.counterpartyOfPeer !== undefined ? counterpartyRepresentedBy(db, filter.counterpartyOfPeer) : undefined,
  )
  return objectPage<InvoiceReconciliationRecord>(db, records, where, page, filter.counterpartyOfPeer !== undefined ? ['invoice_reconciliation_records', 'peer_roles'] : ['invoice_reconciliation_records'])
}

/** The ids of every CDR that the records one holder keeps from one owner list: what is already invoiced. */
export async function invoicedCdrIds(db: Database, holder: RecordHolder, owner: PartyRef): Promise<Set<string>> {
  const rows = await db.select({ object: records.object }).from(records).where(and(
    ofHolder(holder),
    eq(records.country_code, owner.country_code.toUpperCase()),
    eq(records.party_id, owner.party_id.toUpperCase()),
  ))
  return new Set(rows.flatMap((row) => row.object.cdrs.map((id) => id.toUpperCase())))
}

function counterpartyRepresentedBy(db: Database, peerId: string): SQL {
  return exists(db.select({ one: sql`1` }).from(peerRoles).where(and(
    eq(peerRoles.peer_id, peerId),
    eq(peerRoles.country_code, records.counterparty_country_code),
    eq(peerRoles.party_id, records.counterparty_party_id),
  )))
}

function rowOf(holder: RecordHolder, { record, billing, counterparty }: Omit<StoredRecord, 'holder'>): Row {
  return {
    key: recordKey(record),
    peer_id: holder === 'own' ? null : holder.peer_id,
    country_code: record.country_code.toUpperCase(),
    party_id: record.party_id.toUpperCase(),
    id: record.id,
    counterparty_country_code: counterparty?.country_code.toUpperCase() ?? null,
    counterparty_party_id: counterparty?.party_id.toUpperCase() ?? null,
    billing,
    last_updated: toEpochMs(record.last_updated),
    object: record,
  }
}

function toStored(row: Row): StoredRecord {
  return {
    record: row.object,
    holder: row.peer_id === null ? 'own' : { peer_id: row.peer_id },
    billing: row.billing,
    counterparty: row.counterparty_country_code && row.counterparty_party_id ? { country_code: row.counterparty_country_code, party_id: row.counterparty_party_id } : null,
  }
}

