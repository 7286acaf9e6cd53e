import type { Database } from '../../db/client'
import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import { bookingLocationVersions, type BookingLocation } from '../../ocpi/objects/booking'
import type { Location } from '../../ocpi/objects/location'
import { mayView } from '../../ocpi/objects/sharing-policy'
import { toEpochMs } from '../../ocpi/types'
import { toWire } from '../../ocpi/version-adapters'
import type { Peer } from '../../peers/store'
import { publish } from '../../push/publish'
import { getLocation, OWN_SOURCE } from '../locations/store'
import { getPolicy } from '../locations/policy-store'
import { receivingParty } from '../locations/push'
import { bookableEvses, bookingLocationShapes, bookingLocationsOf } from './booking-locations'
import { BOOKINGS_MODULE } from './module-id'
import { ownBookingsEndingAfter } from './store'

// "Push BookingLocations or Calendars to the eMSP" (mod_bookings, Receiver interface): a hosted CPO's BookingLocations
// are derived from its locations and bookings (booking-locations.ts), so they are PUT whenever either changes them, to
// every peer that agreed to the module (the outbox calls only an agreed Receiver endpoint) and that the CPO's sharing
// policy shows the location.

const startOfDay = (now: number) => Math.floor(now / 86_400_000) * 86_400_000

/**
 * A booking at a hosted CPO's location changed its Calendars: PUT the location's BookingLocations. Returns how many
 * pushes were queued.
 */
export async function pushBookingLocationsAt(env: Env, db: Database, cpo: PartyRef, locationId: string, now: number): Promise<number> {
  const [stored, policy, bookings] = await Promise.all([
    getLocation(db, OWN_SOURCE, cpo, locationId), getPolicy(db, cpo), ownBookingsEndingAfter(db, [cpo], startOfDay(now)),
  ])
  if (!stored) return 0
  return publishBookingLocations(env, bookingLocationsOf(stored.location, bookings, now), (peer) => mayView(policy?.policy, peer, stored.location))
}

/** A BookingLocation as the bookings leave it aside: what a change of the location alone can change. */
const withoutTimes = ({ last_updated: _updated, calendars: _calendars, ...rest }: BookingLocation) => JSON.stringify(rest)

/**
 * The owner changed a hosted CPO's location (management API, simulator): when that changes its BookingLocations (a
 * bookable EVSE added, removed or out of order, other tariffs), PUT those that changed. A BookingLocation that is gone
 * (its EVSE REMOVED, OUTOFORDER or INOPERATIVE) is PUT without Calendars: nothing is free on it any more (the receiver
 * interface has no DELETE, and a peer may hold bookings that name it). A change that leaves them as they were, such
 * as an EVSE going from AVAILABLE to CHARGING, reads and pushes nothing. Returns how many pushes were queued.
 */
export async function pushBookingLocationsOnLocationChange(env: Env, db: Database, before: Location | undefined, after: Location, now = Date.now()): Promise<number> {
  const shapeOf = (location: Location | undefined) => (location ? bookingLocationShapes(location) : [])
  if (JSON.stringify(shapeOf(before)) === JSON.stringify(shapeOf(after))) return 0
  const cpo = { country_code: after.country_code, party_id: after.party_id }
  const [policy, bookings] = await Promise.all([getPolicy(db, cpo), ownBookingsEndingAfter(db, [cpo], startOfDay(now))])
  const previous = new Map((before ? bookingLocationsOf(before, bookings, now) : []).map((location) => [location.id.toUpperCase(), location]))
  const current = bookingLocationsOf(after, bookings, now)
  const changed = current.filter((location) => {
    const held = previous.get(location.id.toUpperCase())
    return !held || withoutTimes(held) !== withoutTimes(location)
  })
  const stillThere = new Set(current.map((location) => location.id.toUpperCase()))
  const gone = [...previous.values()].filter((location) => !stillThere.has(location.id.toUpperCase())).map(({ calendars: _calendars, ...rest }) => ({
    ...rest, last_updated: toEpochMs(after.last_updated) > toEpochMs(rest.last_updated) ? after.last_updated : rest.last_updated,
  }))
  return publishBookingLocations(env, [...changed, ...gone], (peer) => mayView(policy?.policy, peer, after))
}

/**
 * A sharing policy change (B1.5) changed who may see this hosted CPO location (called by the policy-change job, a
 * chunk of locations per step, with the location as now stored): a peer that may now see it gets its BookingLocations
 * PUT, and a peer that no longer may gets them PUT without Calendars, stamped with the location's new last_updated:
 * nothing is free on them for it any more (the receiver interface has no DELETE). Returns how many pushes were queued.
 */
export async function pushBookingLocationsOnVisibilityChange(env: Env, location: Location, sawBefore: (peer: Peer) => boolean, seesAfter: (peer: Peer) => boolean, now = Date.now()): Promise<number> {
  if (bookableEvses(location).length === 0) return 0
  const cpo = { country_code: location.country_code, party_id: location.party_id }
  const bookingLocations = bookingLocationsOf(location, await ownBookingsEndingAfter(databaseFor(env), [cpo], startOfDay(now)), now)
  const withdrawn = bookingLocations.map(({ calendars: _calendars, ...rest }) => ({ ...rest, last_updated: location.last_updated }))
  return (await publishBookingLocations(env, bookingLocations, (peer) => !sawBefore(peer) && seesAfter(peer)))
    + (await publishBookingLocations(env, withdrawn, (peer) => sawBefore(peer) && !seesAfter(peer)))
}

/** PUTs the BookingLocations to every peer `to` picks (and that agreed to the module: publish, the outbox). */
async function publishBookingLocations(env: Env, bookingLocations: readonly BookingLocation[], to: (peer: Peer) => boolean): Promise<number> {
  const queued = await Promise.all(bookingLocations.map((bookingLocation) => {
    const from = { country_code: bookingLocation.country_code.toUpperCase(), party_id: bookingLocation.party_id.toUpperCase() }
    return publish(env, {
      module: BOOKINGS_MODULE, method: 'PUT', path: [from.country_code, from.party_id, 'booking_locations', bookingLocation.id],
      bodies: { '2.3.0': toWire(bookingLocationVersions, '2.3.0', bookingLocation) }, from,
      objectKey: `booking_locations/${from.country_code}/${from.party_id}/${bookingLocation.id}`.toUpperCase(),
    }, (peer) => (to(peer) ? receivingParty(peer) : undefined))
  }))
  return queued.reduce((sum, peers) => sum + peers.length, 0)
}
