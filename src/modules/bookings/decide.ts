import type { BookingRequest, BookingTerms, ReservationStatus, Timeslot } from '../../ocpi/objects/booking'
import type { EVSE } from '../../ocpi/objects/location'
import { toEpochMs } from '../../ocpi/types'

// How a hosted CPO answers a booking request (mod_bookings, "Flow and Lifecycle"): RESERVED when the requested EVSE can
// take the slot, REJECTED "if the requested timeslot or booking option isn't available". Pure: the caller reads the
// location and the EVSE's other bookings and stores the outcome.

/** The terms a hosted CPO books under: a token or a remote start opens the EVSE; changes and cancellation until the start. */
export const HOSTED_BOOKING_TERMS: BookingTerms = {
  supported_access_methods: ['TOKEN'],
  remote_auth_supported: true,
  change_until_minutes: 0,
  cancel_until_minutes: 0,
  // "The number of minutes after the booking start time that it is considered a no show and booking is released."
  noshow_timeout: 15,
  overlapping_bookings_allowed: false,
}

/** Bookings that hold their slot; every other status is final and frees it. */
export const HOLDING_STATUSES: readonly ReservationStatus[] = ['PENDING', 'RESERVED']

/** An EVSE status in which nobody can charge at the booked time. */
export const UNBOOKABLE_EVSE_STATUSES: readonly string[] = ['REMOVED', 'OUTOFORDER', 'INOPERATIVE']

export interface HeldSlot { id: string; evse_uid?: string; period: Timeslot }

export type BookingDecision = { status: 'RESERVED' } | { status: 'REJECTED'; reason: string }

export interface BookingInput {
  request: Pick<BookingRequest, 'evse_uid' | 'period'>
  /** The EVSEs of the requested location, absent when the location is unknown. */
  evses: readonly Pick<EVSE, 'uid' | 'status'>[] | undefined
  /** Bookings on the same location that hold their slot, the booking being changed excluded. */
  held: readonly HeldSlot[]
  now: number
}

/** Two half-open periods [start_from, end_before) overlap when each starts before the other ends. */
export const overlaps = (a: Timeslot, b: Timeslot) =>
  toEpochMs(a.start_from) < toEpochMs(b.end_before) && toEpochMs(b.start_from) < toEpochMs(a.end_before)

export function decideBooking({ request, evses, held, now }: BookingInput): BookingDecision {
  const start = toEpochMs(request.period.start_from)
  const end = toEpochMs(request.period.end_before)
  if (end <= start) return { status: 'REJECTED', reason: 'the period ends before it starts' }
  if (start <= now) return { status: 'REJECTED', reason: 'the period does not lie in the future' }
  if (!evses) return { status: 'REJECTED', reason: 'unknown location' }
  if (!request.evse_uid) return { status: 'REJECTED', reason: 'this CPO books named EVSEs only: evse_uid is required' }
  const uid = request.evse_uid.toUpperCase()
  const evse = evses.find((candidate) => candidate.uid.toUpperCase() === uid)
  if (!evse) return { status: 'REJECTED', reason: `unknown EVSE ${request.evse_uid}` }
  if (UNBOOKABLE_EVSE_STATUSES.includes(evse.status)) return { status: 'REJECTED', reason: `EVSE ${evse.uid} is ${evse.status}` }
  const conflict = held.find((other) => other.evse_uid?.toUpperCase() === uid && overlaps(other.period, request.period))
  if (conflict) return { status: 'REJECTED', reason: `the slot overlaps booking ${conflict.id} on EVSE ${evse.uid}` }
  return { status: 'RESERVED' }
}

/** Whether the eMSP may still cancel or change: until `cancel_until_minutes` / `change_until_minutes` before the start. */
export function withinTermsWindow(period: Timeslot, minutesBefore: number, now: number): boolean {
  return now <= toEpochMs(period.start_from) - minutesBefore * 60_000
}
