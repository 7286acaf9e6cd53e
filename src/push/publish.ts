import { databaseFor } from '../db/shards'
import type { Env } from '../env'
import type { PartyRef } from '../ocpi/context'
import { peerEndpoint } from '../peers/extensions'
import { listConnectedPeers, type Peer } from '../peers/store'
import type { PushAudience, PushChange } from './types'

// Connected peers are read on every owner write: a short per-isolate cache, dropped whenever this isolate changes a
// peer. Another isolate's change shows within CACHE_MS; a peer that connects then pulls its initial state anyway.
// The promise is cached, so the publishes of one write (e.g. one per visibility case) share a single query.
let cached: { at: number; rows: Promise<Peer[]> } | undefined
const CACHE_MS = 1_000

/** Call after registering, updating or removing a peer, so the next publish sees it. */
export function invalidatePushPeers() {
  cached = undefined
}

/**
 * The outbox of one peer. The ids are remembered per isolate (a stub is bound to its request, an id is not): every
 * DurableObjectId is an object of the runtime that only a major garbage collection frees, and a write to 10 peers
 * made 10 of them. Only the outboxes' ids: peers are few and every write addresses all of them, while a session's,
 * a command's or a job's id is used a few times, and keeping those would only add live objects for each collection
 * to trace.
 */
export function peerOutbox(env: Env, peerId: string) {
  let ids = outboxIds.get(env.PEER_OUTBOX)
  if (!ids) outboxIds.set(env.PEER_OUTBOX, (ids = new Map()))
  let id = ids.get(peerId)
  if (!id) {
    if (ids.size >= MAX_REMEMBERED_IDS) ids.clear()
    ids.set(peerId, (id = env.PEER_OUTBOX.idFromName(peerId)))
  }
  return env.PEER_OUTBOX.get(id)
}
const outboxIds = new WeakMap<Env['PEER_OUTBOX'], Map<string, DurableObjectId>>()
const MAX_REMEMBERED_IDS = 10_000

/**
 * Queues an owner write for every connected peer that has a receiver for the module we may use, a body in its version, and to
 * which `audience` addresses it. OFFLINE peers count as connected: they get what they missed once back. Resolves
 * once every push is durably queued (delivery follows asynchronously); returns the ids of the peers it was queued for.
 */
export async function publish(env: Env, change: PushChange, audience: PushAudience): Promise<string[]> {
  const candidates = (await connectedPeers(env)).filter((peer) => canReceive(peer, change))
  const addressed = await Promise.all(candidates.map(async (peer) => ({ peer, to: await audience(peer) })))
  const recipients = addressed.filter((entry): entry is { peer: Peer; to: PartyRef } => entry.to !== undefined)
  // One JSON text for every recipient: an object would be serialized again for each outbox call.
  const text = recipients.length > 0 ? JSON.stringify(change) : ''
  await Promise.all(recipients.map(({ peer, to }) => peerOutbox(env, peer.id).enqueue(text, to)))
  return recipients.map(({ peer }) => peer.id)
}

/**
 * Queues a change for one peer regardless of its current status (e.g. a policy change revealing objects to it): the
 * change, or its JSON text as an outbox stores it (PeerOutbox.takeAddressedTo).
 */
export async function publishTo(env: Env, peerId: string, change: PushChange | string, to: PartyRef): Promise<void> {
  await peerOutbox(env, peerId).enqueue(change, to)
}

function canReceive(peer: Peer, change: PushChange): boolean {
  return !!peer.version && peer.version in change.bodies && peerEndpoint(peer, change.module, 'RECEIVER') !== undefined
}

function connectedPeers(env: Env): Promise<Peer[]> {
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.rows
  const entry = { at: Date.now(), rows: listConnectedPeers(databaseFor(env)) }
  cached = entry
  // A failed query must not be served from the cache.
  entry.rows.catch(() => cached === entry && (cached = undefined))
  return entry.rows
}
