import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { cdrDisputes } from '../../db/schema'
import type { CdrDispute } from '../../ocpi/objects/cdr-dispute'
import { toEpochMs } from '../../ocpi/types'

/** Whose copy a dispute is: raised by a hosted MSP ('own') or received from an MSP peer (its id). */
export type DisputeHolder = 'own' | { peer_id: string }

export interface CdrRef { country_code: string; party_id: string; id: string }
export const cdrKey = (ref: CdrRef) => [ref.country_code, ref.party_id, ref.id].map((part) => part.toUpperCase()).join('*')
const ofHolder = (holder: DisputeHolder) => (holder === 'own' ? isNull(cdrDisputes.peer_id) : eq(cdrDisputes.peer_id, holder.peer_id))

export async function getDispute(db: Database, holder: DisputeHolder, cdr: CdrRef): Promise<CdrDispute | undefined> {
  const [row] = await db.select({ object: cdrDisputes.object }).from(cdrDisputes)
    .where(and(ofHolder(holder), eq(cdrDisputes.key, cdrKey(cdr)))).limit(1)
  return row?.object
}

/**
 * Writes a dispute unless the one held is newer; answers whether it was written. One row per CDR: a peer's dispute never
 * replaces one raised here, and replaces another peer's (the MSP party changed hands).
 */
export async function putDispute(db: Database, holder: DisputeHolder, dispute: CdrDispute): Promise<boolean> {
  const peerId = holder === 'own' ? null : holder.peer_id
  const row = { key: cdrKey({ ...dispute, id: dispute.cdr_id }), peer_id: peerId, last_updated: toEpochMs(dispute.last_updated), object: dispute }
  const mayReplace = peerId === null
    ? sql`${cdrDisputes.peer_id} IS NOT NULL OR ${cdrDisputes.last_updated} <= ${row.last_updated}`
    : sql`${cdrDisputes.peer_id} IS NOT NULL AND (${cdrDisputes.peer_id} <> ${peerId} OR ${cdrDisputes.last_updated} <= ${row.last_updated})`
  const written = await db.insert(cdrDisputes).values(row)
    .onConflictDoUpdate({ target: cdrDisputes.key, set: { peer_id: row.peer_id, last_updated: row.last_updated, object: row.object }, setWhere: mayReplace })
    .returning({ key: cdrDisputes.key })
  return written.length > 0
}

/** Disputes of these CDRs: raised here ('own') or received from any peer ('received'). */
export async function findDisputes(db: Database, side: 'own' | 'received', cdrs: readonly CdrRef[]): Promise<CdrDispute[]> {
  if (cdrs.length === 0) return []
  const found: CdrDispute[] = []
  const keys = cdrs.map(cdrKey)
  for (let start = 0; start < keys.length; start += 80) {
    const rows = await db.select({ object: cdrDisputes.object }).from(cdrDisputes).where(and(
      side === 'own' ? isNull(cdrDisputes.peer_id) : isNotNull(cdrDisputes.peer_id),
      inArray(cdrDisputes.key, keys.slice(start, start + 80)),
    ))
    found.push(...rows.map((row) => row.object))
  }
  return found
}
