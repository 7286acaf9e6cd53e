import { Hono, type Context } from 'hono'
import { openReadSession } from '../../db/session'
import { readObjectBody } from '../../ocpi/object-body'
import type { OcpiEnv, PartyRef } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { BookingRequest, bookingLocationVersions, bookingRequestVersions, bookingVersions } from '../../ocpi/objects/booking'
import { respondPage } from '../../ocpi/page-response'
import { parseDateParameter, parsePageQuery } from '../../ocpi/paging'
import { fromWire, toWire } from '../../ocpi/version-adapters'
import { addressedParty, assertPeerRepresents, requestingParty } from '../../peers/routing'
import { OCPI_FROM_COUNTRY, OCPI_FROM_PARTY, OCPI_TO_COUNTRY, OCPI_TO_PARTY } from '../../ocpi/headers'
import { answerBookingRequest } from './book'
import { listBookings } from './store'
import { hostedBookingLocations } from './hosted-booking-locations'
import { pushBookingLocationsAt } from './push-booking-locations'
import { listHostedParties } from '../../peers/parties'
import { routedTo } from '../../peers/routing'
import { OcpiError } from '../../ocpi/errors'
import { pageOfDerived } from './derived-page'
import { hasTimeslotIn } from './booking-locations'

/**
 * Bookings Sender interface (CPO): the hosted CPOs' bookings, date-paged, and booking requests (new, changed or
 * canceled). A peer sees and changes only the bookings of the eMSP parties it represents; a hub sees those it routes.
 */
export const sender = new Hono<OcpiEnv>()
  .get('/', async (c) => {
    const query = parsePageQuery(c)
    const session = openReadSession(c.env, query.bookmark)
    const owners = c.req.header(OCPI_TO_COUNTRY) && c.req.header(OCPI_TO_PARTY) ? [await addressedParty(c, 'CPO')] : undefined
    const page = await listBookings(session.db, { source: 'own', owners, msps: visibleMsps(c) }, query)
    return respondPage(c, query, { ...page, bookmark: session.bookmark() }, (booking) => toWire(bookingVersions, c.get('version'), booking))
  })
  // "GET BookingLocations" and "GET BookingLocation or Calendar": date-paged, narrowed to the BookingLocations with a
  // timeslot in [timeslot_from, timeslot_to), and only what the peer may see.
  .get('/booking_locations', async (c) => {
    const query = parsePageQuery(c)
    const window = { from: parseDateParameter(c, 'timeslot_from'), to: parseDateParameter(c, 'timeslot_to') }
    const all = await hostedBookingLocations(c.get('db'), c.get('peer'), await servingCpos(c), Date.now())
    const matching = all.filter((location) => hasTimeslotIn(location, window))
    return respondPage(c, query, pageOfDerived(matching, query), (location) => toWire(bookingLocationVersions, c.get('version'), location))
  })
  .get('/booking_locations/:booking_location_id/:calendar_id?', async (c) => {
    const id = c.req.param('booking_location_id').toUpperCase()
    const calendarId = c.req.param('calendar_id')
    const all = await hostedBookingLocations(c.get('db'), c.get('peer'), await servingCpos(c), Date.now())
    const location = all.find((candidate) => candidate.id.toUpperCase() === id)
    if (!location) throw OcpiError.unknownObject(`BookingLocation ${c.req.param('booking_location_id')}`)
    if (calendarId === undefined) return respond(c, toWire(bookingLocationVersions, c.get('version'), location))
    const calendar = location.calendars?.find((candidate) => candidate.id.toUpperCase() === calendarId.toUpperCase())
    if (!calendar) throw OcpiError.unknownObject(`Calendar ${calendarId}`)
    return respond(c, calendar)
  })
  .post('/', async (c) => {
    const parsed = fromWire(bookingRequestVersions, c.get('version'), await readObjectBody(c))
    const request: BookingRequest = { ...parsed, country_code: parsed.country_code.toUpperCase(), party_id: parsed.party_id.toUpperCase() }
    // The requesting eMSP party must be the peer's own (or routed by a hub): 2001 at country_code otherwise.
    assertPeerRepresents(c, request, 'EMSP')
    const cpo = await addressedParty(c, 'CPO')
    const booking = await answerBookingRequest(c.get('db'), c.get('peer'), cpo, request, Date.now())
    await pushBookingLocationsAt(c.env, c.get('db'), cpo, booking.location_id, Date.now())
    return respond(c, toWire(bookingVersions, c.get('version'), booking))
  })

/** The eMSP parties whose bookings the peer may pull: the OCPI-from party, else all its EMSP roles; all for a hub. */
function visibleMsps(c: Context<OcpiEnv>): PartyRef[] | undefined {
  if (c.req.header(OCPI_FROM_COUNTRY) && c.req.header(OCPI_FROM_PARTY)) return [requestingParty(c)!]
  if (c.get('peer').roles.some((role) => role.role === 'HUB')) return undefined
  return c.get('peer').roles.filter((role) => role.role === 'EMSP').map(({ country_code, party_id }) => ({ country_code, party_id }))
}

/** The hosted CPOs a BookingLocations request reads from: the one OCPI-to names, or all of them. */
async function servingCpos(c: Context<OcpiEnv>): Promise<PartyRef[]> {
  if (routedTo(c)) return [await addressedParty(c, 'CPO')]
  return (await listHostedParties(c.get('db'))).filter((party) => party.role === 'CPO').map(({ country_code, party_id }) => ({ country_code, party_id }))
}
