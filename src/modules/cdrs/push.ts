import type { Database } from '../../db/client'
import type { Env } from '../../env'
import { wireBodies } from '../../ocpi/version-adapters'
import { publish } from '../../push/publish'
import { tokenPartyAudience } from './routing'
import { cdrVersions, type CDR } from '../../ocpi/objects/cdr'
import type { PushAudience } from '../../push/types'
import { agreesToCostBreakdown, cdrForPeer } from './cost-breakdown'

/**
 * Posts a hosted CPO's CDR to the peers representing the token's eMSP ("A CPO is not required to send all CDRs to all
 * eMSPs"). A CDR with a `cost_breakdown` goes out twice: with it to the peers that agreed to the extension, without it
 * to the others. Returns the ids of the peers it was queued for.
 */
export async function publishCdr(env: Env, db: Database, cdr: CDR): Promise<string[]> {
  const from = { country_code: cdr.country_code.toUpperCase(), party_id: cdr.party_id.toUpperCase() }
  const post = (body: CDR) => ({
    module: 'cdrs', method: 'POST' as const, path: [], bodies: wireBodies(cdrVersions, body), from,
    objectKey: `cdrs/${from.country_code}/${from.party_id}/${cdr.id}`,
  })
  const audience = await tokenPartyAudience(db, cdr.cdr_token)
  if (!cdr.cost_breakdown) return publish(env, post(cdr), audience)
  const only = (agreed: boolean): PushAudience => (peer) => (agreesToCostBreakdown(peer) === agreed ? audience(peer) : undefined)
  const withBreakdown = await publish(env, post(cdr), only(true))
  const without = await publish(env, post(cdrForPeer(cdr, { extensions: [] })), only(false))
  return [...withBreakdown, ...without]
}
