import type { Database } from '../../db/client'
import type { PartyRef } from '../../ocpi/context'
import type { Booking, BookingRequest, BookingRequestStatus, ReservationRequestStatus } from '../../ocpi/objects/booking'
import { toEpochMs } from '../../ocpi/types'
import { getLocation, OWN_SOURCE } from '../locations/store'
import { partyViews } from '../locations/policy-store'
import { isVisible, type Viewer } from '../../ocpi/objects/sharing-policy'
import { decideBooking, HOLDING_STATUSES, HOSTED_BOOKING_TERMS, withinTermsWindow } from './decide'
import { getBookingByRequest, heldSlots, insertOwnBooking, saveBooking } from './store'

/** The request history a booking keeps ("All the requests made for this booking"), bounded so a peer cannot grow a row forever. */
export const MAX_REQUESTS_KEPT = 20

const isoNow = (now: number) => new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * A hosted CPO's answer to a BookingRequest (mod_bookings, "POST Method"): a new request_id books, the same one edits
 * ("The same request ID SHALL be used for all edits on booking"), and an edit carrying `canceled` cancels. The answer is
 * final at once (RESERVED or REJECTED, or the edit ACCEPTED or DECLINED), so nothing stays PENDING.
 */
export async function answerBookingRequest(db: Database, requester: Viewer, cpo: PartyRef, request: BookingRequest, now: number): Promise<Booking> {
  const peerId = requester.id
  const msp = { country_code: request.country_code, party_id: request.party_id }
  const existing = await getBookingByRequest(db, 'own', cpo, msp, request.request_id)
  if (!existing) {
    const booking = await book(db, requester, cpo, request, now)
    if (await insertOwnBooking(db, peerId, msp, booking)) return booking
    // Declined by the write itself: another request took the slot after the decision (REJECTED, "if the requested
    // timeslot or booking option isn't available"), or the same request arrived twice and the other copy was stored
    // first (then this one is answered as an edit of that booking).
    if (!(await getBookingByRequest(db, 'own', cpo, msp, request.request_id))) {
      const lost: Booking = { ...booking, reservation_status: 'REJECTED', booking_requests: [requestStatus(request, 'DECLINED', now)] }
      if (await insertOwnBooking(db, peerId, msp, lost)) return lost
    }
    return answerBookingRequest(db, requester, cpo, request, now)
  }
  const edited = await edit(db, requester, cpo, existing, request, now)
  if (await saveBooking(db, 'own', peerId, msp, edited)) return edited
  // Another request took the new slot between the decision and the write: the booking keeps its slot.
  const lost: Booking = { ...existing, booking_requests: [...existing.booking_requests, requestStatus(request, 'DECLINED', now)].slice(-MAX_REQUESTS_KEPT), last_updated: edited.last_updated }
  await saveBooking(db, 'own', peerId, msp, lost)
  return lost
}

async function book(db: Database, requester: Viewer, cpo: PartyRef, request: BookingRequest, now: number): Promise<Booking> {
  const decision = await decide(db, requester, cpo, request, undefined, now)
  return {
    id: crypto.randomUUID(),
    country_code: cpo.country_code,
    party_id: cpo.party_id,
    request_id: request.request_id,
    location_id: request.location_id,
    ...(request.evse_uid ? { evse_uid: request.evse_uid } : {}),
    ...(request.connector_id ? { connector_id: request.connector_id } : {}),
    ...(request.tokens ? { booking_tokens: request.tokens } : {}),
    period: request.period,
    reservation_status: decision === 'ACCEPTED' && !request.canceled ? 'RESERVED' : 'REJECTED',
    authorization_reference: request.authorization_reference,
    booking_terms: HOSTED_BOOKING_TERMS,
    booking_requests: [requestStatus(request, decision === 'ACCEPTED' && !request.canceled ? 'ACCEPTED' : 'DECLINED', now)],
    last_updated: isoNow(now),
  }
}

async function edit(db: Database, requester: Viewer, cpo: PartyRef, existing: Booking, request: BookingRequest, now: number): Promise<Booking> {
  const open = HOLDING_STATUSES.includes(existing.reservation_status)
  const terms = existing.booking_terms
  let updated: Booking = existing
  let status: ReservationRequestStatus = 'DECLINED'
  if (open && request.canceled && withinTermsWindow(existing.period, terms.cancel_until_minutes, now)) {
    updated = { ...existing, reservation_status: 'CANCELED', canceled: request.canceled }
    status = 'ACCEPTED'
  } else if (open && !request.canceled && !terms.change_not_allowed && withinTermsWindow(existing.period, terms.change_until_minutes, now)
    && request.location_id.toUpperCase() === existing.location_id.toUpperCase()
    && (await decide(db, requester, cpo, request, existing.id, now)) === 'ACCEPTED') {
    const { evse_uid: _evse, connector_id: _connector, ...rest } = existing
    updated = {
      ...rest,
      ...(request.evse_uid ? { evse_uid: request.evse_uid } : {}),
      ...(request.connector_id ? { connector_id: request.connector_id } : {}),
      ...(request.tokens ? { booking_tokens: request.tokens } : {}),
      period: request.period,
      authorization_reference: request.authorization_reference,
    }
    status = 'ACCEPTED'
  }
  const history = [...existing.booking_requests, requestStatus(request, status, now)].slice(-MAX_REQUESTS_KEPT)
  return { ...updated, booking_requests: history, last_updated: isoNow(Math.max(now, toEpochMs(existing.last_updated) + 1000)) }
}

/**
 * A location the CPO's sharing policy hides from the requesting peer is booked like an unknown one (REJECTED), as it
 * is for commands: its existence is not the peer's business.
 */
async function decide(db: Database, requester: Viewer, cpo: PartyRef, request: BookingRequest, editing: string | undefined, now: number): Promise<ReservationRequestStatus> {
  const [stored, [view]] = await Promise.all([getLocation(db, OWN_SOURCE, cpo, request.location_id), partyViews(db, requester, [cpo])])
  const location = stored && view && isVisible(view.visibility, stored.location) ? stored : undefined
  const held = (await heldSlots(db, cpo, request.location_id, now)).filter((slot) => slot.id !== editing)
  const decision = decideBooking({ request, evses: location ? (location.location.evses ?? []) : undefined, held, now })
  return decision.status === 'RESERVED' ? 'ACCEPTED' : 'DECLINED'
}

const requestStatus = (booking_request: BookingRequest, request_status: ReservationRequestStatus, now: number): BookingRequestStatus =>
  ({ request_status, booking_request, request_received: isoNow(now) })
