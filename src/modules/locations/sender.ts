import { respondSerializedPage } from '../../ocpi/page-response'
import { Hono, type Context } from 'hono'
import type { Database } from '../../db/client'
import { openReadSession } from '../../db/session'
import type { OcpiEnv, PartyRef } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { parsePageQuery } from '../../ocpi/paging'
import { addressedParty, routedTo } from '../../peers/routing'
import { isSingleParty } from '../../peers/one-party-connection'
import { toWire } from '../../ocpi/version-adapters'
import { listHostedParties } from '../../peers/parties'
import { findConnector, findEvse } from './merge'
import { isVisible } from '../../ocpi/objects/sharing-policy'
import { partyViews } from './policy-store'
import { type Location } from '../../ocpi/objects/location'
import { connectorVersions, evseVersions, locationVersions } from '../../ocpi/objects/version-maps'
import { cachedPage, knownTotal, pageCacheKey, rememberPage, rememberTotal, totalCacheKey } from './page-cache'
import { OWN_SOURCE, getLocationsByKeys, listSerializedLocations, locationKey, ownDataVersion } from './store'

// Sender interface (CPO): GET list and GET object. A peer only ever sees what its sharing policy lets it see, and an
// object it may not see is answered exactly like one that does not exist (2003, HTTP 404).

/** The hosted CPO parties a request reads from: the one OCPI-to names, or all of them. */
async function servingParties(c: Context<OcpiEnv>, db: Database): Promise<PartyRef[]> {
  if (routedTo(c) || isSingleParty(c.var.version)) return [await addressedParty(c, 'CPO')]
  return (await listHostedParties(db)).filter((party) => party.role === 'CPO')
}

/** Per serving party, what the calling peer may see of it. */
const peerVisibility = (c: Context<OcpiEnv>, db: Database) => partyViews(db, c.var.peer, servingParties(c, db))

/** The location with this id the peer may see, under whichever serving party holds it; 2003/404 otherwise. */
async function visibleLocation(c: Context<OcpiEnv>, id: string): Promise<Location> {
  const session = openReadSession(c.env.DB)
  const views = await peerVisibility(c, session.db)
  const found = await getLocationsByKeys(session.db, OWN_SOURCE, views.map(({ party }) => locationKey(party, id)))
  for (const location of found) {
    const view = views.find(({ party }) => locationKey(party, id) === locationKey(location, location.id))
    if (view && isVisible(view.visibility, location)) return location
  }
  throw OcpiError.unknownObject(`Location ${id}`)
}

export const sender = new Hono<OcpiEnv>()
  .get('/', async (c) => {
    const page = parsePageQuery(c)
    const session = openReadSession(c.env.DB, page.bookmark)
    const [views, dataVersion] = await Promise.all([peerVisibility(c, session.db), ownDataVersion(session.db)])
    const key = await pageCacheKey(c, { views, dataVersion })
    const cached = await cachedPage(c, key)
    if (cached) return cached
    const totalKey = await totalCacheKey({ views, dataVersion }, page)
    const result = await listSerializedLocations(session.db, views, page, c.var.version, knownTotal(totalKey))
    rememberTotal(totalKey, result.total)
    const response = respondSerializedPage(c, page, { ...result, bookmark: session.bookmark() })
    rememberPage(c, key, response)
    return response
  })
  .get('/:location_id', async (c) => {
    const location = await visibleLocation(c, c.req.param('location_id'))
    return respond(c, toWire(locationVersions, c.var.version, location))
  })
  .get('/:location_id/:evse_uid', async (c) => {
    const { location_id, evse_uid } = c.req.param()
    const evse = findEvse(await visibleLocation(c, location_id), evse_uid)
    if (!evse) throw OcpiError.unknownObject(`EVSE ${evse_uid}`)
    return respond(c, toWire(evseVersions, c.var.version, evse))
  })
  .get('/:location_id/:evse_uid/:connector_id', async (c) => {
    const { location_id, evse_uid, connector_id } = c.req.param()
    const evse = findEvse(await visibleLocation(c, location_id), evse_uid)
    const connector = evse && findConnector(evse, connector_id)
    if (!connector) throw OcpiError.unknownObject(`Connector ${connector_id}`)
    return respond(c, toWire(connectorVersions, c.var.version, connector))
  })
