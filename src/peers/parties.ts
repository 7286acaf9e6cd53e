import type { Database } from '../db/client'
import type { CredentialsRole } from '../db/schema'
import type { PartyRef } from '../ocpi/context'
import type { Role } from '../ocpi/types'
import { selectHostedParties, type HostedParty } from './party-store'

// Hosted parties change rarely and are read on most requests: a short per-isolate cache, dropped on every local write.
let cached: { at: number; rows: HostedParty[] } | undefined
const CACHE_MS = 5_000

export async function listHostedParties(db: Database): Promise<HostedParty[]> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.rows
  const rows = await selectHostedParties(db)
  cached = { at: Date.now(), rows }
  return rows
}

export function invalidateHostedParties() {
  cached = undefined
}

/** Our roles as sent in a Credentials object. */
export async function ourCredentialsRoles(db: Database): Promise<CredentialsRole[]> {
  return (await listHostedParties(db)).map(({ role, country_code, party_id, business_details }) => ({ role, country_code, party_id, business_details }))
}

export async function findHostedParty(db: Database, party: PartyRef, role?: Role): Promise<HostedParty | undefined> {
  return (await listHostedParties(db)).find(
    (row) => row.country_code === party.country_code.toUpperCase() && row.party_id === party.party_id.toUpperCase() && (!role || row.role === role),
  )
}
