import { Hono, type Context } from 'hono'
import { parseWith } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { respond, respondPut } from '../../ocpi/envelope'
import { invalid, OcpiError, unknownEndpoint } from '../../ocpi/errors'
import { readObjectBody } from '../../ocpi/object-body'
import { Booking, BookingLocation, Calendar, bookingLocationPatchVersions, bookingLocationVersions, bookingPatchVersions, bookingVersions, calendarPatchVersions } from '../../ocpi/objects/booking'
import { getReceivedBookingLocation, saveReceivedBookingLocation } from './booking-location-store'
import { toEpochMs } from '../../ocpi/types'
import { fromWire, toWire } from '../../ocpi/version-adapters'
import { findHostedParty } from '../../peers/parties'
import { assertPeerRepresents, partyInPath } from '../../peers/routing'
import { getBooking, saveBooking } from './store'

/**
 * Bookings Receiver interface (eMSP): the CPO pushes the bookings it holds for our eMSP parties. A CPO peer reads and
 * writes only its own bookings (the path's party), and only bookings requested by an eMSP hosted here.
 */
export const receiver = new Hono<OcpiEnv>()
  // "BookingLocation and Calendar Interface": {country_code}/{party_id}/booking_locations/{booking_location_id}[/{calendar_id}].
  // The literal `booking_locations` stands where a booking's id stands in the Booking interface: it is matched as that
  // parameter (`:collection`) and checked here, so every OCPI route fits one RegExpRouter (src/app.ts).
  .use('/:country_code/:party_id/:collection/:booking_location_id/*', async (c, next) => {
    if (c.req.param('collection') !== 'booking_locations') throw unknownEndpoint()
    await next()
  })
  .get('/:country_code/:party_id/:collection/:booking_location_id/:calendar_id?', async (c) => {
    const location = await storedBookingLocation(c)
    const calendarId = c.req.param('calendar_id')
    if (calendarId === undefined) return respond(c, toWire(bookingLocationVersions, c.get('version'), location))
    return respond(c, calendarOf(location, calendarId))
  })
  .put('/:country_code/:party_id/:collection/:booking_location_id', async (c) => {
    assertPeerRepresents(c, partyInPath(c), 'CPO')
    const location = fromWire(bookingLocationVersions, c.get('version'), await readObjectBody(c))
    return respondPut(c, await storeBookingLocation(c, location))
  })
  .patch('/:country_code/:party_id/:collection/:booking_location_id', async (c) => {
    assertPeerRepresents(c, partyInPath(c), 'CPO')
    const patch = fromWire(bookingLocationPatchVersions, c.get('version'), await readObjectBody(c))
    const stored = await storedBookingLocation(c)
    await storeBookingLocation(c, parseWith(BookingLocation, { ...stored, ...patch }))
    return respond(c, null)
  })
  .put('/:country_code/:party_id/:collection/:booking_location_id/:calendar_id', async (c) => {
    assertPeerRepresents(c, partyInPath(c), 'CPO')
    const calendar = parseWith(Calendar, await readObjectBody(c))
    if (calendar.id.toUpperCase() !== c.req.param('calendar_id').toUpperCase()) throw invalid('id', 'differs from the URL')
    return respondPut(c, await storeCalendar(c, calendar))
  })
  .patch('/:country_code/:party_id/:collection/:booking_location_id/:calendar_id', async (c) => {
    assertPeerRepresents(c, partyInPath(c), 'CPO')
    const patch = fromWire(calendarPatchVersions, c.get('version'), await readObjectBody(c))
    const stored = calendarOf(await storedBookingLocation(c), c.req.param('calendar_id'))
    await storeCalendar(c, parseWith(Calendar, { ...stored, ...patch }))
    return respond(c, null)
  })
  .get('/:country_code/:party_id/:booking_id', async (c) => {
    const owner = partyInPath(c)
    assertPeerRepresents(c, owner, 'CPO')
    const booking = await getBooking(c.get('db'), 'received', owner, c.req.param('booking_id'))
    if (!booking) throw new OcpiError(2003, `Unknown booking ${c.req.param('booking_id')}`, { http_status: 404 })
    return respond(c, toWire(bookingVersions, c.get('version'), booking))
  })
  .put('/:country_code/:party_id/:booking_id', async (c) => {
    const owner = partyInPath(c)
    assertPeerRepresents(c, owner, 'CPO')
    const booking = fromWire(bookingVersions, c.get('version'), await readObjectBody(c))
    return respondPut(c, await store(c, booking))
  })
  .patch('/:country_code/:party_id/:booking_id', async (c) => {
    const owner = partyInPath(c)
    assertPeerRepresents(c, owner, 'CPO')
    const patch = fromWire(bookingPatchVersions, c.get('version'), await readObjectBody(c))
    const stored = await getBooking(c.get('db'), 'received', owner, c.req.param('booking_id'))
    if (!stored) throw new OcpiError(2003, `Unknown booking ${c.req.param('booking_id')}: PUT it first`, { http_status: 404 })
    // An older PATCH (delayed in a queue) never overwrites a newer state.
    if (toEpochMs(patch.last_updated) < toEpochMs(stored.last_updated)) return respond(c, null)
    await store(c, parseWith(Booking, { ...stored, ...patch }))
    return respond(c, null)
  })

/** Stores a pushed booking unless a newer state is held; true when the booking was new (status_codes: HTTP 201). */
async function store(c: Context<OcpiEnv>, booking: Booking): Promise<boolean> {
  const owner = partyInPath(c)
  if (booking.country_code.toUpperCase() !== owner.country_code) throw invalid('country_code', 'differs from the URL')
  if (booking.party_id.toUpperCase() !== owner.party_id) throw invalid('party_id', 'differs from the URL')
  if (booking.id.toUpperCase() !== c.req.param('booking_id')!.toUpperCase()) throw invalid('id', 'differs from the URL')
  const stored = await getBooking(c.get('db'), 'received', owner, booking.id)
  if (stored && toEpochMs(booking.last_updated) < toEpochMs(stored.last_updated)) return false
  const { country_code, party_id } = booking.booking_requests[0]!.booking_request
  const msp = { country_code: country_code.toUpperCase(), party_id: party_id.toUpperCase() }
  if (!(await findHostedParty(c.get('db'), msp, 'EMSP'))) {
    throw invalid('booking_requests.0.booking_request.party_id', `${msp.country_code}*${msp.party_id} is not an eMSP hosted here`)
  }
  await saveBooking(c.get('db'), 'received', c.get('peer').id, msp, booking)
  return !stored
}

/** The BookingLocation the path names, of the path's CPO, which the peer must hold; 2003/404 when unknown. */
async function storedBookingLocation(c: Context<OcpiEnv>): Promise<BookingLocation> {
  const owner = partyInPath(c)
  assertPeerRepresents(c, owner, 'CPO')
  const location = await getReceivedBookingLocation(c.get('db'), owner, c.req.param('booking_location_id')!)
  if (!location) throw new OcpiError(2003, `Unknown BookingLocation ${c.req.param('booking_location_id')}`, { http_status: 404 })
  return location
}

function calendarOf(location: BookingLocation, calendarId: string): Calendar {
  const calendar = location.calendars?.find((candidate) => candidate.id.toUpperCase() === calendarId.toUpperCase())
  if (!calendar) throw new OcpiError(2003, `Unknown Calendar ${calendarId}`, { http_status: 404 })
  return calendar
}

/** Stores a pushed BookingLocation whose ids match the path; an older push never overwrites a newer one. */
async function storeBookingLocation(c: Context<OcpiEnv>, location: BookingLocation): Promise<boolean> {
  const owner = partyInPath(c)
  if (location.country_code.toUpperCase() !== owner.country_code) throw invalid('country_code', 'differs from the URL')
  if (location.party_id.toUpperCase() !== owner.party_id) throw invalid('party_id', 'differs from the URL')
  if (location.id.toUpperCase() !== c.req.param('booking_location_id')!.toUpperCase()) throw invalid('id', 'differs from the URL')
  const stored = await getReceivedBookingLocation(c.get('db'), owner, location.id)
  if (stored && toEpochMs(location.last_updated) < toEpochMs(stored.last_updated)) return false
  await saveReceivedBookingLocation(c.get('db'), c.get('peer').id, location)
  return !stored
}

/**
 * A Calendar is stored inside its BookingLocation, which must be known (2003/404 otherwise). "When the PATCH is on a
 * Calendar Object, the Receiver SHALL also set the new last_updated value on the parent BookingLocation Objects."
 */
async function storeCalendar(c: Context<OcpiEnv>, calendar: Calendar): Promise<boolean> {
  const location = await storedBookingLocation(c)
  const same = (candidate: Calendar) => candidate.id.toUpperCase() === calendar.id.toUpperCase()
  const stored = location.calendars?.find(same)
  if (stored && toEpochMs(calendar.last_updated) < toEpochMs(stored.last_updated)) return false
  const others = (location.calendars ?? []).filter((candidate) => !same(candidate))
  const last_updated = toEpochMs(calendar.last_updated) > toEpochMs(location.last_updated) ? calendar.last_updated : location.last_updated
  await storeBookingLocation(c, { ...location, calendars: [...others, calendar], last_updated })
  return !stored
}
