import type { Database } from '../../db/client'
import type { Env } from '../../env'
import { wireBodies } from '../../ocpi/version-adapters'
import { publish } from '../../push/publish'
import { tokenPartyAudience } from './routing'
import { cdrVersions, type CDR } from '../../ocpi/objects/cdr'
import { peersAcceptingNonIsoCurrencies } from '../tariffs/store'
import { carriesTariffGroups, cdrForPeer } from './tariffs-for-peer'

/**
 * Posts a hosted CPO's CDR to the peers representing the token's eMSP ("A CPO is not required to send all CDRs to all
 * eMSPs").
 */
export async function publishCdr(env: Env, db: Database, cdr: CDR): Promise<string[]> {
  const from = { country_code: cdr.country_code.toUpperCase(), party_id: cdr.party_id.toUpperCase() }
  const change = (body: CDR) => ({
    module: 'cdrs', method: 'POST' as const, path: [], bodies: wireBodies(cdrVersions, body), from, objectKey: `cdrs/${from.country_code}/${from.party_id}/${cdr.id}`,
  })
  const audience = await tokenPartyAudience(db, cdr.cdr_token)
  if (!carriesTariffGroups(cdr)) return publish(env, change(cdr), audience)
  // Embedded tariffs name their group: peers that agreed the multi-currency extension get it, the others do not.
  const agreed = await peersAcceptingNonIsoCurrencies(db)
  const sent = await Promise.all([
    publish(env, change(cdr), (peer) => (agreed.has(peer.id) ? audience(peer) : undefined)),
    publish(env, change(cdrForPeer(cdr, false)), (peer) => (agreed.has(peer.id) ? undefined : audience(peer))),
  ])
  return sent.flat()
}
