import { and, eq, gt, inArray, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm'
import type { Database } from '../../db/client'
import { objectPage } from '../../db/paging'
import { bookings } from '../../db/schema'
import type { PartyRef } from '../../ocpi/context'
import type { Booking } from '../../ocpi/objects/booking'
import type { Page, PageQuery } from '../../ocpi/paging'
import { toEpochMs } from '../../ocpi/types'
import { HOLDING_STATUSES, type HeldSlot } from './decide'
import type { CalendarBooking } from './booking-locations'

export type BookingSource = 'own' | 'received'

const upper = (party: PartyRef): PartyRef => ({ country_code: party.country_code.toUpperCase(), party_id: party.party_id.toUpperCase() })
const ofOwner = (owner: PartyRef) => and(eq(bookings.country_code, owner.country_code.toUpperCase()), eq(bookings.party_id, owner.party_id.toUpperCase()))
const ofMsp = (msp: PartyRef) => and(eq(bookings.msp_country_code, msp.country_code.toUpperCase()), eq(bookings.msp_party_id, msp.party_id.toUpperCase()))
/** One row per booking, `peer_id` null for own (docs/architecture.md, "Whose copy an object is"). */
const ofSource = (source: BookingSource) => (source === 'own' ? isNull(bookings.peer_id) : isNotNull(bookings.peer_id))

/** One booking by its CPO and id (ids compare case-insensitively: CiString). */
export async function getBooking(db: Database, source: BookingSource, owner: PartyRef, id: string): Promise<Booking | undefined> {
  const row = await db.select({ object: bookings.object }).from(bookings)
    .where(and(ofSource(source), ofOwner(owner), eq(bookings.id, id.toUpperCase()))).get()
  return row?.object
}

/** The booking an eMSP party made with `request_id` at a CPO: "The same request ID SHALL be used for all edits on booking". */
export async function getBookingByRequest(db: Database, source: BookingSource, owner: PartyRef, msp: PartyRef, requestId: string): Promise<Booking | undefined> {
  const row = await db.select({ object: bookings.object }).from(bookings)
    .where(and(ofSource(source), ofOwner(owner), ofMsp(msp), eq(bookings.request_id, requestId.toUpperCase()))).get()
  return row?.object
}

/** Own bookings at a location that still hold their slot and have not ended, for the slot check. */
export async function heldSlots(db: Database, owner: PartyRef, locationId: string, now: number): Promise<HeldSlot[]> {
  const rows = await db.select({ object: bookings.object }).from(bookings)
    .where(and(ofSource('own'), ofOwner(owner), eq(bookings.location_id, locationId.toUpperCase()), gt(bookings.end_ms, now),
      inArray(bookings.reservation_status, [...HOLDING_STATUSES])))
    .all()
  return rows.map(({ object }) => ({ id: object.id, evse_uid: object.evse_uid, period: object.period }))
}

/**
 * Stores a booking as `source` holds it, replacing the previous state; `msp` is the eMSP party that requested it, and
 * `peerId` the peer that requested an own booking or the peer CPO that holds a received one. A received write never
 * replaces an own booking (own wins).
 * An own booking that holds its slot on an EVSE is written only if no other booking holding an overlapping slot on that
 * EVSE exists at that moment, in the same statement, so two requests racing for one slot cannot both be reserved.
 * Returns false when that check refused the write.
 */
export async function saveBooking(db: Database, source: BookingSource, peerId: string, msp: PartyRef, booking: Booking): Promise<boolean> {
  const row = bookingRow(source, peerId, msp, booking)
  const { country_code: _country, party_id: _party, id: _id, ...changes } = row
  if (!(source === 'own' && holdsEvseSlot(row))) {
    const written = await db.insert(bookings).values(row).onConflictDoUpdate({
      target: [bookings.country_code, bookings.party_id, bookings.id], set: changes,
      ...(source === 'own' ? {} : { setWhere: isNotNull(bookings.peer_id) }),
    }).returning({ id: bookings.id })
    return written.length > 0
  }
  const written = await db.all<{ id: string }>(sql`
    ${insertSelect(row)} WHERE ${slotFree(row)}
    ON CONFLICT (country_code, party_id, id) DO UPDATE SET
      ${sql.raw(Object.keys(changes).map((column) => `${column} = excluded.${column}`).join(', '))}
    RETURNING id`)
  return written.length > 0
}

/**
 * Writes a new own booking in one statement, which D1 runs atomically with no other write in between: nothing is
 * written when the booking would hold a slot on an EVSE that a booking holding an overlapping slot already has, or when
 * the eMSP party's `request_id` is already taken at this CPO (bookings_by_request). So of requests racing for one slot
 * exactly one is reserved, and a request that arrives twice at once becomes one booking. Returns whether it was written.
 */
export async function insertOwnBooking(db: Database, peerId: string, msp: PartyRef, booking: Booking): Promise<boolean> {
  const row = bookingRow('own', peerId, msp, booking)
  const written = await db.all<{ id: string }>(sql`
    ${insertSelect(row)} WHERE ${holdsEvseSlot(row) ? slotFree(row) : sql`1`}
    ON CONFLICT DO NOTHING
    RETURNING id`)
  return written.length > 0
}

type BookingRow = ReturnType<typeof bookingRow>

const holdsEvseSlot = (row: BookingRow) => row.evse_uid !== null && HOLDING_STATUSES.includes(row.reservation_status)

/** `INSERT INTO bookings (...) SELECT <the row's values>`, to be completed by a WHERE: a write that can decline itself. */
function insertSelect(row: BookingRow): SQL {
  const values = Object.values({ ...row, object: JSON.stringify(row.object) })
  return sql`INSERT INTO bookings (${sql.raw(Object.keys(row).join(', '))}) SELECT ${sql.join(values.map((value) => sql`${value}`), sql`, `)}`
}

/** No other own booking holds a slot overlapping the row's (half-open periods) on its EVSE (index bookings_by_location). */
const slotFree = (row: BookingRow): SQL => sql`NOT EXISTS (
  SELECT 1 FROM bookings WHERE country_code = ${row.country_code} AND party_id = ${row.party_id} AND location_id = ${row.location_id}
    AND end_ms > ${row.start_ms} AND peer_id IS NULL AND evse_uid = ${row.evse_uid} AND id <> ${row.id}
    AND reservation_status IN (${sql.join(HOLDING_STATUSES.map((status) => sql`${status}`), sql`, `)}) AND start_ms < ${row.end_ms})`

function bookingRow(source: BookingSource, peerId: string, msp: PartyRef, booking: Booking) {
  const owner = upper(booking)
  return {
    ...owner, id: booking.id.toUpperCase(),
    peer_id: source === 'own' ? null : peerId, requested_by_peer_id: source === 'own' ? peerId : null,
    msp_country_code: upper(msp).country_code, msp_party_id: upper(msp).party_id,
    request_id: booking.request_id.toUpperCase(), location_id: booking.location_id.toUpperCase(), evse_uid: booking.evse_uid?.toUpperCase() ?? null,
    start_ms: toEpochMs(booking.period.start_from), end_ms: toEpochMs(booking.period.end_before),
    reservation_status: booking.reservation_status, object: booking, last_updated: toEpochMs(booking.last_updated),
    key: `${owner.country_code}*${owner.party_id}*${booking.id}`.toUpperCase(),
  }
}

export interface BookingListFilter {
  source: BookingSource
  /** Only bookings of these CPOs. */
  owners?: readonly PartyRef[]
  /** Only bookings requested by these eMSP parties. */
  msps?: readonly PartyRef[]
  /** Only bookings exchanged with this peer: own ones it requested, received ones it holds. */
  peerId?: string
}

export async function listBookings(db: Database, filter: BookingListFilter, page: PageQuery): Promise<Page<Booking>> {
  const conditions: (SQL | undefined)[] = [ofSource(filter.source)]
  if (filter.owners) conditions.push(filter.owners.length ? or(...filter.owners.map(ofOwner)) : eq(bookings.key, ''))
  if (filter.msps) conditions.push(filter.msps.length ? or(...filter.msps.map(ofMsp)) : eq(bookings.key, ''))
  if (filter.peerId) conditions.push(eq(filter.source === 'own' ? bookings.requested_by_peer_id : bookings.peer_id, filter.peerId))
  return objectPage<Booking>(db, bookings, and(...conditions), page, ['bookings'])
}

/** An own booking with whom it was made for: the requesting eMSP party and the peer it came through. */
export interface OwnBookingRecord { booking: Booking; msp: PartyRef; requested_by_peer_id: string | null }

const recordColumns = { object: bookings.object, msp_country_code: bookings.msp_country_code, msp_party_id: bookings.msp_party_id, requested_by_peer_id: bookings.requested_by_peer_id }
const toRecord = (row: { object: Booking; msp_country_code: string; msp_party_id: string; requested_by_peer_id: string | null }): OwnBookingRecord =>
  ({ booking: row.object, msp: { country_code: row.msp_country_code, party_id: row.msp_party_id }, requested_by_peer_id: row.requested_by_peer_id })

export async function getOwnBookingRecord(db: Database, owner: PartyRef, id: string): Promise<OwnBookingRecord | undefined> {
  const row = await db.select(recordColumns).from(bookings).where(and(ofSource('own'), ofOwner(owner), eq(bookings.id, id.toUpperCase()))).get()
  return row && toRecord(row)
}

/** Own RESERVED bookings on one EVSE whose slot holds `at` (start_from <= at < end_before). */
export async function reservedOwnBookingsAt(db: Database, owner: PartyRef, locationId: string, evseUid: string, at: number): Promise<OwnBookingRecord[]> {
  const rows = await db.select(recordColumns).from(bookings)
    .where(and(ofSource('own'), ofOwner(owner), eq(bookings.location_id, locationId.toUpperCase()), eq(bookings.evse_uid, evseUid.toUpperCase()),
      eq(bookings.reservation_status, 'RESERVED'), lte(bookings.start_ms, at), gt(bookings.end_ms, at)))
    .all()
  return rows.map(toRecord)
}

/** Own RESERVED bookings that started before `startedBefore` (bookings_reserved_by_start): candidates for NO_SHOW. */
export async function reservedOwnBookingsStartedBefore(db: Database, startedBefore: number, limit: number): Promise<OwnBookingRecord[]> {
  const rows = await db.select(recordColumns).from(bookings)
    .where(and(eq(bookings.reservation_status, 'RESERVED'), ofSource('own'), lt(bookings.start_ms, startedBefore)))
    .orderBy(bookings.start_ms).limit(limit).all()
  return rows.map(toRecord)
}

/** The most own bookings the Calendars of one request read. */
export const MAX_CALENDAR_BOOKINGS = 10_000

/** Own bookings of these CPOs (any status) that end after `after`: what a hosted CPO's Calendars are derived from. */
export async function ownBookingsEndingAfter(db: Database, owners: readonly PartyRef[], after: number): Promise<CalendarBooking[]> {
  if (!owners.length) return []
  const rows = await db.select({ object: bookings.object }).from(bookings)
    .where(and(ofSource('own'), or(...owners.map(ofOwner)), gt(bookings.end_ms, after)))
    .limit(MAX_CALENDAR_BOOKINGS).all()
  return rows.map(({ object }) => object)
}
