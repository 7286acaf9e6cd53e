import { and, eq } from 'drizzle-orm'
import type { Env } from '../env'
import { auditEntry, runBatch } from '../db/batch'
import type { Database } from '../db/client'
import { credentialsTokens, peers } from '../db/schema'
import type { Credentials } from '../ocpi/objects/credentials'
import { ownClientInfoStatements } from './client-info-store'
import { hashToken, newCredentialsToken } from '../ocpi/auth'
import type { PeerContext } from '../ocpi/context'
import { OcpiError } from '../ocpi/errors'
import type { OcpiVersion } from '../ocpi/versions'
import { invalidatePushPeers, peerOutbox } from '../push/publish'
import { discoverPeer } from './discovery'
import { ourCredentialsRoles } from './parties'
import {
  connectedPeerFields, connectedPeerStatements, expireOtherTokensStatement, graceMs, isRegistered, issueTokenWhere, ourCredentials,
  tokenAOutstanding, unregisteredPeerStatements,
} from './peer-state'
import { replacePeerRolesStatements } from './store'

// The peer calls our credentials endpoint (credentials.asciidoc): the server side of registration, update and unregistration.

/** Credentials POST with token A: fetch the peer's endpoints in this version, store them, return token C (credentials.asciidoc). */
export async function acceptRegistration(env: Env, db: Database, peer: PeerContext, version: OcpiVersion, theirs: Credentials): Promise<Credentials> {
  // "This method MUST return a HTTP status code 405: method not allowed if the client has already been registered before."
  if (peer.tokenKind !== 'A' || peer.status !== 'PENDING') throw new OcpiError(2000, 'Already registered: use PUT to update credentials', { http_status: 405 })
  if ((await ourCredentialsRoles(db)).length === 0) throw new OcpiError(3000, 'This platform hosts no party yet: it has no roles to register with')
  const discovery = await discoverPeer(env, theirs.url, theirs.token, version)
  const token = newCredentialsToken()
  const tokenHash = await hashToken(token)
  const now = Date.now()
  // Two POSTs racing with the same token A: only the batch that still finds token A issues a token C and updates the
  // peer; the other answers 405, as a POST after registration does (its roles, the same peer's, may still be written).
  const tokenAValid = tokenAOutstanding(db, peer.id)
  const [issued] = await db.batch([
    issueTokenWhere(db, { hash: tokenHash, peerId: peer.id, now }, tokenAValid),
    db.update(peers).set(connectedPeerFields(theirs, discovery, now)).where(and(eq(peers.id, peer.id), tokenAValid)),
    // "The CREDENTIALS_TOKEN_A can then be thrown away, it MAY no longer be used."
    db.delete(credentialsTokens).where(and(eq(credentialsTokens.peer_id, peer.id), eq(credentialsTokens.kind, 'A'))),
    ...replacePeerRolesStatements(db, peer.id, theirs.roles),
    ...ownClientInfoStatements(db, theirs.roles, 'CONNECTED', now),
    auditEntry(db, { actor: `peer:${peer.id}`, action: 'credentials.registered', subject: peer.id, detail: { version, initiated_by: 'them' } }, now),
  ])
  if (issued.meta.changes === 0) throw new OcpiError(2000, 'Already registered: use PUT to update credentials', { http_status: 405 })
  invalidatePushPeers()
  return ourCredentials(env, db, token)
}

/** Credentials PUT: switch to this version, re-fetch the peer's endpoints, rotate the token we issued (old one kept for the grace period). */
export async function acceptCredentialsUpdate(env: Env, db: Database, peer: PeerContext, version: OcpiVersion, theirs: Credentials): Promise<Credentials> {
  // "This method MUST return a HTTP status code 405: method not allowed if the client has not been registered yet."
  if (peer.tokenKind !== 'C' || !isRegistered(peer.status)) throw new OcpiError(2000, 'Not registered: use POST to register first', { http_status: 405 })
  const discovery = await discoverPeer(env, theirs.url, theirs.token, version)
  const token = newCredentialsToken()
  const tokenHash = await hashToken(token)
  const now = Date.now()
  await runBatch(db, [
    ...connectedPeerStatements(db, peer.id, theirs, discovery, now),
    db.insert(credentialsTokens).values({ token_hash: tokenHash, peer_id: peer.id, kind: 'C', created_at: now }),
    expireOtherTokensStatement(db, peer.id, tokenHash, now + graceMs(env)),
    auditEntry(db, { actor: `peer:${peer.id}`, action: 'credentials.updated', subject: peer.id, detail: { version } }, now),
  ])
  invalidatePushPeers()
  return ourCredentials(env, db, token)
}

/** Credentials DELETE: the peer unregisters; both sides end all automated communication. */
export async function acceptUnregistration(env: Env, db: Database, peer: PeerContext): Promise<void> {
  // "This method MUST return a HTTP status code 405: method not allowed if the client has not been registered before."
  if (peer.tokenKind !== 'C' || !isRegistered(peer.status)) throw new OcpiError(2000, 'Not registered', { http_status: 405 })
  await runBatch(db, unregisteredPeerStatements(db, peer.id, peer.roles, `peer:${peer.id}`))
  invalidatePushPeers()
  // "Both parties must end any automated communication": drop what is still queued for them.
  await peerOutbox(env, peer.id).purge()
}
