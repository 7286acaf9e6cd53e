import { respondPage } from '../../ocpi/page-response'
import { Hono, type Context } from 'hono'
import { openReadSession } from '../../db/session'
import { parseWith, readJson, readText } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { parsePageQuery } from '../../ocpi/paging'
import { addressedParty, requestingParty } from '../../peers/routing'
import { fromWire, toWire } from '../../ocpi/version-adapters'
import { recordAuthorizationSoon } from './authorization-log'
import { keepAliveOf } from '../../ocpi/keep-alive'
import { emspAuthorization } from './authorization-policy'
import { receivedLocationCountry } from './location-country'
import { AuthorizationInfo, LocationReferences, TOKEN_TYPES_221 } from '../../ocpi/objects/token'
import { authorizationInfoVersions, locationReferencesVersions, tokenToWire } from '../../ocpi/objects/version-maps'
import { getOwnToken, listOwnTokensOfParty } from './store'
import { assertMayReceiveTokens, tokenTypeQuery } from './wire'

/**
 * Tokens Sender interface (eMSP): the addressed hosted eMSP's tokens, date-paged, and real-time authorization.
 * Only CPOs (and hubs) are told about tokens; a platform answers only for the parties it hosts.
 */
export const sender = new Hono<OcpiEnv>()
  .get('/', async (c) => {
    assertMayReceiveTokens(c)
    const party = await addressedParty(c, 'EMSP')
    const query = parsePageQuery(c)
    const session = openReadSession(c.env, query.bookmark)
    // 2.2.1 has a closed TokenType without EMAID: such tokens are not offered to 2.2.1 peers (filtered in the query,
    // so X-Total-Count and the paging stay exact).
    const page = await listOwnTokensOfParty(session.db, party, query, c.get('version') === '2.2.1' ? TOKEN_TYPES_221 : undefined)
    return respondPage(c, query, { ...page, bookmark: session.bookmark() }, (stored) => tokenToWire(c.get('version'), stored.token, stored.allowed_countries))
  })
  .post('/:token_uid/authorize', async (c) => {
    assertMayReceiveTokens(c)
    const party = await addressedParty(c, 'EMSP')
    const type = tokenTypeQuery(c) ?? 'RFID'
    const location = await readLocationReferences(c)
    const stored = await getOwnToken(c.get('db'), { ...party, uid: c.req.param('token_uid'), type })
    const logged = {
      side: 'EMSP' as const, party, token: { ...party, uid: c.req.param('token_uid'), type }, source: 'realtime' as const, peer_id: c.get('peer').id,
      location_id: location?.location_id ?? null, evse_uids: location?.evse_uids ?? null,
    }
    if (!stored) {
      recordAuthorizationSoon(c.get('db'), { ...logged, allowed: false, reason: 'UNKNOWN_TOKEN', authorization_reference: null }, keepAliveOf(c))
      // mod_tokens, POST: "When the eMSP does not know the Token, the eMSP SHALL respond with an HTTP status code: 404"
      // and "the response SHALL contain the status code: 2004: Unknown Token, and no data field".
      throw new OcpiError(2004, `Unknown token ${c.req.param('token_uid')} of type ${type}`, { http_status: 404 })
    }
    const requester = requestingParty(c)
    const cpoParties = requester ? [requester] : c.get('peer').roles.filter((role) => role.role === 'CPO')
    // Only a token limited to some countries needs to know where the location is: skip the read for every other one.
    const whereMatters = location !== undefined && !!stored.allowed_countries?.length
    const allowed = emspAuthorization(
      { valid: stored.token.valid, allowed_countries: stored.allowed_countries, account_status: stored.account_status },
      {
        has_location: location !== undefined,
        location_country: whereMatters ? await receivedLocationCountry(c.get('db'), c.get('peer').id, cpoParties, location.location_id) : undefined,
        requester_country: requester?.country_code ?? (cpoParties.length === 1 ? cpoParties[0]?.country_code : undefined),
      },
    )
    if (allowed === 'NEED_LOCATION') {
      throw new OcpiError(2002, 'This token may only charge in some countries: LocationReferences are required to authorize it')
    }
    const info: AuthorizationInfo = {
      allowed,
      token: stored.token,
      location: allowed === 'ALLOWED' ? location : undefined,
      authorization_reference: allowed === 'ALLOWED' ? crypto.randomUUID() : undefined,
    }
    recordAuthorizationSoon(c.get('db'), { ...logged, allowed: allowed === 'ALLOWED', reason: allowed, authorization_reference: info.authorization_reference ?? null }, keepAliveOf(c))
    return respond(c, toWire(authorizationInfoVersions, c.get('version'), info))
  })

/** The optional LocationReferences body: absent (or empty), or valid (2001 with the field path otherwise). */
async function readLocationReferences(c: Context<OcpiEnv>): Promise<LocationReferences | undefined> {
  if ((await readText(c)).trim() === '') return undefined
  const value = await readJson(c)
  if (value === null) return undefined
  return fromWire(locationReferencesVersions, c.get('version'), value)
}
