import { auditEntry } from '../db/batch'
import { databaseFor } from '../db/shards'
import type { Env } from '../env'
import { logError } from '../ocpi/log'
import { recordUnauthorized, resetUnauthorized, type Peer } from './store'

// A peer that no longer accepts our token answers every call with HTTP 401 (transport_and_format, "Authorization
// header": "the server SHALL respond with HTTP status code 401 Unauthorized" for an unknown token). Retrying forever
// gains nothing, so after TOKEN_REJECTED_AFTER_401S consecutive 401s the connection is marked token-rejected: its
// outbox holds everything queued, in order, until a credentials renew or refresh succeeds (both clear the mark in
// peer-state.ts). A single 401 is not enough: one may come while the peer is mid credentials rotation.

export const DEFAULT_TOKEN_REJECTED_AFTER_401S = 5

export const tokenRejectedAfter = (env: Pick<Env, 'TOKEN_REJECTED_AFTER_401S'>) =>
  Math.max(1, Math.floor(Number(env.TOKEN_REJECTED_AFTER_401S)) || DEFAULT_TOKEN_REJECTED_AFTER_401S)

/** The peer's token state as the management API shows it. */
export const outboundState = (peer: Pick<Peer, 'token_rejected_at'>) => (peer.token_rejected_at === null ? 'OK' : 'TOKEN_REJECTED')

/**
 * Records how the peer answered one of our calls: a 401 extends the streak (and may mark the peer), anything else
 * that is an answer resets it. Returns true when the peer is now token-rejected. Never throws: bookkeeping must not
 * turn a delivered push into a failed one.
 */
export async function noteAnswer(env: Env, peer: Pick<Peer, 'id' | 'unauthorized_streak'>, unauthorized: boolean): Promise<boolean> {
  const db = databaseFor(env)
  try {
    if (!unauthorized) {
      if (peer.unauthorized_streak > 0) await resetUnauthorized(db, peer.id)
      return false
    }
    const recorded = await recordUnauthorized(db, peer.id, tokenRejectedAfter(env))
    if (recorded?.marked) {
      await auditEntry(db, { actor: 'outbound', action: 'peer.token_rejected', subject: peer.id, detail: { consecutive_401s: recorded.streak } })
    }
    return !!recorded && recorded.streak >= tokenRejectedAfter(env)
  } catch (error) {
    logError(`recording the answer of peer ${peer.id}`, error)
    return false
  }
}
