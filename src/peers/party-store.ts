import { and, eq } from 'drizzle-orm'
import type { Database } from '../db/client'
import { parties } from '../db/schema'
import type { PartyRef } from '../ocpi/context'
import type { Role } from '../ocpi/types'

export type HostedParty = typeof parties.$inferSelect

/** Every hosted party and role, in (country_code, party_id, role) order. */
export function selectHostedParties(db: Database): Promise<HostedParty[]> {
  return db.select().from(parties).orderBy(parties.country_code, parties.party_id, parties.role)
}

/** A new hosted party and role; undefined when the party already hosts that role. */
export async function insertHostedParty(db: Database, row: HostedParty): Promise<HostedParty | undefined> {
  const [inserted] = await db.insert(parties).values(row).onConflictDoNothing().returning()
  return inserted
}

/** The party stops hosting `role`, as a statement for the caller's batch (a party handed over to another platform). */
export const unhostPartyStatement = (db: Database, party: PartyRef, role: Role) =>
  db.delete(parties).where(and(eq(parties.country_code, party.country_code.toUpperCase()), eq(parties.party_id, party.party_id.toUpperCase()), eq(parties.role, role)))
