import { auditEntry } from '../../db/batch'
import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { toEpochMs } from '../../ocpi/types'
import { peerOutbox, publishTo } from '../../push/publish'
import { listPeers, peersRepresenting } from '../../peers/store'
import { publishSessionPut } from '../sessions/push'
import { listUnfinishedOwnSessionsOfTokenParty } from '../sessions/store'
import { moveReceivedTokensOfParty } from '../tokens/store'
import type { PartyMove, PartyMoveResult } from './schema'
import { recordPartyMove } from './store'

/**
 * CPO side of a PartyMove from `newPeerId`, which (by its credentials roles) now represents the party: the token cache
 * of the party is re-attributed to it, and every unfinished session of the party's drivers is sent to it in full (PUT),
 * so the PATCHes and the CDR that follow (routed by token party at publish time) land on a session it knows.
 */
export async function acceptPartyMove(env: Env, db: Database, newPeerId: string, move: PartyMove, now = Date.now()): Promise<PartyMoveResult> {
  const party: PartyRef = { country_code: move.country_code.toUpperCase(), party_id: move.party_id.toUpperCase() }
  const otherPeers = (await peersRepresenting(db, party)).filter((peerId) => peerId !== newPeerId)
  const tokens_moved = await moveReceivedTokensOfParty(db, party, newPeerId)
  // Queued pushes first: the full PUT of each unfinished session then supersedes any older change of it in the queue.
  const pushes_retargeted = await retargetQueuedPushes(env, db, party, newPeerId, otherPeers)
  const sessions_resent = await resendUnfinishedSessions(env, db, party)
  await recordPartyMove(db, { ...party, role: move.role, from_peer_ids: otherPeers, to_peer_id: newPeerId, moved_at: toEpochMs(move.moved_at), received_at: now })
  const result: PartyMoveResult = { tokens_moved, sessions_resent, pushes_retargeted, still_listed_by_other_peers: otherPeers.length }
  await auditEntry(db, { actor: `peer:${newPeerId}`, action: 'migration.party_moved', subject: `party:${party.country_code}*${party.party_id}`, detail: { ...result } })
  return result
}

/**
 * Pushes about the party still queued for peers that no longer list it (e.g. the old platform was offline when the CDR
 * was written) are taken out of their outboxes and queued for the new platform, oldest first, so none is lost to a
 * refusal there. A peer still listing the party keeps its queue: it still claims to serve the party, and the move
 * gives no one the right to take that away.
 */
async function retargetQueuedPushes(env: Env, db: Database, party: PartyRef, newPeerId: string, stillListing: string[]): Promise<number> {
  let moved = 0
  for (const peer of await listPeers(db)) {
    if (peer.id === newPeerId || stillListing.includes(peer.id)) continue
    for (const change of await peerOutbox(env, peer.id).takeAddressedTo(party)) {
      await publishTo(env, newPeerId, change, party)
      moved++
    }
  }
  return moved
}

/** Each unfinished session goes out again as a whole PUT, to the peers that now represent the party (the new platform). */
async function resendUnfinishedSessions(env: Env, db: Database, party: PartyRef): Promise<number> {
  const unfinished = await listUnfinishedOwnSessionsOfTokenParty(db, party)
  for (const session of unfinished) await publishSessionPut(env, db, session)
  return unfinished.length
}
