import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { sharingPolicies } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import type { SharingPolicy } from './policy'

export interface StoredPolicy { policy: SharingPolicy; version: number; updated_at: number }

const ofParty = (party: PartyRef) =>
  and(eq(sharingPolicies.country_code, party.country_code.toUpperCase()), eq(sharingPolicies.party_id, party.party_id.toUpperCase()))

export async function getPolicy(db: Database, party: PartyRef): Promise<StoredPolicy | undefined> {
  const [row] = await db
    .select({ policy: sharingPolicies.policy, version: sharingPolicies.version, updated_at: sharingPolicies.updated_at })
    .from(sharingPolicies)
    .where(ofParty(party))
    .limit(1)
  return row
}

/** Every stored policy, keyed `CC*PID`: few rows (one per hosted party that set one). */
export async function listPolicies(db: Database): Promise<Map<string, SharingPolicy>> {
  const rows = await db.select().from(sharingPolicies)
  return new Map(rows.map((row) => [`${row.country_code}*${row.party_id}`, row.policy]))
}

export async function putPolicy(db: Database, party: PartyRef, policy: SharingPolicy, now = Date.now()): Promise<StoredPolicy> {
  const [row] = await db
    .insert(sharingPolicies)
    .values({ country_code: party.country_code.toUpperCase(), party_id: party.party_id.toUpperCase(), policy, version: 1, updated_at: now })
    .onConflictDoUpdate({
      target: [sharingPolicies.country_code, sharingPolicies.party_id],
      set: { policy, version: sql`${sharingPolicies.version} + 1`, updated_at: now },
    })
    .returning({ policy: sharingPolicies.policy, version: sharingPolicies.version, updated_at: sharingPolicies.updated_at })
  return row
}
