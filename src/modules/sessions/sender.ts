import { respondPage } from '../../ocpi/page-response'
import { Hono } from 'hono'
import type { Database } from '../../db/client'
import { openReadSession } from '../../db/session'
import { readBody } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { OcpiError } from '../../ocpi/errors'
import { parsePageQuery } from '../../ocpi/paging'
import { toEpochMs } from '../../ocpi/types'
import { toWire } from '../../ocpi/version-adapters'
import { listHostedParties } from '../../peers/parties'
import { addressedOwners, emptyForRoles, peerMaySee, visibleTokenPartiesFilter } from '../cdrs/routing'
import { getLocation, OWN_SOURCE } from '../locations/store'
import { ChargingPreferences, type ChargingPreferencesResponse, type Session } from '../../ocpi/objects/session'
import { sessionVersions } from '../../ocpi/objects/version-maps'
import { findOwnSession, listSessions, setChargingPreferences } from './store'
import { isSingleParty } from '../../peers/one-party-connection'
import { sessionTo211 } from '../../ocpi/objects/v211/session'
import { locationKey, storedLocationsOf } from './embedded-location'

/**
 * Sessions Sender interface (CPO): the hosted CPOs' sessions, date-paged, and the driver's Charging Preferences.
 * A peer only ever sees sessions started with a token of a party it represents (list and PUT alike).
 */
export const sender = new Hono<OcpiEnv>()
  .get('/', async (c) => {
    const query = parsePageQuery(c)
    const session = openReadSession(c.env, query.bookmark)
    const filter = { source: 'own' as const, owners: await addressedOwners(c), ...visibleTokenPartiesFilter(c) }
    const page = await listSessions(session.db, filter, query)
    // 2.1.1 embeds the session's Location (mod_sessions.md 3.1): the stored one, narrowed to the session's EVSE.
    const locations = isSingleParty(c.get('version')) ? await storedLocationsOf(session.db, page.objects) : undefined
    const toPeer = (object: Session) => (locations ? sessionTo211(object, locations.get(locationKey(object))) : toWire(sessionVersions, c.get('version'), object))
    return respondPage(c, query, { ...page, bookmark: session.bookmark() }, toPeer, emptyForRoles(c, 'Sessions'))
  })
  .put('/:session_id/charging_preferences', async (c) => {
    const preferences = await readBody(c, ChargingPreferences)
    const owners = (await addressedOwners(c)) ?? (await listHostedParties(c.get('db'))).filter((party) => party.role === 'CPO')
    const stored = await findOwnSession(c.get('db'), owners, c.req.param('session_id'))
    if (!stored || !peerMaySee(c, stored.session)) throw new OcpiError(2003, `Unknown session ${c.req.param('session_id')}`, { http_status: 404 })
    const answer = await preferencesAnswer(c.get('db'), stored.session, preferences)
    if (answer === 'ACCEPTED') await setChargingPreferences(c.get('db'), stored.session, preferences)
    return respond(c, answer)
  })

/**
 * ChargingPreferencesResponse for an own session. "If a PUT with ChargingPreferences is received for an EVSE that does
 * not have the capability CHARGING_PREFERENCES_CAPABLE, the receiver should respond with an HTTP status of 404 and an
 * OCPI status code of 2001"; a session that is over cannot take preferences any more.
 */
async function preferencesAnswer(db: Database, session: Session, preferences: ChargingPreferences): Promise<ChargingPreferencesResponse> {
  const stored = await getLocation(db, OWN_SOURCE, session, session.location_id)
  const evse = stored?.location.evses?.find((candidate) => candidate.uid.toUpperCase() === session.evse_uid.toUpperCase())
  if (!evse?.capabilities?.includes('CHARGING_PREFERENCES_CAPABLE')) {
    throw new OcpiError(2001, `EVSE ${session.evse_uid} does not support Charging Preferences`, { http_status: 404 })
  }
  if (session.status === 'COMPLETED' || session.status === 'INVALID') return 'NOT_POSSIBLE'
  if (preferences.departure_time !== undefined && toEpochMs(preferences.departure_time) <= Date.now()) return 'NOT_POSSIBLE'
  return 'ACCEPTED'
}
