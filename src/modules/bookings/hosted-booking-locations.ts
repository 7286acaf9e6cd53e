import type { Database } from '../../db/client'
import type { PartyRef } from '../../ocpi/context'
import type { BookingLocation } from '../../ocpi/objects/booking'
import type { Location } from '../../ocpi/objects/location'
import type { Viewer } from '../../ocpi/objects/sharing-policy'
import { listSerializedLocations } from '../locations/store'
import { partyViews } from '../locations/policy-store'
import { bookingLocationsOf } from './booking-locations'
import { ownBookingsEndingAfter } from './store'

/** The most locations one request derives BookingLocations from. */
export const MAX_BOOKING_LOCATION_SOURCES = 1000

/**
 * The BookingLocations of these hosted CPOs that `viewer` may see: derived from the locations the CPOs' sharing
 * policies show it (a hidden location has no BookingLocation, as it is unknown to the peer) and from the CPOs' bookings.
 */
export async function hostedBookingLocations(db: Database, viewer: Viewer, cpos: readonly PartyRef[], now: number): Promise<BookingLocation[]> {
  const views = await partyViews(db, viewer, cpos)
  const startOfToday = Math.floor(now / 86_400_000) * 86_400_000
  const [page, bookings] = await Promise.all([
    listSerializedLocations(db, views, { offset: 0, limit: MAX_BOOKING_LOCATION_SOURCES }, '2.3.0'),
    ownBookingsEndingAfter(db, cpos, startOfToday),
  ])
  return page.objects.flatMap((json) => bookingLocationsOf(JSON.parse(json) as Location, bookings, now))
}
