import type { Database } from '../../db/client'
import type { Env } from '../../env'
import { renewCredentials } from '../../peers/registration'
import { listPeers } from '../../peers/store'

/**
 * Sends our current roles to every connected peer (credentials PUT, B8.2) and reports each outcome, so a migration's
 * status shows which peers still have to be told (publishRolesToPeers does the same without the report).
 */
export async function publishRolesTo(env: Env, db: Database): Promise<Record<string, string>> {
  const connected = (await listPeers(db)).filter((peer) => peer.status === 'CONNECTED')
  const results = await Promise.allSettled(connected.map((peer) => renewCredentials(env, peer.id, { actor: 'migration' })))
  return Object.fromEntries(connected.map((peer, index) => {
    const result = results[index]
    return [peer.id, result.status === 'fulfilled' ? 'UPDATED' : `FAILED: ${result.reason instanceof Error ? result.reason.message : String(result.reason)}`]
  }))
}
