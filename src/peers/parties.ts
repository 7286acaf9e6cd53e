import { auditEntry, runBatch } from '../db/batch'
import type { Database } from '../db/client'
import { Memo } from '../db/memo'
import type { CredentialsRole } from '../db/schema'
import { ownClientInfoStatements } from './client-info-store'
import type { PartyRef } from '../ocpi/context'
import type { Role } from '../ocpi/types'
import { insertHostedParty, selectHostedParties, type HostedParty } from './party-store'

// Hosted parties change rarely and are read on most requests: a per-isolate memo (src/db/memo.ts), dropped on every
// local write.
const hostedParties = new Memo<HostedParty[]>(1)

export function listHostedParties(db: Database): Promise<HostedParty[]> {
  return hostedParties.get('all', () => selectHostedParties(db))
}

export function invalidateHostedParties() {
  hostedParties.clear()
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
  const inserted = await insertHostedParty(db, row)
  if (!inserted) return undefined
  invalidateHostedParties()
  await runBatch(db, [
    ...ownClientInfoStatements(db, [row], 'CONNECTED', row.created_at),
    auditEntry(db, { actor, action: 'party.hosted', subject: `party:${row.country_code}*${row.party_id}`, detail: { role: row.role } }, row.created_at),
  ])
  return inserted
}
