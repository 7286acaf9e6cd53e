import { ourVersionsUrl } from '../ocpi/urls'
import { and, eq, exists, gt, isNull, ne, or, sql, type SQL } from 'drizzle-orm'
import type { Env } from '../env'
import { auditEntry } from '../db/batch'
import type { Database } from '../db/client'
import { credentialsTokens, peerRoles, peers, type CredentialsRole, type PeerStatus } from '../db/schema'
import type { Credentials } from '../ocpi/objects/credentials'
import { ownClientInfoStatements } from './client-info-store'
import type { PeerDiscovery } from './discovery'
import { ourCredentialsRoles } from './parties'
import { replacePeerRolesStatements } from './store'

// The peer states registration moves between, as statements for one D1 batch, shared by both directions.

export const graceMs = (env: Env) => (Number(env.TOKEN_GRACE_SECONDS) || 3600) * 1000
export const isRegistered = (status: PeerStatus) => status === 'CONNECTED' || status === 'OFFLINE'

/** The Credentials object that gives access to us with `token`: our versions URL and every hosted party's role. */
export async function ourCredentials(env: Env, db: Database, token: string): Promise<Credentials> {
  const roles = await ourCredentialsRoles(db)
  const hub = roles.find((role) => role.role === 'HUB')
  // 2.3.0: "A Platform that supports Hub functionality ... SHALL give the country code and party ID of the Hub in hub_party_id".
  return { token, url: ourVersionsUrl(env), ...(hub ? { hub_party_id: `${hub.country_code}${hub.party_id}` } : {}), roles }
}

/** What registration learned about the peer's endpoints: none on a renewal in the same version, which keeps those stored. */
type Discovered = Pick<PeerDiscovery, 'version'> & Partial<Pick<PeerDiscovery, 'endpoints'>>

/** Everything that makes a peer CONNECTED with what it sent and what we discovered, for one batch. */
export function connectedPeerStatements(db: Database, peerId: string, theirs: Credentials, discovery: Discovered, now: number) {
  return [
    ...replacePeerRolesStatements(db, peerId, theirs.roles),
    db.update(peers).set(connectedPeerFields(theirs, discovery, now)).where(eq(peers.id, peerId)),
    ...ownClientInfoStatements(db, theirs.roles, 'CONNECTED', now),
  ]
}

export const connectedPeerFields = (theirs: Credentials, discovery: Discovered, now: number) => ({
  status: 'CONNECTED' as const,
  version: discovery.version,
  versions_url: theirs.url,
  ...(discovery.endpoints ? { endpoints: discovery.endpoints } : {}),
  outbound_token: theirs.token,
  hub_party_id: theirs.hub_party_id ?? null,
  credentials_rotated_at: now,
  last_error: null,
  updated_at: now,
})

export function unregisteredPeerStatements(db: Database, peerId: string, roles: CredentialsRole[], actor: string) {
  const now = Date.now()
  return [
    db.delete(credentialsTokens).where(eq(credentialsTokens.peer_id, peerId)),
    db.delete(peerRoles).where(eq(peerRoles.peer_id, peerId)),
    // SUSPENDED: "no longer active, will never connect anymore" (HubClientInfo ConnectionStatus); roles kept for the record.
    db.update(peers).set({ status: 'SUSPENDED', outbound_token: null, updated_at: now }).where(eq(peers.id, peerId)),
    ...ownClientInfoStatements(db, roles, 'SUSPENDED', now),
    auditEntry(db, { actor, action: 'credentials.unregistered', subject: peerId }, now),
  ]
}

/** Our other live tokens for this peer stop working after the grace period. */
export function expireOtherTokensStatement(db: Database, peerId: string, keepHash: string, expiresAt: number) {
  return db
    .update(credentialsTokens)
    .set({ expires_at: expiresAt })
    .where(and(eq(credentialsTokens.peer_id, peerId), ne(credentialsTokens.token_hash, keepHash), or(isNull(credentialsTokens.expires_at), gt(credentialsTokens.expires_at, expiresAt))))
}

/** Our token C for the peer, inserted only while `condition` holds (INSERT ... SELECT ... WHERE, so it fits a batch). */
export function issueTokenWhere(db: Database, token: { hash: string; peerId: string; now: number }, condition: SQL | undefined) {
  return db.insert(credentialsTokens).select(
    db
      .select({
        token_hash: sql<string>`${token.hash}`.as('token_hash'),
        peer_id: peers.id,
        kind: sql<'C'>`'C'`.as('kind'),
        created_at: sql<number>`${token.now}`.as('created_at'),
        expires_at: sql<null>`NULL`.as('expires_at'),
      })
      .from(peers)
      .where(and(eq(peers.id, token.peerId), condition)),
  )
}

/** True while the peer still holds a token A, i.e. has not completed registration. */
export const tokenAOutstanding = (db: Database, peerId: string) =>
  exists(db.select({ token_hash: credentialsTokens.token_hash }).from(credentialsTokens).where(and(eq(credentialsTokens.peer_id, peerId), eq(credentialsTokens.kind, 'A'))))
