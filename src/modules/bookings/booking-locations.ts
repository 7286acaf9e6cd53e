import type { BookingLocation, Calendar, Timeslot } from '../../ocpi/objects/booking'
import type { EVSE, Location } from '../../ocpi/objects/location'
import { toEpochMs } from '../../ocpi/types'
import { HOLDING_STATUSES, HOSTED_BOOKING_TERMS, UNBOOKABLE_EVSE_STATUSES } from './decide'
import type { ReservationStatus } from '../../ocpi/objects/booking'

// A hosted CPO's BookingLocations (mod_bookings, "BookingLocation Object"), derived rather than stored: "the
// BookingLocation covers the information per location, and then can either choose to have the possible bookable
// parking options or provide a list of bookable EVSE UIDs". A hosted CPO books named EVSEs only, so each bookable EVSE
// of a location is one BookingLocation (its id is the EVSE's uid, unique within the CPO's platform), under the terms it
// books with, and its Calendars show what its bookings leave free. Pure: the caller reads locations and bookings.

/** How many days ahead a hosted CPO's Calendars reach: one Calendar per UTC day, today included. */
export const CALENDAR_DAYS = 7
const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

/** An own booking as the Calendars need it: any status, so a cancellation also moves the Calendar's last_updated. */
export interface CalendarBooking {
  location_id: string
  evse_uid?: string
  period: Timeslot
  reservation_status: ReservationStatus
  last_updated: string
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toUpperCase() === b.toUpperCase()

/** The BookingLocations of one location: one per EVSE that can be booked, with the Calendars of the coming days. */
export function bookingLocationsOf(location: Location, bookings: readonly CalendarBooking[], now: number): BookingLocation[] {
  const locationUpdated = toEpochMs(location.last_updated)
  return bookableEvses(location).map((evse) => {
    const onEvse = bookings.filter((booking) => same(booking.location_id, location.id) && same(booking.evse_uid, evse.uid))
    const calendars = calendarsOf(onEvse, locationUpdated, now)
    const updated = Math.max(locationUpdated, ...calendars.map((calendar) => toEpochMs(calendar.last_updated)))
    return { ...bookingLocationBase(location, evse), ...(calendars.length ? { calendars } : {}), last_updated: iso(updated) }
  })
}

/**
 * What the location alone decides of its BookingLocations (all but Calendars and last_updated), one JSON text per
 * BookingLocation: compared before and after an owner write, without computing a week of Calendars twice.
 */
export const bookingLocationShapes = (location: Location): string[] =>
  bookableEvses(location).map((evse) => JSON.stringify(bookingLocationBase(location, evse)))

/** The EVSEs of a location that can be booked: each has one BookingLocation. */
export const bookableEvses = (location: Location) => (location.evses ?? []).filter((evse) => !UNBOOKABLE_EVSE_STATUSES.includes(evse.status))

function bookingLocationBase(location: Location, evse: EVSE) {
  const tariffIds = [...new Set(evse.connectors.flatMap((connector) => connector.tariff_ids ?? []))]
  return {
    country_code: location.country_code,
    party_id: location.party_id,
    id: evse.uid,
    location_id: location.id,
    evse_uid: evse.uid,
    bookable: { reservation_required: false },
    ...(tariffIds.length ? { tariff_id: tariffIds } : {}),
    booking_terms: [HOSTED_BOOKING_TERMS],
  }
}

/** A time window of "GET BookingLocations": `timeslot_from` inclusive, `timeslot_to` exclusive, either may be absent. */
export interface TimeslotWindow { from?: number; to?: number }

/**
 * Whether a BookingLocation "ha[s] a `timeslot`" in the window (mod_bookings, "GET BookingLocations" request parameters):
 * one of its Calendars' available timeslots holds an instant t with timeslot_from <= t < timeslot_to. Timeslots are
 * half-open like booked periods, so a timeslot that ends at timeslot_from, or starts at timeslot_to, has no such instant.
 * Without a window every BookingLocation matches, one without any available timeslot included.
 */
export function hasTimeslotIn(location: Pick<BookingLocation, 'calendars'>, window: TimeslotWindow): boolean {
  if (window.from === undefined && window.to === undefined) return true
  return (location.calendars ?? []).some((calendar) => calendar.available_timeslots.some((slot) =>
    (window.from === undefined || toEpochMs(slot.end_before) > window.from) && (window.to === undefined || toEpochMs(slot.start_from) < window.to)))
}

/**
 * One Calendar per UTC day (id `YYYY-MM-DD`), its available timeslots the day from the current hour on minus the periods
 * bookings hold. A day with nothing free has no Calendar ("available_timeslots", cardinality `+`). A Calendar's
 * last_updated is the latest change of the location or of a booking on the EVSE that day.
 */
function calendarsOf(onEvse: readonly CalendarBooking[], locationUpdated: number, now: number): Calendar[] {
  const today = Math.floor(now / DAY_MS) * DAY_MS
  const calendars: Calendar[] = []
  for (let day = 0; day < CALENDAR_DAYS; day++) {
    const begin = today + day * DAY_MS
    const end = begin + DAY_MS
    const ofDay = onEvse.filter((booking) => toEpochMs(booking.period.start_from) < end && toEpochMs(booking.period.end_before) > begin)
    const held = ofDay.filter((booking) => HOLDING_STATUSES.includes(booking.reservation_status))
      .map((booking) => [toEpochMs(booking.period.start_from), toEpochMs(booking.period.end_before)] as const)
    const free = freeSlots(Math.max(begin, Math.floor(now / HOUR_MS) * HOUR_MS), end, held)
    if (!free.length) continue
    const updated = Math.max(locationUpdated, ...ofDay.map((booking) => toEpochMs(booking.last_updated)))
    calendars.push({
      id: iso(begin).slice(0, 10),
      begin_from: iso(begin),
      end_before: iso(end),
      available_timeslots: free.map(([start, stop]) => ({ start_from: iso(start), end_before: iso(stop) })),
      last_updated: iso(updated),
    })
  }
  return calendars
}

/** [from, to) minus the half-open held periods, in order. */
export function freeSlots(from: number, to: number, held: readonly (readonly [number, number])[]): [number, number][] {
  const free: [number, number][] = []
  let cursor = from
  for (const [start, stop] of [...held].sort((a, b) => a[0] - b[0])) {
    if (start > cursor) free.push([cursor, Math.min(start, to)])
    cursor = Math.max(cursor, stop)
    if (cursor >= to) break
  }
  if (cursor < to) free.push([cursor, to])
  return free.filter(([start, stop]) => stop > start)
}
