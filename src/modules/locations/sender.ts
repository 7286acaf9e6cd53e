import { serializedPageHead } from '../../ocpi/page-response'
import { Hono, type Context } from 'hono'
import type { Database } from '../../db/client'
import { openReadSession, type ReadSession } from '../../db/session'
import { commonShard, isSharded } from '../../db/shards'
import { OCPI_TO_COUNTRY, OCPI_TO_PARTY } from '../../ocpi/headers'
import type { OcpiEnv, PartyRef } from '../../ocpi/context'
import { respond, respondListHead } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { parsePageQuery } from '../../ocpi/paging'
import { addressedParty, routedTo } from '../../peers/routing'
import { isSingleParty } from '../../peers/one-party-connection'
import { toWire } from '../../ocpi/version-adapters'
import { listHostedParties } from '../../peers/parties'
import { findConnector, findEvse } from './merge'
import { isVisible, type PartyView } from '../../ocpi/objects/sharing-policy'
import { sharedOnlyByPolicy } from '../../peers/shared-with'
import { partyViews } from './policy-store'
import { type Location } from '../../ocpi/objects/location'
import { connectorVersions, evseVersions, locationVersions } from '../../ocpi/objects/version-maps'
import { cachedPage, pageCacheKey, rememberPage } from './page-cache'
import { OWN_SOURCE, getLocationsByKeys, listSerializedLocations, locationKey } from './store'
import { dataVersionToken } from '../../db/data-versions'
import { Memo } from '../../db/memo'

// Sender interface (CPO): GET list and GET object. A peer only ever sees what its sharing policy lets it see, and an
// object it may not see is answered exactly like one that does not exist (2003, HTTP 404).

/** The hosted CPO parties a request reads from: the one OCPI-to names, or all of them. */
async function servingParties(c: Context<OcpiEnv>, db: Database): Promise<PartyRef[]> {
  if (routedTo(c) || isSingleParty(c.get('version'))) return [await addressedParty(c, 'CPO')]
  return (await listHostedParties(db)).filter((party) => party.role === 'CPO')
}

/** Per serving party, what the calling peer may see of it. */
const peerVisibility = (c: Context<OcpiEnv>, db: Database) => partyViews(db, c.get('peer'), servingParties(c, db))

/**
/**
 * The data version of the locations table, as remembered on this isolate: part of every cache key below. Without one
 * (a database not migrated yet) a key no later request repeats, so nothing cached is ever reused.
 */
const locationsVersion = async (db: Database) => (await dataVersionToken(db, ['locations'])) ?? crypto.randomUUID()

// A repeated single-object GET reads no D1: the stored locations by key are remembered per isolate under the data
// version, within the memo staleness. The sharing policy is applied to them on every request.
const locationsByKeys = new Memo<Location[]>(500, 'data')

/**
 * The read session on the shard holding the served parties' locations (docs/sharding.md); the platform session when
 * nothing is sharded. One query reads one database, so parties on two shards are served one at a time, each named by
 * the OCPI-to headers.
 */
async function locationsSession(c: Context<OcpiEnv>, views: Promise<PartyView[]>, platform: ReadSession, bookmark?: string): Promise<ReadSession> {
  if (!isSharded(c.env)) return platform
  const shard = commonShard(c.env, (await views).map(({ party }) => party))
  if (!shard) throw new OcpiError(2001, `${OCPI_TO_COUNTRY}/${OCPI_TO_PARTY} headers are required: this platform's CPO parties are on more than one database`, { path: OCPI_TO_COUNTRY })
  return shard === 'platform' ? platform : openReadSession(c.env, bookmark, shard)
}

/** The location with this id the peer may see, under whichever serving party holds it; 2003/404 otherwise. */
async function visibleLocation(c: Context<OcpiEnv>, id: string): Promise<Location> {
  const platform = openReadSession(c.env)
  const views = await peerVisibility(c, platform.db)
  const session = await locationsSession(c, Promise.resolve(views), platform)
  const version = await locationsVersion(session.db)
  const keys = views.map(({ party }) => locationKey(party, id))
  const found = await locationsByKeys.get(`${version}|${keys.join('|')}`, () => getLocationsByKeys(session.db, OWN_SOURCE, keys))
  for (const location of found) {
    const view = views.find(({ party }) => locationKey(party, id) === locationKey(location, location.id))
    if (view && isVisible(view.visibility, location)) return location
  }
  throw OcpiError.unknownObject(`Location ${id}`)
}

export const sender = new Hono<OcpiEnv>()
  .get('/', async (c) => {
    const page = parsePageQuery(c)
    const platform = openReadSession(c.env, page.bookmark)
    const visibility = peerVisibility(c, platform.db)
    const session = await locationsSession(c, visibility, platform, page.bookmark)
    const [views, dataVersion] = await Promise.all([visibility, locationsVersion(session.db)])
    const key = pageCacheKey(c, page, { views, dataVersion })
    const cached = await cachedPage(c, key)
    if (cached) return cached
    const result = await listSerializedLocations(session.db, views, page, c.get('version'))
    const head = serializedPageHead(c, page, { ...result, bookmark: session.bookmark() }, sharedOnlyByPolicy('Locations', views))
    // Built pages go out as identity (on Cloudflare the edge encodes them); a hit on this page may be gzip (page-cache.ts).
    c.header('Vary', 'Accept-Encoding')
    const response = respondListHead(c, head)
    rememberPage(key, head, response)
    return response
  })
  .get('/:location_id', async (c) => {
    const location = await visibleLocation(c, c.req.param('location_id'))
    return respond(c, toWire(locationVersions, c.get('version'), location))
  })
  .get('/:location_id/:evse_uid', async (c) => {
    const { location_id, evse_uid } = c.req.param()
    const evse = findEvse(await visibleLocation(c, location_id), evse_uid)
    if (!evse) throw OcpiError.unknownObject(`EVSE ${evse_uid}`)
    return respond(c, toWire(evseVersions, c.get('version'), evse))
  })
  .get('/:location_id/:evse_uid/:connector_id', async (c) => {
    const { location_id, evse_uid, connector_id } = c.req.param()
    const evse = findEvse(await visibleLocation(c, location_id), evse_uid)
    const connector = evse && findConnector(evse, connector_id)
    if (!connector) throw OcpiError.unknownObject(`Connector ${connector_id}`)
    return respond(c, toWire(connectorVersions, c.get('version'), connector))
  })
