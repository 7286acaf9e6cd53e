import type { Env } from '../env'
import { auditEntry, runBatch } from '../db/batch'
import type { Database } from '../db/client'
import type { Credentials, Credentials211 } from '../ocpi/objects/credentials'
import { hashToken, newCredentialsToken } from '../ocpi/auth'
import type { PeerContext } from '../ocpi/context'
import { OcpiError } from '../ocpi/errors'
import type { OcpiVersion } from '../ocpi/versions'
import { invalidatePushPeers, peerOutbox } from '../push/publish'
import { discoverPeer } from './discovery'
import { freePartiesTaken, refusal } from './grants'
import { listHostedParties, ourCredentialsRoles } from './parties'
import { peerSide } from './one-party-connection'
import { canonicalCredentials, connectedPeerStatements, graceMs, isRegistered, judgeRoles, ourCredentialsIn, refuseRoles } from './peer-state'
import { resumeHeldOutbox } from './registration'
import {
  auditEntryWhere, deleteTokenAStatement, expireOtherTokensStatement, getPeer, issueTokenWhere, registrationStillOpen, tokenIssued,
  tokenStatement, unregisteredPeerStatements, type Peer,
} from './store'

// The peer calls our credentials endpoint (credentials.asciidoc): the server side of registration, update and unregistration.

/** A credentials POST or PUT body as read in the version called (2.1.1: one party, no role). */
type TheirCredentials = Credentials | Credentials211

const alreadyRegistered = () => new OcpiError(2000, 'Already registered: use PUT to update credentials', { http_status: 405 })

/**
 * Credentials POST with token A: judge the roles it names (docs/security.md, "Role grants"), fetch the peer's endpoints
 * in this version, store them, return token C (credentials.asciidoc) and the HTTP status the operator chose for it.
 */
export async function acceptRegistration(
  env: Env, db: Database, caller: PeerContext, version: OcpiVersion, body: TheirCredentials,
): Promise<{ credentials: Credentials; http_status: Peer['credentials_post_status'] }> {
  // "This method MUST return a HTTP status code 405: method not allowed if the client has already been registered before."
  if (caller.tokenKind !== 'A' || caller.status !== 'PENDING') throw alreadyRegistered()
  if ((await ourCredentialsRoles(db)).length === 0) throw new OcpiError(3000, 'This platform hosts no party yet: it has no roles to register with')
  const peer = (await getPeer(db, caller.id))!
  const { actor, theirs, decisions, discovery, token, tokenHash, now, side } = await judgeAndDiscover(env, db, peer, version, body, true)
  // D1 has no interactive transactions: the first statement decides the winner of POSTs racing with one token A (it
  // still finds token A, and nobody took the free parties it claims meanwhile) by issuing its token C; every later
  // statement runs only if that token exists, so a loser's batch writes nothing at all.
  const won = tokenIssued(db, tokenHash)
  const [issued] = await db.batch([
    issueTokenWhere(db, { hash: tokenHash, peerId: peer.id, now }, registrationStillOpen(db, peer.id, freePartiesTaken(decisions))),
    // "The CREDENTIALS_TOKEN_A can then be thrown away, it MAY no longer be used."
    deleteTokenAStatement(db, peer.id, won),
    ...connectedPeerStatements(db, { peerId: peer.id, theirs, discovery, decisions, actor, now }, won),
    auditEntryWhere(db, { actor, action: 'credentials.registered', subject: peer.id, detail: { version, initiated_by: 'them' } }, now, won),
  ])
  if (issued.meta.changes === 0) {
    // Lost the race: to another POST with the same token A (405, as after any registration), or for a party another
    // peer took meanwhile (the refusal that party now gets).
    const current = await getPeer(db, peer.id)
    if (current?.status !== 'PENDING') throw alreadyRegistered()
    const again = await judgeRoles(db, current, theirs, true)
    const lateRefusal = refusal(again)
    if (lateRefusal) throw await refuseRoles(db, peer.id, again, actor, lateRefusal)
    throw alreadyRegistered()
  }
  invalidatePushPeers()
  return { credentials: await ourCredentialsIn(env, db, token, version, side, peer.own_party), http_status: peer.credentials_post_status }
}

/**
 * Credentials PUT: judge the roles again (new parties are pending, claims on others' parties refused with nothing
 * changed), switch to this version, re-fetch the peer's endpoints, rotate the token we issued (old one kept for the
 * grace period).
 */
export async function acceptCredentialsUpdate(env: Env, db: Database, caller: PeerContext, version: OcpiVersion, body: TheirCredentials): Promise<Credentials> {
  // "This method MUST return a HTTP status code 405: method not allowed if the client has not been registered yet."
  if (caller.tokenKind !== 'C' || !isRegistered(caller.status)) throw new OcpiError(2000, 'Not registered: use POST to register first', { http_status: 405 })
  const peer = (await getPeer(db, caller.id))!
  const { actor, theirs, decisions, discovery, token, tokenHash, now, side } = await judgeAndDiscover(env, db, peer, version, body, false)
  await runBatch(db, [
    ...connectedPeerStatements(db, { peerId: peer.id, theirs, discovery, decisions, actor, now }),
    tokenStatement(db, { hash: tokenHash, peerId: peer.id, kind: 'C', now }),
    expireOtherTokensStatement(db, peer.id, tokenHash, now + graceMs(env)),
    auditEntry(db, { actor, action: 'credentials.updated', subject: peer.id, detail: { version } }, now),
  ])
  invalidatePushPeers()
  await resumeHeldOutbox(env, peer)
  return ourCredentialsIn(env, db, token, version, side, peer.own_party)
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

/**
 * What a credentials POST and PUT do first, before storing anything: judge the roles the peer names (a refusal is
 * audited and thrown), read its versions and endpoints, and mint the token we give it.
 */
async function judgeAndDiscover(env: Env, db: Database, peer: Peer, version: OcpiVersion, body: TheirCredentials, firstRegistration: boolean) {
  const actor = `peer:${peer.id}`
  // A 2.1.1 party has no role in its Credentials: it takes the side the connection implies.
  const side = peerSide(peer, await listHostedParties(db))
  const theirs = canonicalCredentials(body, side)
  const decisions = await judgeRoles(db, peer, theirs, firstRegistration)
  const refused = refusal(decisions)
  if (refused) throw await refuseRoles(db, peer.id, decisions, actor, refused)
  const discovery = await discoverPeer(env, theirs.url, theirs.token, version, side)
  const token = newCredentialsToken()
  return { actor, theirs, decisions, discovery, token, tokenHash: await hashToken(token), now: Date.now(), side }
}
