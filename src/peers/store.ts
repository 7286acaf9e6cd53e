import { and, eq, exists, gt, inArray, isNotNull, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm'
import { auditEntry } from '../db/batch'
import type { Database } from '../db/client'
import { auditLog, credentialsTokens, peerRoles, peers, type CredentialsRole, type PeerStatus, type PendingRole, type RoleGrant } from '../db/schema'
import { ownClientInfoStatementWhere, ownClientInfoStatements } from './client-info-store'
import { hashToken } from '../ocpi/auth'
import type { PartyRef } from '../ocpi/context'

// Every D1 statement about peers, their tokens and their roles. Registration (registration.ts, accept-registration.ts)
// decides; this file only reads and writes, and builds statements for the callers' batches.

export type Peer = typeof peers.$inferSelect
export type NewPeer = Pick<typeof peers.$inferInsert, 'id' | 'name' | 'initiated_by' | 'versions_url' | 'extensions' | 'grants' | 'credentials_post_status' | 'ingest' | 'own_party'>

/** The peer states in which a peer holds its roles. */
const REGISTERED: PeerStatus[] = ['CONNECTED', 'OFFLINE']

export async function findPeerByTokenHash(db: Database, tokenHash: string, now = Date.now()) {
  const [row] = await db
    .select({ peer: peers, kind: credentialsTokens.kind, token_hash: credentialsTokens.token_hash, expires_at: credentialsTokens.expires_at })
    .from(credentialsTokens)
    .innerJoin(peers, eq(peers.id, credentialsTokens.peer_id))
    .where(and(eq(credentialsTokens.token_hash, tokenHash), or(isNull(credentialsTokens.expires_at), gt(credentialsTokens.expires_at, now))))
    .limit(1)
  return row
}

export async function getPeer(db: Database, id: string): Promise<Peer | undefined> {
  const [row] = await db.select().from(peers).where(eq(peers.id, id)).limit(1)
  return row
}

/** Peers that hold their roles (CONNECTED, or OFFLINE until they are back): the audience of pushes. */
export async function listConnectedPeers(db: Database): Promise<Peer[]> {
  return db.select().from(peers).where(inArray(peers.status, ['CONNECTED', 'OFFLINE']))
}

export async function listPeers(db: Database): Promise<Peer[]> {
  return db.select().from(peers).orderBy(peers.created_at)
}

export async function listPeerIds(db: Database, status: PeerStatus): Promise<string[]> {
  return (await db.select({ id: peers.id }).from(peers).where(eq(peers.status, status))).map((row) => row.id)
}

/** Connected peers whose credentials are due: see rotateStaleCredentials for who renews when. */
export async function listPeersDueForRenewal(db: Database, rotatedBefore: { initiator: number; other: number }): Promise<string[]> {
  const rows = await db
    .select({ id: peers.id })
    .from(peers)
    .where(and(
      eq(peers.status, 'CONNECTED'),
      or(
        isNull(peers.credentials_rotated_at),
        and(eq(peers.initiated_by, 'us'), lt(peers.credentials_rotated_at, rotatedBefore.initiator)),
        lt(peers.credentials_rotated_at, rotatedBefore.other),
      ),
    ))
  return rows.map((row) => row.id)
}

/** Stores a token we issue, hashed; kind 'A' tokens only open versions and credentials. */
export async function issueToken(db: Database, peerId: string, token: string, kind: 'A' | 'C', now = Date.now()) {
  await db.insert(credentialsTokens).values({ token_hash: await hashToken(token), peer_id: peerId, kind, created_at: now })
}

export const tokenStatement = (db: Database, token: { hash: string; peerId: string; kind: 'A' | 'C'; now: number }) =>
  db.insert(credentialsTokens).values({ token_hash: token.hash, peer_id: token.peerId, kind: token.kind, created_at: token.now })

export const deleteTokenStatement = (db: Database, tokenHash: string) => db.delete(credentialsTokens).where(eq(credentialsTokens.token_hash, tokenHash))

export const deleteExpiredTokens = (db: Database, now: number) =>
  db.delete(credentialsTokens).where(and(isNotNull(credentialsTokens.expires_at), lt(credentialsTokens.expires_at, now)))

export const newPeerStatement = (db: Database, peer: NewPeer, now: number) =>
  db.insert(peers).values({ ...peer, status: 'PENDING', extensions: peer.extensions ?? [], created_at: now, updated_at: now })

/** A peer and everything it was issued, gone (a registration attempt of ours that failed). */
export const deletePeerStatements = (db: Database, peerId: string) => [
  db.delete(credentialsTokens).where(eq(credentialsTokens.peer_id, peerId)),
  db.delete(peers).where(eq(peers.id, peerId)),
] as const

export const peerFieldsStatement = (db: Database, peerId: string, fields: Partial<Omit<Peer, 'id'>>, condition?: SQL) =>
  db.update(peers).set(fields).where(and(eq(peers.id, peerId), condition))

/** Peers whose granted roles include this party (a hub peer may represent many). */
export async function peersRepresenting(db: Database, party: { country_code: string; party_id: string }): Promise<string[]> {
  const rows = await db
    .selectDistinct({ peer_id: peerRoles.peer_id })
    .from(peerRoles)
    .where(and(eq(peerRoles.country_code, party.country_code.toUpperCase()), eq(peerRoles.party_id, party.party_id.toUpperCase())))
  return rows.map((row) => row.peer_id)
}

/** Which of these parties registered peers other than `peerId` hold (one bound parameter however many parties). */
export async function partiesHeldByOthers(db: Database, peerId: string, parties: readonly PartyRef[]): Promise<(PartyRef & { peer_id: string })[]> {
  if (parties.length === 0) return []
  const keys = JSON.stringify([...new Set(parties.map((party) => `${party.country_code.toUpperCase()}*${party.party_id.toUpperCase()}`))])
  return db
    .selectDistinct({ country_code: peerRoles.country_code, party_id: peerRoles.party_id, peer_id: peerRoles.peer_id })
    .from(peerRoles)
    .innerJoin(peers, eq(peers.id, peerRoles.peer_id))
    .where(and(
      ne(peerRoles.peer_id, peerId),
      inArray(peers.status, REGISTERED),
      sql`(${peerRoles.country_code} || '*' || ${peerRoles.party_id}) IN (SELECT value FROM json_each(${keys}))`,
    ))
}

/**
 * Replaces the peer's granted and pending roles, keeping the per-party index in step (one batch, so all change
 * together). With `condition`, every statement applies only while it holds (the winner of a registration race).
 */
export function replacePeerRolesStatements(db: Database, peerId: string, roles: CredentialsRole[], pending: PendingRole[] = [], condition?: SQL) {
  const rows = JSON.stringify(roles.map((role) => ({ country_code: role.country_code.toUpperCase(), party_id: role.party_id.toUpperCase(), role: role.role })))
  return [
    db.update(peers).set({ roles, pending_roles: pending, updated_at: Date.now() }).where(and(eq(peers.id, peerId), condition)),
    db.delete(peerRoles).where(and(eq(peerRoles.peer_id, peerId), condition)),
    // INSERT ... SELECT over one JSON parameter: any number of roles in one statement, and conditioned like the rest.
    db.insert(peerRoles).select(sql`SELECT ${peerId}, json_extract(value, '$.country_code'), json_extract(value, '$.party_id'), json_extract(value, '$.role')
      FROM json_each(${rows}) WHERE ${condition ?? sql`1`}`).onConflictDoNothing(),
  ] as const
}

/** Sets what the operator lets the peer hold (null: nothing stated). */
export const grantsStatement = (db: Database, peerId: string, grants: RoleGrant[] | null, now: number) =>
  db.update(peers).set({ grants, updated_at: now }).where(eq(peers.id, peerId))

/** An audit_log row written only while `condition` holds. */
export function auditEntryWhere(db: Database, entry: { actor: string; action: string; subject: string; detail?: Record<string, unknown> }, now: number, condition: SQL) {
  const detail = entry.detail === undefined ? null : JSON.stringify(entry.detail)
  return db.insert(auditLog).select(sql`SELECT NULL, ${now}, ${entry.actor}, ${entry.action}, ${entry.subject}, ${detail} WHERE ${condition}`)
}

/** True once our token with this hash exists: the condition of every statement of a registration batch after the first. */
export const tokenIssued = (db: Database, tokenHash: string) =>
  exists(db.select({ token_hash: credentialsTokens.token_hash }).from(credentialsTokens).where(eq(credentialsTokens.token_hash, tokenHash)))

/** True while the peer still holds a token A, i.e. has not completed registration. */
export const tokenAOutstanding = (db: Database, peerId: string) =>
  exists(db.select({ token_hash: credentialsTokens.token_hash }).from(credentialsTokens).where(and(eq(credentialsTokens.peer_id, peerId), eq(credentialsTokens.kind, 'A'))))

/**
 * No registered peer but `peerId` holds any of these parties: re-checked inside the batch that takes them, so two
 * peers registering for the same free party at once cannot both get it.
 */
export function partiesStillFree(db: Database, peerId: string, parties: readonly PartyRef[]): SQL {
  if (parties.length === 0) return sql`1`
  const keys = JSON.stringify(parties.map((party) => `${party.country_code.toUpperCase()}*${party.party_id.toUpperCase()}`))
  return sql`NOT EXISTS (SELECT 1 FROM ${peerRoles} INNER JOIN ${peers} ON ${peers.id} = ${peerRoles.peer_id}
    WHERE ${peerRoles.peer_id} <> ${peerId} AND ${peers.status} IN ('CONNECTED', 'OFFLINE')
    AND (${peerRoles.country_code} || '*' || ${peerRoles.party_id}) IN (SELECT value FROM json_each(${keys})))`
}

/** A registration may still complete: token A outstanding, the peer PENDING, and the free parties it takes still free. */
export const registrationStillOpen = (db: Database, peerId: string, freeParties: readonly PartyRef[]) =>
  and(tokenAOutstanding(db, peerId), eq(peers.status, 'PENDING'), partiesStillFree(db, peerId, freeParties))

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

/** The token A of a peer, spent ("it MAY no longer be used"). */
export const deleteTokenAStatement = (db: Database, peerId: string, condition?: SQL) =>
  db.delete(credentialsTokens).where(and(eq(credentialsTokens.peer_id, peerId), eq(credentialsTokens.kind, 'A'), condition))

/** Our other live tokens for this peer stop working after the grace period. */
export function expireOtherTokensStatement(db: Database, peerId: string, keepHash: string, expiresAt: number) {
  return db
    .update(credentialsTokens)
    .set({ expires_at: expiresAt })
    .where(and(eq(credentialsTokens.peer_id, peerId), ne(credentialsTokens.token_hash, keepHash), or(isNull(credentialsTokens.expires_at), gt(credentialsTokens.expires_at, expiresAt))))
}

/** Unregistered: tokens and the roles index gone, SUSPENDED ("will never connect anymore"); roles kept for the record. */
export function unregisteredPeerStatements(db: Database, peerId: string, roles: CredentialsRole[], actor: string) {
  const now = Date.now()
  return [
    db.delete(credentialsTokens).where(eq(credentialsTokens.peer_id, peerId)),
    db.delete(peerRoles).where(eq(peerRoles.peer_id, peerId)),
    db.update(peers).set({ status: 'SUSPENDED', outbound_token: null, updated_at: now }).where(eq(peers.id, peerId)),
    ...ownClientInfoStatements(db, roles, 'SUSPENDED', now),
    auditEntry(db, { actor, action: 'credentials.unregistered', subject: peerId }, now),
  ]
}

export { ownClientInfoStatementWhere, ownClientInfoStatements }

/**
 * One more HTTP 401 from the peer: the streak grows, and reaching `limit` marks the peer token-rejected (once; the
 * first time is kept). Returns the streak and whether this call marked it; undefined for a peer not registered.
 */
export async function recordUnauthorized(db: Database, peerId: string, limit: number, now = Date.now()) {
  const [row] = await db
    .update(peers)
    .set({
      unauthorized_streak: sql`${peers.unauthorized_streak} + 1`,
      token_rejected_at: sql`CASE WHEN ${peers.token_rejected_at} IS NULL AND ${peers.unauthorized_streak} + 1 >= ${limit} THEN ${now} ELSE ${peers.token_rejected_at} END`,
    })
    .where(and(eq(peers.id, peerId), inArray(peers.status, REGISTERED)))
    .returning({ unauthorized_streak: peers.unauthorized_streak, token_rejected_at: peers.token_rejected_at })
  return row && { streak: row.unauthorized_streak, marked: row.token_rejected_at === now }
}

/** The peer answered something other than 401: the streak starts over (the token-rejected mark stays until renewal). */
export const resetUnauthorized = (db: Database, peerId: string) =>
  db.update(peers).set({ unauthorized_streak: 0 }).where(and(eq(peers.id, peerId), gt(peers.unauthorized_streak, 0)))
