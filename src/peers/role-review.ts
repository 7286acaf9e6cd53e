import type { Env } from '../env'
import { auditEntry, runBatch } from '../db/batch'
import { databaseFor } from '../db/shards'
import type { CredentialsRole, RoleGrant } from '../db/schema'
import { OcpiError } from '../ocpi/errors'
import { roleKey, selected } from './grants'
import { listHostedParties } from './parties'
import { isRegistered } from './peer-state'
import { getPeer, ownClientInfoStatements, partiesHeldByOthers, replacePeerRolesStatements, type Peer } from './store'

// The operator's answer to roles a peer named without a grant (docs/security.md, "Role grants").

/**
 * Grants pending roles (all, or the ones selected). A party hosted here or held by another registered peer is refused
 * with 409 unless `override` says the operator means it; every approval is audited. The caller drops the cached push
 * audiences (invalidatePushPeers): the peer may now receive more.
 */
export async function approvePendingRoles(env: Env, peerId: string, options: { roles?: RoleGrant[]; override?: boolean } = {}): Promise<Peer> {
  const db = databaseFor(env)
  const peer = await getPeer(db, peerId)
  if (!peer) throw OcpiError.unknownObject(`peer ${peerId}`)
  const chosen = peer.pending_roles.filter((role) => selected(options.roles, role))
  if (chosen.length === 0) throw new OcpiError(2001, 'No pending role matches', { path: 'roles', http_status: 404 })
  if (!options.override) {
    const hosted = new Set((await listHostedParties(db)).map((party) => `${party.country_code}*${party.party_id}`))
    const holders = await partiesHeldByOthers(db, peerId, chosen)
    const conflict = chosen.find((role) => hosted.has(`${role.country_code.toUpperCase()}*${role.party_id.toUpperCase()}`)) ??
      chosen.find((role) => holders.some((held) => `${held.country_code}*${held.party_id}` === `${role.country_code.toUpperCase()}*${role.party_id.toUpperCase()}`))
    if (conflict) throw new OcpiError(2001, `Role ${roleKey(conflict)}: the party is hosted here or held by another peer; send override: true to grant it anyway`, { path: 'override', http_status: 409 })
  }
  const granted: CredentialsRole[] = chosen.map(({ role, country_code, party_id, business_details }) => ({ role, country_code, party_id, business_details }))
  const now = Date.now()
  await runBatch(db, [
    ...replacePeerRolesStatements(db, peerId, [...peer.roles, ...granted], peer.pending_roles.filter((role) => !chosen.includes(role))),
    ...(isRegistered(peer.status) ? ownClientInfoStatements(db, granted, 'CONNECTED', now) : []),
    ...granted.map((role) => auditEntry(db, { actor: 'admin', action: 'peer.role.approved', subject: peerId, detail: { role: roleKey(role), override: options.override ?? false } }, now)),
  ])
  return (await getPeer(db, peerId))!
}

/** Drops pending roles (all, or the ones selected); the peer may name them again in a later PUT, pending again. */
export async function rejectPendingRoles(env: Env, peerId: string, options: { roles?: RoleGrant[] } = {}): Promise<Peer> {
  const db = databaseFor(env)
  const peer = await getPeer(db, peerId)
  if (!peer) throw OcpiError.unknownObject(`peer ${peerId}`)
  const chosen = peer.pending_roles.filter((role) => selected(options.roles, role))
  if (chosen.length === 0) throw new OcpiError(2001, 'No pending role matches', { path: 'roles', http_status: 404 })
  const now = Date.now()
  await runBatch(db, [
    ...replacePeerRolesStatements(db, peerId, peer.roles, peer.pending_roles.filter((role) => !chosen.includes(role))),
    ...chosen.map((role) => auditEntry(db, { actor: 'admin', action: 'peer.role.rejected', subject: peerId, detail: { role: roleKey(role) } }, now)),
  ])
  return (await getPeer(db, peerId))!
}
