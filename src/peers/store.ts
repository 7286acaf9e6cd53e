import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm'
import type { Database } from '../db/client'
import { credentialsTokens, peerRoles, peers, type CredentialsRole } from '../db/schema'
import { hashToken } from '../ocpi/auth'

export type Peer = typeof peers.$inferSelect

export async function findPeerByTokenHash(db: Database, tokenHash: string, now = Date.now()) {
  const [row] = await db
    .select({ peer: peers, kind: credentialsTokens.kind, token_hash: credentialsTokens.token_hash })
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

/** Stores a token we issue, hashed; kind 'A' tokens only open versions and credentials. */
export async function issueToken(db: Database, peerId: string, token: string, kind: 'A' | 'C', now = Date.now()) {
  await db.insert(credentialsTokens).values({ token_hash: await hashToken(token), peer_id: peerId, kind, created_at: now })
}

/** Peers whose roles include this party (a hub peer may represent many). */
export async function peersRepresenting(db: Database, party: { country_code: string; party_id: string }): Promise<string[]> {
  const rows = await db
    .selectDistinct({ peer_id: peerRoles.peer_id })
    .from(peerRoles)
    .where(and(eq(peerRoles.country_code, party.country_code.toUpperCase()), eq(peerRoles.party_id, party.party_id.toUpperCase())))
  return rows.map((row) => row.peer_id)
}

/** Replaces the peer's roles, keeping the per-party index in step (one batch, so both change together). */
export function replacePeerRolesStatements(db: Database, peerId: string, roles: CredentialsRole[]) {
  return [
    db.update(peers).set({ roles, updated_at: Date.now() }).where(eq(peers.id, peerId)),
    db.delete(peerRoles).where(eq(peerRoles.peer_id, peerId)),
    ...roles.map((role) =>
      db.insert(peerRoles).values({ peer_id: peerId, country_code: role.country_code.toUpperCase(), party_id: role.party_id.toUpperCase(), role: role.role }).onConflictDoNothing(),
    ),
  ] as const
}
