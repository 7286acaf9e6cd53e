import type { Database } from '../../db/client'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { bookingLocationVersions } from '../../ocpi/objects/booking'
import { mayView } from '../../ocpi/objects/sharing-policy'
import { toWire } from '../../ocpi/version-adapters'
import { publish } from '../../push/publish'
import { getLocation, OWN_SOURCE } from '../locations/store'
import { getPolicy } from '../locations/policy-store'
import { receivingParty } from '../locations/push'
import { bookingLocationsOf } from './booking-locations'
import { BOOKINGS_MODULE } from './module-id'
import { ownBookingsEndingAfter } from './store'

/**
 * A booking at a hosted CPO's location changed its Calendars: PUT the location's BookingLocations ("Push
 * BookingLocations or Calendars to the eMSP") to every peer that agreed to the module (the outbox calls only an agreed
 * Receiver endpoint) and that the CPO's sharing policy shows the location. Returns how many pushes were queued.
 */
export async function pushBookingLocationsAt(env: Env, db: Database, cpo: PartyRef, locationId: string, now: number): Promise<number> {
  const [stored, policy, bookings] = await Promise.all([
    getLocation(db, OWN_SOURCE, cpo, locationId), getPolicy(db, cpo), ownBookingsEndingAfter(db, [cpo], Math.floor(now / 86_400_000) * 86_400_000),
  ])
  if (!stored) return 0
  const location = stored.location
  const queued = await Promise.all(bookingLocationsOf(location, bookings, now).map((bookingLocation) => {
    const from = { country_code: bookingLocation.country_code.toUpperCase(), party_id: bookingLocation.party_id.toUpperCase() }
    return publish(env, {
      module: BOOKINGS_MODULE, method: 'PUT', path: [from.country_code, from.party_id, 'booking_locations', bookingLocation.id],
      bodies: { '2.3.0': toWire(bookingLocationVersions, '2.3.0', bookingLocation) }, from,
      objectKey: `booking_locations/${from.country_code}/${from.party_id}/${bookingLocation.id}`.toUpperCase(),
    }, (peer) => (mayView(policy?.policy, peer, location) ? receivingParty(peer) : undefined))
  }))
  return queued.reduce((sum, peers) => sum + peers.length, 0)
}
