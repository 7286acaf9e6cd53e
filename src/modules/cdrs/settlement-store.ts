import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { cdrs } from '../../db/schema'
import { ofSource, type RecordSource } from '../../db/token-records'
import type { PartyRef } from '../../ocpi/context'
import type { CDR } from '../../ocpi/objects/cdr'

// CDR reads that invoice reconciliation needs: the CDRs between one CPO and one MSP, found by id, by the CDR a credit
// corrects, and all of them (bounded) to tell which were never invoiced.

/** The CDRs of one relationship: a CPO's (when known) for the tokens of an MSP (when known). */
export interface CdrRelationship { source: RecordSource; cpo?: PartyRef; emsp?: PartyRef }

/** At most this many CDRs of one relationship are read to find those not invoiced. */
export const RELATIONSHIP_SCAN_LIMIT = 5_000

/** CDRs of the relationship with one of these ids (compared case-insensitively, as CiStrings are). */
export async function findCdrsById(db: Database, relationship: CdrRelationship, ids: readonly string[]): Promise<CDR[]> {
  if (ids.length === 0) return []
  const upper = ids.map((id) => id.toUpperCase())
  const found: CDR[] = []
  // D1 binds at most 100 parameters per statement.
  for (let start = 0; start < upper.length; start += 80) {
    const chunk = upper.slice(start, start + 80)
    const rows = await db.select({ object: cdrs.object }).from(cdrs)
      .where(and(relationshipWhere(relationship), sql`upper(${cdrs.id}) IN (${sql.join(chunk.map((id) => sql`${id}`), sql`, `)})`))
    found.push(...rows.map((row) => row.object))
  }
  return found
}

/** Every CDR of the relationship (oldest first, at most RELATIONSHIP_SCAN_LIMIT), credit CDRs included. */
export async function listRelationshipCdrs(db: Database, relationship: CdrRelationship): Promise<CDR[]> {
  const rows = await db.select({ object: cdrs.object }).from(cdrs).where(relationshipWhere(relationship))
    .orderBy(cdrs.last_updated, cdrs.key).limit(RELATIONSHIP_SCAN_LIMIT)
  return rows.map((row) => row.object)
}

function relationshipWhere({ source, cpo, emsp }: CdrRelationship): SQL | undefined {
  return and(
    ofSource(cdrs, source),
    cpo && and(eq(cdrs.country_code, cpo.country_code.toUpperCase()), eq(cdrs.party_id, cpo.party_id.toUpperCase())),
    emsp && and(eq(cdrs.token_country_code, emsp.country_code.toUpperCase()), eq(cdrs.token_party_id, emsp.party_id.toUpperCase())),
  )
}

/** Ids of the credit CDRs a CPO issued for one of its CDRs (mod_cdrs, "Credit CDRs"), as held here. */
export async function creditCdrIds(db: Database, source: RecordSource, cpo: PartyRef, cdrId: string): Promise<string[]> {
  const rows = await db.select({ id: cdrs.id }).from(cdrs).where(and(
    relationshipWhere({ source, cpo }),
    sql`json_extract(${cdrs.object}, '$.credit') = 1`,
    sql`upper(json_extract(${cdrs.object}, '$.credit_reference_id')) = ${cdrId.toUpperCase()}`,
  ))
  return rows.map((row) => row.id)
}
