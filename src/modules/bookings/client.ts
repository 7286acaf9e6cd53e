import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { OcpiError } from '../../ocpi/errors'
import { Booking, type BookingRequest } from '../../ocpi/objects/booking'
import { requestPeerModule } from '../../peers/module-request'
import { getPeer } from '../../peers/store'
import { BOOKINGS_MODULE } from './module-id'
import { saveBooking } from './store'

/**
 * eMSP side: sends a BookingRequest (new, changed or canceled) to a peer CPO's Bookings Sender interface and keeps the
 * Booking it answers. The request goes out from the requesting eMSP party (OCPI-from), to `cpo` when given (OCPI-to).
 * A refusal by the peer is returned as its OCPI status; an answer that is not a Booking is 3001.
 */
export async function requestBooking(db: Database, env: Env, peerId: string, request: BookingRequest, cpo?: PartyRef): Promise<Booking> {
  const peer = await getPeer(db, peerId)
  if (!peer) throw OcpiError.unknownObject(`peer ${peerId}`)
  const msp = { country_code: request.country_code, party_id: request.party_id }
  const response = await requestPeerModule(env, peer, { module: BOOKINGS_MODULE, role: 'SENDER', method: 'POST', body: request, from: msp, to: cpo })
  if (response.status_code !== 1000) {
    throw new OcpiError(response.status_code >= 2000 && response.status_code < 3000 ? 2000 : 3001, `The CPO refused the booking request: ${response.status_code} ${response.status_message ?? ''}`.trim())
  }
  const parsed = Booking.safeParse(response.data)
  if (!parsed.success) throw new OcpiError(3001, `The CPO answered an invalid Booking at ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`)
  await saveBooking(db, 'received', peer.id, msp, parsed.data)
  return parsed.data
}
