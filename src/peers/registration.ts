import { ourVersionsUrl } from '../ocpi/urls'
import type { Env } from '../env'
import { auditEntry, runBatch } from '../db/batch'
import { type Database } from '../db/client'
import { databaseFor } from '../db/shards'
import type { RoleGrant } from '../db/schema'
import { credentialsFor, credentialsSchemas, type Credentials } from '../ocpi/objects/credentials'
import { peerSide, type Side } from './one-party-connection'
import { hashToken, newCredentialsToken } from '../ocpi/auth'
import { OcpiError, type OcpiStatusCode } from '../ocpi/errors'
import type { OcpiVersion } from '../ocpi/versions'
import type { IngestMode } from '../ocpi/ingest'
import { clientTimeout, ocpiRequest, OcpiClientError, type OcpiResponse } from './client'
import { invalidatePushPeers, peerOutbox } from '../push/publish'
import { discoverPeer, type PeerDiscovery } from './discovery'
import { refusal } from './grants'
import { listHostedParties, ourCredentialsRoles } from './parties'
import { canonicalCredentials, connectedPeerStatements, graceMs, isRegistered, judgeRoles, ourCredentialsIn, refuseRoles, tokenAccepted } from './peer-state'
import {
  deleteExpiredTokens, deletePeerStatements, deleteTokenStatement, expireOtherTokensStatement, getPeer, listPeerIds, listPeers, listPeersDueForRenewal,
  newPeerStatement, ownClientInfoStatements, peerFieldsStatement, tokenStatement, unregisteredPeerStatements, type Peer,
} from './store'

/** What the operator states about a peer when inviting or connecting it (docs/security.md, docs/management-api.md). */
export interface PeerSettings {
  name?: string
  extensions?: string[]
  /** Parties and roles the peer may hold; without it the first registration takes the free parties it names. */
  grants?: RoleGrant[]
  /** Our answer to the peer's credentials POST: 201 (default) or 200 for peers that accept only 200. */
  credentials_post_status?: 200 | 201
  /** How pushes from the peer are read: 'strict' (default) or 'tolerant' (src/ocpi/ingest.ts). */
  ingest?: IngestMode
  /** Our hosted party an OCPI 2.1.1 connection is with (2.1.1 credentials name one party). */
  party?: { country_code: string; party_id: string }
}
import { logError } from '../ocpi/log'

// One function per action we take on a peer, called by the management routes, the cron job and (renewal) other
// modules; what a peer does to us is in accept-registration.ts. Credentials, versions and hubclientinfo are
// configuration modules: "routing headers SHALL NOT be used with these modules" (transport_and_format, Message
// Routing), so no OCPI-from/to headers are sent here.

/**
 * A peer slot with token A: the peer registers with us by POSTing its credentials with it. `extensions` are the custom
 * modules agreed with it, so they are already listed in the version details it fetches with token A.
 */
export async function invitePeer(env: Env, options: PeerSettings = {}) {
  const db = databaseFor(env)
  const peerId = crypto.randomUUID()
  const token_a = newCredentialsToken()
  const now = Date.now()
  await runBatch(db, [
    newPeerStatement(db, { id: peerId, initiated_by: 'them', ...peerSettings(options) }, now),
    tokenStatement(db, { hash: await hashToken(token_a), peerId, kind: 'A', now }),
    auditEntry(db, { actor: 'admin', action: 'peer.invited', subject: peerId, detail: { grants: options.grants ?? null } }, now),
  ])
  return { peer_id: peerId, token_a, versions_url: ourVersionsUrl(env) }
}

/**
 * We register with a peer (we are the Sender of credentials.asciidoc): discover with their token A, issue our token B,
 * POST our credentials, store the token C they return. Any failure removes everything stored for the attempt.
 */
export async function connectToPeer(
  env: Env,
  request: { versions_url: string; token_a: string; version?: OcpiVersion } & PeerSettings,
): Promise<Peer> {
  const db = databaseFor(env)
  if ((await ourCredentialsRoles(db)).length === 0) throw new OcpiError(2001, 'Host a party first (POST /parties): credentials need at least one role', { path: 'roles' })
  // A 2.1.1 peer names no role: it is on the side the operator granted, else across from our parties.
  const side = peerSide({ roles: [], grants: request.grants }, await listHostedParties(db))
  // "In case the Sender ... cannot find the endpoints it expects, it is expected NOT to send the POST request".
  const discovery = await discoverPeer(env, request.versions_url, request.token_a, request.version, side)
  const peerId = crypto.randomUUID()
  const token = newCredentialsToken()
  const now = Date.now()
  // Token B must be known before the POST: the peer calls our versions and details with it while handling it.
  await runBatch(db, [
    newPeerStatement(db, { id: peerId, initiated_by: 'us', versions_url: request.versions_url, ...peerSettings(request) }, now),
    tokenStatement(db, { hash: await hashToken(token), peerId, kind: 'C', now }),
  ])
  try {
    const response = await ocpiRequest({
      method: 'POST',
      url: discovery.credentialsUrl,
      token: request.token_a,
      version: discovery.version,
      body: credentialsFor(discovery.version, await ourCredentialsIn(env, db, token, discovery.version, side, request.party)),
      timeoutMs: clientTimeout(env),
    })
    const theirs = acceptedCredentials(response, discovery.version, 'Registration', side)
    const peer = (await getPeer(db, peerId))!
    const decisions = await judgeRoles(db, peer, theirs, true)
    const refused = refusal(decisions)
    if (refused) {
      // The peer registered us already: tell it we do not keep the connection (best effort), then forget it.
      await ocpiRequest({ method: 'DELETE', url: discovery.credentialsUrl, token: theirs.token, version: discovery.version, timeoutMs: clientTimeout(env) }).catch(() => undefined)
      throw await refuseRoles(db, peerId, decisions, 'admin', refused)
    }
    const connectedAt = Date.now()
    await runBatch(db, [
      ...connectedPeerStatements(db, { peerId, theirs, discovery, decisions, actor: 'admin', now: connectedAt }),
      auditEntry(db, { actor: 'admin', action: 'credentials.registered', subject: peerId, detail: { version: discovery.version, initiated_by: 'us' } }, connectedAt),
    ])
  } catch (error) {
    await runBatch(db, deletePeerStatements(db, peerId))
    throw asRegistrationError(error)
  }
  invalidatePushPeers()
  return (await getPeer(db, peerId))!
}

/**
 * New credentials both ways: a new token for the peer, PUT at its credentials endpoint (optionally of another version,
 * which switches the connection to it), and the token it returns stored. Our previous tokens stay valid for
 * TOKEN_GRACE_SECONDS so requests the peer already has in flight are not dropped. Also publishes our current roles (B8.2).
 */
export async function renewCredentials(env: Env, peerId: string, options: { version?: OcpiVersion; actor?: string } = {}): Promise<Peer> {
  const db = databaseFor(env)
  const peer = await requireRegisteredPeer(db, peerId)
  const side = peerSide(peer, await listHostedParties(db))
  let discovery: PeerDiscovery | undefined
  if (options.version && options.version !== peer.version) discovery = await discoverPeer(env, peer.versions_url!, peer.outbound_token!, options.version, side)
  const version = (discovery?.version ?? peer.version) as OcpiVersion
  const credentialsUrl = discovery?.credentialsUrl ?? peer.endpoints.find((endpoint) => endpoint.identifier === 'credentials')?.url
  if (!credentialsUrl) throw new OcpiError(3003, 'The peer has no credentials endpoint on record: refresh it first')
  const token = newCredentialsToken()
  const tokenHash = await hashToken(token)
  // Stored before the PUT: the peer fetches our versions and details with the new token while handling it.
  await tokenStatement(db, { hash: tokenHash, peerId, kind: 'C', now: Date.now() })
  try {
    const response = await ocpiRequest({
      method: 'PUT',
      url: credentialsUrl,
      token: peer.outbound_token!,
      version,
      body: credentialsFor(version, await ourCredentialsIn(env, db, token, version, side, peer.own_party)),
      timeoutMs: clientTimeout(env),
    })
    const theirs = acceptedCredentials(response, version, 'Credentials update', side)
    // The roles in its answer follow the rule too; a refused one is simply not taken (the renewal itself stands).
    const decisions = await judgeRoles(db, peer, theirs, false)
    const now = Date.now()
    await runBatch(db, [
      ...connectedPeerStatements(db, { peerId, theirs, discovery: discovery ?? { version }, decisions, actor: options.actor ?? 'admin', now }),
      expireOtherTokensStatement(db, peerId, tokenHash, now + graceMs(env)),
      auditEntry(db, { actor: options.actor ?? 'admin', action: 'credentials.renewed', subject: peerId, detail: { version } }, now),
    ])
  } catch (error) {
    const failure = asRegistrationError(error)
    await runBatch(db, [deleteTokenStatement(db, tokenHash), lastErrorStatement(db, peerId, failure)])
    throw failure
  }
  invalidatePushPeers()
  await resumeHeldOutbox(env, peer)
  return (await getPeer(db, peerId))!
}

/**
 * After credentials were renewed or refreshed: the peer's outbox reads the peer again, and a token-rejected peer's held
 * outbox is sent at once, in order.
 */
export async function resumeHeldOutbox(env: Env, peer: Pick<Peer, 'id' | 'token_rejected_at'>): Promise<void> {
  const outbox = peerOutbox(env, peer.id)
  // The outbox uses the peer as it read it for up to a second (peer-outbox.ts, PEER_READ_MS): it must see the new token.
  if (peer.token_rejected_at !== null) await outbox.retryNow()
  else await outbox.peerChanged()
}

/** DELETE our credentials at the peer (best effort: an unreachable peer is still unregistered here) and revoke our tokens. */
export async function unregisterPeer(env: Env, peerId: string): Promise<Peer> {
  const db = databaseFor(env)
  const peer = await getPeer(db, peerId)
  if (!peer) throw OcpiError.unknownObject(`peer ${peerId}`)
  let remoteError: string | undefined
  const credentialsUrl = peer.endpoints.find((endpoint) => endpoint.identifier === 'credentials')?.url
  if (isRegistered(peer.status) && peer.outbound_token && credentialsUrl) {
    try {
      const response = await ocpiRequest({ method: 'DELETE', url: credentialsUrl, token: peer.outbound_token, version: peer.version, timeoutMs: clientTimeout(env) })
      if (response.http_status >= 300 || response.status_code !== 1000) remoteError = `DELETE ${credentialsUrl}: HTTP ${response.http_status}, status_code ${response.status_code}`
    } catch (error) {
      remoteError = error instanceof Error ? error.message : String(error)
    }
  }
  await runBatch(db, [
    ...unregisteredPeerStatements(db, peerId, peer.roles, 'admin'),
    ...(remoteError ? [peerFieldsStatement(db, peerId, { last_error: `Unregistered locally; the peer was not told: ${remoteError}` })] : []),
  ])
  invalidatePushPeers()
  await peerOutbox(env, peerId).purge()
  return (await getPeer(db, peerId))!
}

/**
 * Re-fetch the peer's versions and details (B8.3). The current version is kept while the peer still offers it (or the
 * one asked for is switched to, through a credentials PUT); an unreachable peer is marked OFFLINE until it answers.
 */
export async function refreshPeer(env: Env, peerId: string, options: { version?: OcpiVersion } = {}): Promise<Peer> {
  const db = databaseFor(env)
  const peer = await requireRegisteredPeer(db, peerId)
  if (options.version && options.version !== peer.version) return renewCredentials(env, peerId, { version: options.version })
  const side = peerSide(peer, await listHostedParties(db))
  let discovery: PeerDiscovery
  try {
    discovery = await discoverPeer(env, peer.versions_url!, peer.outbound_token!, peer.version as OcpiVersion, side)
  } catch (error) {
    if (!(error instanceof OcpiError) || error.status_code !== 3002) {
      const failure = asRegistrationError(error)
      const now = Date.now()
      const offline = failure.status_code === 3001
      await runBatch(db, [
        peerFieldsStatement(db, peerId, { ...(offline ? { status: 'OFFLINE' as const } : {}), last_error: failure.message, updated_at: now }),
        ...(offline ? ownClientInfoStatements(db, peer.roles, 'OFFLINE', now) : []),
      ])
      throw failure
    }
    // Our version is no longer offered by the peer: move to the best mutual one ("Updating to a newer version").
    return renewCredentials(env, peerId, { version: (await discoverPeer(env, peer.versions_url!, peer.outbound_token!, undefined, side)).version })
  }
  const now = Date.now()
  await runBatch(db, [
    // The peer answered our versions and details with our token: it accepts it again.
    peerFieldsStatement(db, peerId, { status: 'CONNECTED', endpoints: discovery.endpoints, ...tokenAccepted, last_error: null, updated_at: now }),
    ...(peer.status !== 'CONNECTED' ? ownClientInfoStatements(db, peer.roles, 'CONNECTED', now) : []),
  ])
  invalidatePushPeers()
  await resumeHeldOutbox(env, peer)
  return (await getPeer(db, peerId))!
}

/**
 * Replaces the custom modules agreed with a peer (ids already checked against the ones we implement). Takes effect at
 * once for our side; the peer sees the change in our version details the next time it fetches them.
 */
export async function setPeerExtensions(env: Env, peerId: string, extensions: string[]): Promise<Peer> {
  const db = databaseFor(env)
  const peer = await getPeer(db, peerId)
  if (!peer) throw OcpiError.unknownObject(`peer ${peerId}`)
  const now = Date.now()
  await runBatch(db, [
    peerFieldsStatement(db, peerId, { extensions, updated_at: now }),
    auditEntry(db, { actor: 'admin', action: 'peer.extensions.changed', subject: peerId, detail: { before: peer.extensions, after: extensions } }, now),
  ])
  invalidatePushPeers()
  // Agreed extensions decide which of its endpoints the outbox may push to.
  await peerOutbox(env, peerId).peerChanged()
  return (await getPeer(db, peerId))!
}

/** Changes what the operator states about a peer after registration (today: how its pushes are read). */
export async function updatePeerSettings(env: Env, peerId: string, settings: Pick<PeerSettings, 'ingest'>): Promise<Peer> {
  const db = databaseFor(env)
  const peer = await getPeer(db, peerId)
  if (!peer) throw OcpiError.unknownObject(`peer ${peerId}`)
  const now = Date.now()
  if (settings.ingest !== undefined && settings.ingest !== peer.ingest) {
    await runBatch(db, [
      peerFieldsStatement(db, peerId, { ingest: settings.ingest, updated_at: now }),
      auditEntry(db, { actor: 'admin', action: 'peer.ingest.changed', subject: peerId, detail: { before: peer.ingest, after: settings.ingest } }, now),
    ])
  }
  return (await getPeer(db, peerId))!
}

/**
 * Sends our current roles to every connected peer (credentials PUT, B8.2) and reports each peer's outcome, so callers
 * such as a party migration can show which peers still have to be told.
 */
export async function publishRolesToPeers(env: Env, actor = 'roles-changed'): Promise<Record<string, string>> {
  const connected = (await listPeers(databaseFor(env))).filter((peer) => peer.status === 'CONNECTED')
  const outcomes = await Promise.all(connected.map(async (peer) => {
    const outcome = await renewCredentials(env, peer.id, { actor })
      .then(() => 'UPDATED', (error: unknown) => `FAILED: ${error instanceof Error ? error.message : String(error)}`)
    return [peer.id, outcome] as const
  }))
  return Object.fromEntries(outcomes)
}

const DAY_MS = 24 * 3600 * 1000

/**
 * Cron: rotate credentials older than CREDENTIALS_MAX_AGE_DAYS and drop tokens whose grace period is over. Two
 * platforms registered with each other see their credentials go stale at the same cron tick; renewing from both sides
 * at once would cross the two PUTs. So the side that initiated the registration renews on time and the other side only
 * a day later, as a fallback for peers that never renew: normally the first renewal refreshes both sides.
 */
export async function rotateStaleCredentials(env: Env, now = Date.now()): Promise<void> {
  const db = databaseFor(env)
  const maxAgeMs = (Number(env.CREDENTIALS_MAX_AGE_DAYS) || 30) * DAY_MS
  await deleteExpiredTokens(db, now)
  const stale = await listPeersDueForRenewal(db, { initiator: now - maxAgeMs, other: now - maxAgeMs - DAY_MS })
  await Promise.all(stale.map((peerId) => renewCredentials(env, peerId, { actor: 'cron' })
    .catch((error: unknown) => logError(`credentials renewal for peer ${peerId} failed`, error))))
}

/** Cron: try OFFLINE peers again (a refresh), so a peer that is back becomes CONNECTED without an operator. */
export async function recheckOfflinePeers(env: Env): Promise<void> {
  const offline = await listPeerIds(databaseFor(env), 'OFFLINE')
  await Promise.allSettled(offline.map((peerId) => refreshPeer(env, peerId)))
}

async function requireRegisteredPeer(db: Database, peerId: string): Promise<Peer> {
  const peer = await getPeer(db, peerId)
  if (!peer) throw OcpiError.unknownObject(`peer ${peerId}`)
  if (!isRegistered(peer.status) || !peer.outbound_token || !peer.versions_url) {
    throw new OcpiError(2000, `Peer ${peerId} is ${peer.status}, not registered`, { http_status: 409 })
  }
  return peer
}

const lastErrorStatement = (db: Database, peerId: string, error: OcpiError) => peerFieldsStatement(db, peerId, { last_error: error.message, updated_at: Date.now() })

const peerSettings = (settings: PeerSettings) => ({
  name: settings.name ?? null,
  extensions: settings.extensions ?? [],
  grants: settings.grants?.map((grant) => ({ country_code: grant.country_code.toUpperCase(), party_id: grant.party_id.toUpperCase(), role: grant.role })) ?? null,
  credentials_post_status: settings.credentials_post_status ?? 201,
  ingest: settings.ingest ?? 'strict',
  own_party: settings.party ? { country_code: settings.party.country_code.toUpperCase(), party_id: settings.party.party_id.toUpperCase() } : null,
})

/** The Credentials in a successful POST/PUT answer, in the version of the endpoint called. */
function acceptedCredentials(response: OcpiResponse, version: OcpiVersion, what: string, side: Side | undefined): Credentials {
  if (response.http_status >= 300 || response.status_code !== 1000) {
    const code = isPeerErrorCode(response.status_code) ? response.status_code : 3001
    throw new OcpiError(code, `${what} refused by the peer: HTTP ${response.http_status}, status_code ${response.status_code} ${response.status_message ?? ''}`.trim())
  }
  const parsed = credentialsSchemas[version].safeParse(response.data)
  if (!parsed.success) {
    const [issue] = parsed.error.issues
    throw new OcpiError(3001, `${what}: the peer answered invalid credentials at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`)
  }
  return canonicalCredentials(parsed.data, side)
}

const PEER_ERROR_CODES: readonly number[] = [2000, 2001, 2002, 3000, 3001, 3002, 3003]
const isPeerErrorCode = (code: number): code is OcpiStatusCode => PEER_ERROR_CODES.includes(code)

function asRegistrationError(error: unknown): OcpiError {
  if (error instanceof OcpiError) return error
  if (error instanceof OcpiClientError) return new OcpiError(3001, `Unable to use the peer's API: ${error.message}`)
  logError('registration failed', error)
  return new OcpiError(3000, error instanceof Error ? error.message : String(error))
}
