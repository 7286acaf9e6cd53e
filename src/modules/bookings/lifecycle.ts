import type { Database } from '../../db/client'
import { databaseFor } from '../../db/shards'
import type { Env } from '../../env'
import type { PartyRef } from '../../ocpi/context'
import type { Booking, ReservationStatus } from '../../ocpi/objects/booking'
import { toEpochMs } from '../../ocpi/types'
import { publishOwnBooking } from './push'
import { pushBookingLocationsAt } from './push-booking-locations'
import { getOwnBookingRecord, reservedOwnBookingsAt, reservedOwnBookingsStartedBefore, saveBooking, type OwnBookingRecord } from './store'

// What happens to a hosted CPO's RESERVED booking after the eMSP's requests (mod_bookings, "Booking Lifecycle"): "From
// RESERVED, the Booking can transition to: FULFILLED when successfully utilized. CANCELED if the eMSP or CPO cancels
// the booking. NO_SHOW if the booking is not utilized within the timeframe specified by the booking terms." Each
// change is stored and pushed to the eMSP.

const NO_SHOW_BATCH = 200

/** The cron job (src/app/cron.ts). */
export const bookingsNoShowJob = { name: 'bookings-no-show', run: async (env: Env) => void (await markOwnNoShows(env, databaseFor(env))) }

const isoAt = (at: number, after: string) => new Date(Math.max(at, toEpochMs(after) + 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z')

async function moveTo(env: Env, db: Database, record: OwnBookingRecord, status: ReservationStatus, at: number, extra: Partial<Booking> = {}): Promise<Booking> {
  const booking: Booking = { ...record.booking, ...extra, reservation_status: status, last_updated: isoAt(at, record.booking.last_updated) }
  await saveBooking(db, 'own', record.requested_by_peer_id ?? '', record.msp, booking)
  await publishOwnBooking(env, { ...record, booking })
  await pushBookingLocationsAt(env, db, booking, booking.location_id, at)
  return booking
}

/** The CPO cancels a booking that holds its slot (management API); undefined when there is none to cancel. */
export async function cancelOwnBooking(env: Env, db: Database, cpo: PartyRef, id: string, reason: NonNullable<Booking['canceled']>['cancellation_reason'], now = Date.now()): Promise<Booking | undefined> {
  const record = await getOwnBookingRecord(db, cpo, id)
  if (!record || (record.booking.reservation_status !== 'RESERVED' && record.booking.reservation_status !== 'PENDING')) return undefined
  return moveTo(env, db, record, 'CANCELED', now, { canceled: { cancellation_reason: reason, who_canceled: 'CPO' } })
}

/**
 * A session started on an EVSE: the booking holding it now for the token's eMSP (and, when the booking names tokens,
 * for one of them) is FULFILLED ("the session is started with the communicated token before the expiry moment has passed").
 */
export async function fulfilOwnBooking(env: Env, db: Database, session: { country_code: string; party_id: string; location_id: string; evse_uid: string; cdr_token: { country_code: string; party_id: string; uid: string } }, at: number): Promise<Booking | undefined> {
  const cpo = { country_code: session.country_code, party_id: session.party_id }
  const token = session.cdr_token
  const match = (await reservedOwnBookingsAt(db, cpo, session.location_id, session.evse_uid, at)).find((record) =>
    record.msp.country_code === token.country_code.toUpperCase() && record.msp.party_id === token.party_id.toUpperCase()
    && (!record.booking.booking_tokens?.length || record.booking.booking_tokens.some((booked) => booked.uid.toUpperCase() === token.uid.toUpperCase())))
  return match && moveTo(env, db, match, 'FULFILLED', at)
}

/**
 * RESERVED bookings whose start plus the terms' `noshow_timeout` has passed without a session: NO_SHOW ("No timeout if
 * unspecified"). Run by the cron job; returns how many it moved.
 */
export async function markOwnNoShows(env: Env, db: Database, now = Date.now()): Promise<number> {
  let moved = 0
  for (const record of await reservedOwnBookingsStartedBefore(db, now, NO_SHOW_BATCH)) {
    const timeout = record.booking.booking_terms.noshow_timeout
    if (timeout === undefined || toEpochMs(record.booking.period.start_from) + timeout * 60_000 > now) continue
    await moveTo(env, db, record, 'NO_SHOW', now)
    moved++
  }
  return moved
}
