import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { Memo } from '../../db/memo'
import { returnedRow } from '../../db/rows'
import { sharingPolicies } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import { visibilityFor, type PartyView, type SharingPolicy, type Viewer } from '../../ocpi/objects/sharing-policy'

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

/** The key listPolicies files a party's policy under. */
export const policyKey = (party: PartyRef) => `${party.country_code}*${party.party_id}`.toUpperCase()

/** Every stored policy, keyed by policyKey: few rows (one per hosted party that set one). */
export async function listPolicies(db: Database): Promise<Map<string, SharingPolicy>> {
  const rows = await db.select().from(sharingPolicies)
  return new Map(rows.map((row) => [policyKey(row), row.policy]))
}

// The policies as every sender reads them: remembered per isolate within the memo staleness (src/db/memo.ts), forgotten
// at once by a policy write on this isolate.
const rememberedPolicies = new Memo<Map<string, SharingPolicy>>(1)

/** What the viewer may see of each of these parties under the stored policies (read once, beside the parties). */
export async function partyViews(db: Database, viewer: Viewer, parties: readonly PartyRef[] | Promise<readonly PartyRef[]>): Promise<PartyView[]> {
  const [resolved, policies] = await Promise.all([parties, rememberedPolicies.get('all', () => listPolicies(db))])
  return resolved.map(({ country_code, party_id }) => ({
    party: { country_code, party_id },
    visibility: visibilityFor(policies.get(policyKey({ country_code, party_id })), viewer),
  }))
}

export async function putPolicy(db: Database, party: PartyRef, policy: SharingPolicy, now = Date.now()): Promise<StoredPolicy> {
  const rows = await db
    .insert(sharingPolicies)
    .values({ country_code: party.country_code.toUpperCase(), party_id: party.party_id.toUpperCase(), policy, version: 1, updated_at: now })
    .onConflictDoUpdate({
      target: [sharingPolicies.country_code, sharingPolicies.party_id],
      set: { policy, version: sql`${sharingPolicies.version} + 1`, updated_at: now },
    })
    .returning({ policy: sharingPolicies.policy, version: sharingPolicies.version, updated_at: sharingPolicies.updated_at })
  rememberedPolicies.clear()
  return returnedRow(rows, `sharing policy of ${party.country_code}*${party.party_id}`)
}
