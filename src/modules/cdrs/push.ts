import type { Database } from '../../db/client'
import type { Env } from '../../env'
import { wireBodies } from '../../ocpi/version-adapters'
import { publish } from '../../push/publish'
import { tokenPartyAudience } from './routing'
import { type CDR } from '../../ocpi/objects/cdr'
import { cdrVersions } from '../../ocpi/objects/version-maps'
import { peersAcceptingNonIsoCurrencies } from '../tariffs/store'
import { agreementsThatMatter, agreementViews, agreesToBookings, agreesToCostBreakdown, cdrForPeer, differsPerPeer, type CdrAgreements } from './for-peer'

/**
 * Posts a hosted CPO's CDR to the peers representing the token's eMSP ("A CPO is not required to send all CDRs to all
 * eMSPs"). A CDR carrying extension fields (for-peer.ts) goes out once per set of agreements, each peer getting the
 * view its agreements allow. Returns the ids of the peers it was queued for.
 */
export async function publishCdr(env: Env, db: Database, cdr: CDR): Promise<string[]> {
  const from = { country_code: cdr.country_code.toUpperCase(), party_id: cdr.party_id.toUpperCase() }
  const post = (body: CDR) => ({
    module: 'cdrs', method: 'POST' as const, path: [], bodies: wireBodies(cdrVersions, body), from,
    objectKey: `cdrs/${from.country_code}/${from.party_id}/${cdr.id}`,
  })
  const audience = await tokenPartyAudience(db, cdr.cdr_token)
  if (!differsPerPeer(cdr)) return publish(env, post(cdr), audience)
  const matters = agreementsThatMatter(cdr)
  const tariffGroups = matters.includes('tariffGroups') ? await peersAcceptingNonIsoCurrencies(db) : new Set<string>()
  const agreedBy = (peer: { id: string; extensions: readonly string[] }): CdrAgreements =>
    ({ tariffGroups: tariffGroups.has(peer.id), costBreakdown: agreesToCostBreakdown(peer), bookings: agreesToBookings(peer) })
  const sent = await Promise.all(agreementViews(matters).map((view) => publish(env, post(cdrForPeer(cdr, view)), (peer) => {
    const agreed = agreedBy(peer)
    return matters.every((agreement) => agreed[agreement] === view[agreement]) ? audience(peer) : undefined
  })))
  return sent.flat()
}
