import { ourVersionsUrl } from '../ocpi/urls'
import type { SQL } from 'drizzle-orm'
import type { Env } from '../env'
import { auditEntry, runBatch } from '../db/batch'
import { OcpiError } from '../ocpi/errors'
import type { Database } from '../db/client'
import type { PartyRef } from '../ocpi/context'
import type { PeerStatus, RoleGrant } from '../db/schema'
import { credentialsFrom211, type Credentials, type Credentials211 } from '../ocpi/objects/credentials'
import type { OcpiVersion } from '../ocpi/versions'
import { isSingleParty, otherSide, ourPartyFacing, peerSide, type Side } from './one-party-connection'
import type { PeerDiscovery } from './discovery'
import { auditedDecisions, decideRoles, grantedRoles, pendingRoles, type RoleDecision } from './grants'
import { listHostedParties, ourCredentialsRoles } from './parties'
import {
  auditEntryWhere, getPeer, ownClientInfoStatements, ownClientInfoStatementWhere, partiesHeldByOthers, peerFieldsStatement, replacePeerRolesStatements,
  type Peer,
} from './store'

// The peer states registration moves between, as statements for one D1 batch, shared by both directions.

export const graceMs = (env: Env) => (Number(env.TOKEN_GRACE_SECONDS) || 3600) * 1000
export const isRegistered = (status: PeerStatus) => status === 'CONNECTED' || status === 'OFFLINE'

/** The fields of a peer that accepts our token again: the 401 streak and the TOKEN_REJECTED mark cleared. */
export const tokenAccepted = { unauthorized_streak: 0, token_rejected_at: null }

/** The Credentials object that gives access to us with `token`: our versions URL and every hosted party's role. */
export async function ourCredentials(env: Env, db: Database, token: string): Promise<Credentials> {
  const roles = await ourCredentialsRoles(db)
  const hub = roles.find((role) => role.role === 'HUB')
  // 2.3.0: "A Platform that supports Hub functionality ... SHALL give the country code and party ID of the Hub in hub_party_id".
  return { token, url: ourVersionsUrl(env), ...(hub ? { hub_party_id: `${hub.country_code}${hub.party_id}` } : {}), roles }
}

/**
 * Our Credentials for a connection in `version`: on a 2.1.1 connection with a peer on `side`, only our party facing it
 * (credentials.md names one party; docs/ocpi-2.1.1.md, "Credentials").
 */
export async function ourCredentialsIn(
  env: Env, db: Database, token: string, version: OcpiVersion, side: Side | undefined, chosen?: PartyRef | null,
): Promise<Credentials> {
  const ours = await ourCredentials(env, db, token)
  if (!isSingleParty(version)) return ours
  const party = ourPartyFacing(side, ours.roles, chosen)
  if (!party) throw noPartyFor211()
  return { token: ours.token, url: ours.url, roles: [party] }
}

/** Our Credentials for the peer with `peerId` (a credentials GET): in 2.1.1 only our party facing it. */
export async function ourCredentialsOfCaller(env: Env, db: Database, token: string, version: OcpiVersion, peerId: string): Promise<Credentials> {
  if (!isSingleParty(version)) return ourCredentials(env, db, token)
  const peer = await getPeer(db, peerId)
  return ourCredentialsIn(env, db, token, version, peer ? peerSide(peer, await listHostedParties(db)) : undefined, peer?.own_party)
}

/** The side we act as on a 2.1.1 connection with the peer `peerId`: across from its side. */
export async function ourSideFacing(db: Database, peerId: string): Promise<Side | undefined> {
  const peer = await getPeer(db, peerId)
  const side = peer ? peerSide(peer, await listHostedParties(db)) : undefined
  return side && otherSide(side)
}

/** A peer's Credentials as read in its version, canonical: a 2.1.1 party gets the role of the side it is on. */
export function canonicalCredentials(theirs: Credentials | Credentials211, side: Side | undefined): Credentials {
  if (!('roles' in theirs)) {
    if (!side) throw noPartyFor211()
    return credentialsFrom211(theirs, side)
  }
  return theirs
}

const noPartyFor211 = () => new OcpiError(3003, 'An OCPI 2.1.1 connection needs a CPO or eMSP party hosted here, facing the peer')

/** What registration learned about the peer's endpoints: none on a renewal in the same version, which keeps those stored. */
type Discovered = Pick<PeerDiscovery, 'version'> & Partial<Pick<PeerDiscovery, 'endpoints'>>

/** The role-grant rule applied to the roles a peer names, with the facts read from the database. */
export async function judgeRoles(
  db: Database, peer: { id: string; grants: RoleGrant[] | null; roles: Peer['roles'] }, theirs: Credentials, firstRegistration: boolean,
): Promise<RoleDecision[]> {
  const [hosted, heldByOthers] = await Promise.all([listHostedParties(db), partiesHeldByOthers(db, peer.id, theirs.roles)])
  return decideRoles({ claimed: theirs.roles, grants: peer.grants, held: firstRegistration ? [] : peer.roles, firstRegistration, hosted, heldByOthers })
}

/**
 * Everything that makes a peer CONNECTED with what it sent, what we discovered and the roles granted to it, for one
 * batch. With `condition`, every statement applies only while it holds (the winner of a registration race).
 */
export function connectedPeerStatements(
  db: Database,
  change: { peerId: string; theirs: Credentials; discovery: Discovered; decisions: RoleDecision[]; actor: string; now: number },
  condition?: SQL,
) {
  const { peerId, theirs, discovery, decisions, actor, now } = change
  const granted = grantedRoles(decisions)
  const audited = auditedDecisions(decisions).map(({ action, detail }) => ({ actor, action, subject: peerId, detail }))
  return [
    ...replacePeerRolesStatements(db, peerId, granted, pendingRoles(decisions, now), condition),
    peerFieldsStatement(db, peerId, { ...connectedPeerFields(theirs, discovery, now), hub_party_id: grantedHubPartyId(theirs, granted) }, condition),
    ...(granted.length === 0 ? [] : condition ? [ownClientInfoStatementWhere(db, granted, 'CONNECTED', now, condition)] : ownClientInfoStatements(db, granted, 'CONNECTED', now)),
    ...audited.map((entry) => (condition ? auditEntryWhere(db, entry, now, condition) : auditEntry(db, entry, now))),
  ]
}

/** 2.3.0 hub_party_id, kept only when it names a HUB role granted to the peer: claiming it grants nothing. */
function grantedHubPartyId(theirs: Credentials, granted: readonly Peer['roles'][number][]): string | null {
  const claimed = theirs.hub_party_id?.toUpperCase()
  return claimed && granted.some((role) => role.role === 'HUB' && `${role.country_code}${role.party_id}`.toUpperCase() === claimed) ? claimed : null
}

const connectedPeerFields = (theirs: Credentials, discovery: Discovered, now: number) => ({
  status: 'CONNECTED' as const,
  version: discovery.version,
  versions_url: theirs.url,
  ...(discovery.endpoints ? { endpoints: discovery.endpoints } : {}),
  outbound_token: theirs.token,
  credentials_rotated_at: now,
  // New credentials both ways: whatever token the peer refused before is gone (token-rejection.ts).
  ...tokenAccepted,
  last_error: null,
  updated_at: now,
})

/** Records a refused claim (the only write a refused credentials request leaves) and returns the error to answer with. */
export async function refuseRoles(db: Database, peerId: string, decisions: RoleDecision[], actor: string, error: OcpiError): Promise<OcpiError> {
  const refused = auditedDecisions(decisions).filter((entry) => entry.action === 'peer.role.refused')
  await runBatch(db, refused.map((entry) => auditEntry(db, { actor, action: entry.action, subject: peerId, detail: entry.detail })))
  return error
}
