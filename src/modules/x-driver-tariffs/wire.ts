import type { Context } from 'hono'
import type { OcpiEnv, PartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { addressedParty, routedTo, assertPeerRepresents, partyInPath } from '../../peers/routing'


/** {country_code}/{party_id}/{token_uid} of a receiver request, after checking the peer speaks for that eMSP. */
export async function driverTariffAddress(c: Context<OcpiEnv>): Promise<{ party: PartyRef; tokenUid: string }> {
  const party = partyInPath(c)
  assertPeerRepresents(c, party, 'EMSP')
  if (routedTo(c)) await addressedParty(c, 'CPO')
  const tokenUid = c.req.param('token_uid')!
  if (tokenUid.length > 36) throw new OcpiError(2001, 'token_uid: longer than 36 characters', { path: 'token_uid' })
  return { party, tokenUid }
}
