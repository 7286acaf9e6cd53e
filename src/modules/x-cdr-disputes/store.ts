import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { cdrDisputes } from '../../db/schema'
import type { CdrDispute } from '../../ocpi/objects/cdr-dispute'
import { toEpochMs } from '../../ocpi/types'

/** Whose copy a dispute is: raised by a hosted MSP ('own') or received from an MSP peer (its id). */
export type DisputeHolder = 'own' | { peer_id: string }

export interface CdrRef { country_code: string; party_id: string; id: string }
export const cdrKey = (ref: CdrRef) => [ref.country_code, ref.party_id, ref.id].map((part) => part.toUpperCase()).join('*')
const holderKey = (holder: DisputeHolder) => (holder === 'own' ? 'own' : holder.peer_id)

export async function getDispute(db: Database, holder: DisputeHolder, cdr: CdrRef): Promise<CdrDispute | undefined> {
  const [row] = await db.select({ object: cdrDisputes.object }).from(cdrDisputes)
    .where(and(eq(cdrDisputes.holder, holderKey(holder)), eq(cdrDisputes.key, cdrKey(cdr)))).limit(1)
  return row?.object
}

/** Writes a dispute unless the one held is newer; answers whether it was written. */
export async function putDispute(db: Database, holder: DisputeHolder, dispute: CdrDispute): Promise<boolean> {
  const row = { holder: holderKey(holder), key: cdrKey({ ...dispute, id: dispute.cdr_id }), last_updated: toEpochMs(dispute.last_updated), object: dispute }
  const written = await db.insert(cdrDisputes).values(row)
    .onConflictDoUpdate({ target: [cdrDisputes.holder, cdrDisputes.key], set: { last_updated: row.last_updated, object: row.object }, setWhere: sql`${cdrDisputes.last_updated} <= ${row.last_updated}` })
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
      side === 'own' ? eq(cdrDisputes.holder, 'own') : sql`${cdrDisputes.holder} <> 'own'`,
      inArray(cdrDisputes.key, keys.slice(start, start + 80)),
    ))
    found.push(...rows.map((row) => row.object))
  }
  return found
}
