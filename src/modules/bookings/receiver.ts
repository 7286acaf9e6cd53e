import { Hono, type Context } from 'hono'
import { parseWith } from '../../ocpi/body'
import type { OcpiEnv } from '../../ocpi/context'
import { respond } from '../../ocpi/envelope'
import { invalid, OcpiError } from '../../ocpi/errors'
import { readObjectBody } from '../../ocpi/object-body'
import { Booking, bookingPatchVersions, bookingVersions } from '../../ocpi/objects/booking'
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
  .get('/:country_code/:party_id/:booking_id', async (c) => {
    const owner = partyInPath(c)
    assertPeerRepresents(c, owner, 'CPO')
    const booking = await getBooking(c.var.db, 'received', owner, c.req.param('booking_id'))
    if (!booking) throw new OcpiError(2003, `Unknown booking ${c.req.param('booking_id')}`, { http_status: 404 })
    return respond(c, toWire(bookingVersions, c.var.version, booking))
  })
  .put('/:country_code/:party_id/:booking_id', async (c) => {
    const owner = partyInPath(c)
    assertPeerRepresents(c, owner, 'CPO')
    const booking = fromWire(bookingVersions, c.var.version, await readObjectBody(c))
    await store(c, booking)
    return respond(c, null)
  })
  .patch('/:country_code/:party_id/:booking_id', async (c) => {
    const owner = partyInPath(c)
    assertPeerRepresents(c, owner, 'CPO')
    const patch = fromWire(bookingPatchVersions, c.var.version, await readObjectBody(c))
    const stored = await getBooking(c.var.db, 'received', owner, c.req.param('booking_id'))
    if (!stored) throw new OcpiError(2003, `Unknown booking ${c.req.param('booking_id')}: PUT it first`, { http_status: 404 })
    // An older PATCH (delayed in a queue) never overwrites a newer state.
    if (toEpochMs(patch.last_updated) < toEpochMs(stored.last_updated)) return respond(c, null)
    await store(c, parseWith(Booking, { ...stored, ...patch }))
    return respond(c, null)
  })

async function store(c: Context<OcpiEnv>, booking: Booking) {
  const owner = partyInPath(c)
  if (booking.country_code.toUpperCase() !== owner.country_code) throw invalid('country_code', 'differs from the URL')
  if (booking.party_id.toUpperCase() !== owner.party_id) throw invalid('party_id', 'differs from the URL')
  if (booking.id.toUpperCase() !== c.req.param('booking_id')!.toUpperCase()) throw invalid('id', 'differs from the URL')
  const stored = await getBooking(c.var.db, 'received', owner, booking.id)
  if (stored && toEpochMs(booking.last_updated) < toEpochMs(stored.last_updated)) return
  const { country_code, party_id } = booking.booking_requests[0]!.booking_request
  const msp = { country_code: country_code.toUpperCase(), party_id: party_id.toUpperCase() }
  if (!(await findHostedParty(c.var.db, msp, 'EMSP'))) {
    throw invalid('booking_requests.0.booking_request.party_id', `${msp.country_code}*${msp.party_id} is not an eMSP hosted here`)
  }
  await saveBooking(c.var.db, 'received', c.var.peer.id, msp, booking)
}
