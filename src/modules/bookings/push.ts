import type { Env } from '../../env'
import { bookingVersions } from '../../ocpi/objects/booking'
import { toWire } from '../../ocpi/version-adapters'
import { publishTo } from '../../push/publish'
import { BOOKINGS_MODULE } from './module-id'
import type { OwnBookingRecord } from './store'

/**
 * A hosted CPO's booking changed on its own (cancelled by the CPO, NO_SHOW, FULFILLED): PUT to the eMSP's Bookings
 * Receiver through the peer it came through, addressed to the requesting eMSP party. The outbox calls only an agreed
 * endpoint (peerEndpoint), and the module is 2.3.0 only, so a 2.2.1 peer gets nothing.
 */
export async function publishOwnBooking(env: Env, record: OwnBookingRecord): Promise<void> {
  if (!record.requested_by_peer_id) return
  const { booking } = record
  const party = { country_code: booking.country_code.toUpperCase(), party_id: booking.party_id.toUpperCase() }
  await publishTo(env, record.requested_by_peer_id, {
    module: BOOKINGS_MODULE, method: 'PUT', path: [party.country_code, party.party_id, booking.id],
    bodies: { '2.3.0': toWire(bookingVersions, '2.3.0', booking) }, from: party,
    objectKey: `bookings/${party.country_code}/${party.party_id}/${booking.id}`.toUpperCase(),
  }, record.msp)
}
