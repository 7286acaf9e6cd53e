import { Hono, type Context } from 'hono'
import type { AdminEnv } from '../../admin/context'
import { parseWith, readJson } from '../../ocpi/body'
import { OcpiError } from '../../ocpi/errors'
import type { Booking, BookingRequest } from '../../ocpi/objects/booking'
import { respondAdminPage } from '../../ocpi/page-response'
import { parsePageQuery } from '../../ocpi/paging'
import { findHostedParty } from '../../peers/parties'
import { partyInPath } from '../../peers/routing'
import { CancelBooking, NewBooking } from './admin-schema'
import { requestBooking } from './client'
import { getBooking, listBookings } from './store'
import { cancelOwnBooking } from './lifecycle'
import { pullBookingLocations } from './pull-booking-locations'
import { listReceivedBookingLocations } from './booking-location-store'

/**
 * eMSP operators: book a time slot at a peer CPO, cancel it, and read the bookings (`?source=own` for those a hosted CPO
 * holds). Every request goes out from an eMSP party hosted here.
 */
export const admin = new Hono<AdminEnv>()
  .post('/bookings/:peer_id', async (c) => {
    const { to, ...body } = parseWith(NewBooking, await readJson(c))
    const msp = await hostedMsp(c, body)
    const request: BookingRequest = {
      ...body, ...msp,
      request_id: body.request_id ?? crypto.randomUUID(),
      authorization_reference: body.authorization_reference ?? crypto.randomUUID(),
    }
    return c.json(await requestBooking(c.get('db'), c.env, c.req.param('peer_id'), request, to), 201)
  })
  .post('/bookings/:peer_id/:country_code/:party_id/:booking_id/cancel', async (c) => {
    const { cancellation_reason } = parseWith(CancelBooking, await readJson(c))
    const booking = await receivedBooking(c)
    const last = booking.booking_requests.at(-1)!.booking_request
    const request: BookingRequest = { ...last, canceled: { cancellation_reason, who_canceled: 'EMSP' } }
    return c.json(await requestBooking(c.get('db'), c.env, c.req.param('peer_id'), request, partyInPath(c)))
  })
  // A hosted CPO cancels a booking it holds (mod_bookings: "CANCELED if the eMSP or CPO cancels the booking"); pushed.
  .post('/own-bookings/:country_code/:party_id/:booking_id/cancel', async (c) => {
    const { cancellation_reason } = parseWith(CancelBooking, await readJson(c))
    const cpo = partyInPath(c)
    if (!(await findHostedParty(c.get('db'), cpo, 'CPO'))) throw OcpiError.unknownObject(`CPO ${cpo.country_code}*${cpo.party_id}`)
    const canceled = await cancelOwnBooking(c.env, c.get('db'), cpo, c.req.param('booking_id'), cancellation_reason)
    if (!canceled) throw new OcpiError(2003, `No booking ${c.req.param('booking_id')} holding a slot`, { http_status: 404 })
    return c.json(canceled)
  })
  .get('/bookings', async (c) => {
    const page = parsePageQuery(c)
    const source = c.req.query('source') === 'own' ? 'own' : 'received'
    return respondAdminPage(c, page, await listBookings(c.get('db'), { source, peerId: c.req.query('peer_id') || undefined }, page))
  })
  // eMSP operators: fetch a peer CPO's BookingLocations (with their Calendars) and read those received.
  .post('/booking-locations/:peer_id/pull', async (c) => c.json(await pullBookingLocations(c.get('db'), c.env, c.req.param('peer_id'))))
  .get('/booking-locations', async (c) => {
    const page = parsePageQuery(c)
    return respondAdminPage(c, page, await listReceivedBookingLocations(c.get('db'), c.req.query('peer_id') || undefined, page))
  })
  .get('/bookings/:peer_id/:country_code/:party_id/:booking_id', async (c) => c.json(await receivedBooking(c)))

async function receivedBooking(c: Context<AdminEnv>): Promise<Booking> {
  const booking = await getBooking(c.get('db'), 'received', partyInPath(c), c.req.param('booking_id')!)
  if (!booking) throw OcpiError.unknownObject(`booking ${c.req.param('booking_id')}`)
  return booking
}

async function hostedMsp(c: Context<AdminEnv>, party: { country_code: string; party_id: string }) {
  const msp = { country_code: party.country_code.toUpperCase(), party_id: party.party_id.toUpperCase() }
  if (!(await findHostedParty(c.get('db'), msp, 'EMSP'))) throw new OcpiError(2001, `${msp.country_code}*${msp.party_id} is not an eMSP party hosted here`, { path: 'party_id' })
  return msp
}
