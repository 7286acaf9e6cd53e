import { auditEntry, runBatch } from '../db/batch'
import type { Database } from '../db/client'
import { parties, type CredentialsRole } from '../db/schema'
import { ownClientInfoStatements } from './client-info-store'
import type { PartyRef } from '../ocpi/context'
import type { Role } from '../ocpi/types'

type HostedParty = typeof parties.$inferSelect

// Hosted parties change rarely and are read on most requests: a short per-isolate cache, dropped on every local write.
let cached: { at: number; rows: HostedParty[] } | undefined
const CACHE_MS = 5_000

export async function listHostedParties(db: Database): Promise<HostedParty[]> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.rows
  const rows = await db.select().from(parties).orderBy(parties.country_code, parties.party_id, parties.role)
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

/**
 * Hosts a party on this platform: the row, its own ClientInfo (CONNECTED) and an audit entry, in one batch. Returns
 * the new row, or undefined when the party already hosts that role. The caller tells connected peers (credentials PUT,
 * B8.2) with publishRolesToPeers, at the moment that suits it.
 */
export async function hostParty(db: Database, party: Omit<HostedParty, 'created_at'>, actor: string): Promise<HostedParty | undefined> {
  const row = { ...party, country_code: party.country_code.toUpperCase(), party_id: party.party_id.toUpperCase(), created_at: Date.now() }
  const [inserted] = await db.insert(parties).values(row).onConflictDoNothing().returning()
  if (!inserted) return undefined
  invalidateHostedParties()
  await runBatch(db, [
    ...ownClientInfoStatements(db, [row], 'CONNECTED', row.created_at),
    auditEntry(db, { actor, action: 'party.hosted', subject: `party:${row.country_code}*${row.party_id}`, detail: { role: row.role } }, row.created_at),
  ])
  return inserted
}
