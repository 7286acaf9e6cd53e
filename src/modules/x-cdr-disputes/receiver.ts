import { Hono, type Context } from 'hono'
import { parseWith, readJson } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { invalid, OcpiError } from '../../ocpi/errors'
import { CdrDispute } from '../../ocpi/objects/cdr-dispute'
import { partyInPath, peerRepresents } from '../../peers/routing'
import { getOwnCdr } from '../cdrs/store'
import { getDispute, putDispute } from './store'

/**
 * x-cdr-disputes Receiver (CPO): an MSP peer PUTs its dispute of one of this platform's CDRs at
 * {country_code}/{party_id}/{cdr_id} and reads it back. Only the peer representing the CDR's token party may: to any
 * other peer the CDR does not exist.
 */
export const receiver = new Hono<OcpiEnv>()
  .get('/:country_code/:party_id/:cdr_id', async (c) => {
    const ref = await disputableCdr(c)
    const dispute = await getDispute(c.get('db'), { peer_id: c.get('peer').id }, ref)
    if (!dispute) throw OcpiError.unknownObject(`dispute of CDR ${ref.id}`)
    return respond(c, dispute)
  })
  .put('/:country_code/:party_id/:cdr_id', async (c) => {
    const ref = await disputableCdr(c)
    const dispute = parseWith(CdrDispute, await readJson(c))
    if (dispute.country_code.toUpperCase() !== ref.country_code || dispute.party_id.toUpperCase() !== ref.party_id) throw invalid('country_code', 'differs from the URL')
    if (dispute.cdr_id.toUpperCase() !== ref.id.toUpperCase()) throw invalid('cdr_id', `${dispute.cdr_id} differs from the URL's ${ref.id}`)
    if (!peerRepresents(c, { country_code: dispute.msp_country_code, party_id: dispute.msp_party_id })) throw invalid('msp_party_id', 'not a party of this peer')
    // A dispute older than the one held is acknowledged and ignored.
    await putDispute(c.get('db'), { peer_id: c.get('peer').id }, dispute)
    return respond(c, undefined)
  })

/** The URL's CDR: one of this platform's own, for a token of a party the peer represents. */
async function disputableCdr(c: Context<OcpiEnv>) {
  const ref = { ...partyInPath(c), id: c.req.param('cdr_id')! }
  if (ref.id.length > 39) throw invalid('cdr_id', 'longer than 39 characters')
  const stored = await getOwnCdr(c.get('db'), ref)
  if (!stored || !peerRepresents(c, { country_code: stored.cdr.cdr_token.country_code, party_id: stored.cdr.cdr_token.party_id })) {
    throw OcpiError.unknownObject(`CDR ${ref.id}`)
  }
  return { ...ref, id: stored.cdr.id }
}
