import { describe, expect, it } from 'vitest'
import { getBooking, listBookings, saveBooking } from '../../../src/modules/bookings/store'
import type { Booking } from '../../../src/ocpi/objects/booking'
import { db } from '../../ocpi/fixtures'
import { uniqueParty } from '../locations/fixtures'

// The slot guard in the write itself: two requests decided at the same instant cannot both hold one EVSE's slot.

const cpo = uniqueParty('NL')
const msp = uniqueParty('DE')
const booking = (id: string, from: string, to: string, reservation_status: Booking['reservation_status'] = 'RESERVED'): Booking => ({
  id, ...cpo, request_id: `req-${id}`, location_id: 'LOC1', evse_uid: 'E1',
  period: { start_from: `2031-01-01T${from}:00Z`, end_before: `2031-01-01T${to}:00Z` }, reservation_status, authorization_reference: 'a',
  booking_terms: { supported_access_methods: ['TOKEN'], change_until_minutes: 0, cancel_until_minutes: 0 },
  booking_requests: [{ request_status: 'ACCEPTED', request_received: '2030-01-01T00:00:00Z',
    booking_request: { ...msp, request_id: `req-${id}`, location_id: 'LOC1', evse_uid: 'E1', period: { start_from: `2031-01-01T${from}:00Z`, end_before: `2031-01-01T${to}:00Z` }, authorization_reference: 'a' } }],
  last_updated: '2030-01-01T00:00:00Z',
})

describe('saveBooking', () => {
  it('refuses to write a second booking holding an overlapping slot on the same EVSE', async () => {
    expect(await saveBooking(db(), 'own', 'peer-1', msp, booking('G1', '10:00', '11:00'))).toBe(true)
    expect(await saveBooking(db(), 'own', 'peer-1', msp, booking('G2', '10:30', '11:30'))).toBe(false)
    expect(await getBooking(db(), 'own', cpo, 'G2')).toBeUndefined()
    // A rejected booking holds nothing and is stored; the booking itself may be rewritten; an adjacent slot fits.
    expect(await saveBooking(db(), 'own', 'peer-1', msp, booking('G2', '10:30', '11:30', 'REJECTED'))).toBe(true)
    expect(await saveBooking(db(), 'own', 'peer-1', msp, booking('G1', '10:00', '11:00'))).toBe(true)
    expect(await saveBooking(db(), 'own', 'peer-1', msp, booking('G3', '11:00', '12:00'))).toBe(true)
    expect((await getBooking(db(), 'own', cpo, 'g1'))?.reservation_status).toBe('RESERVED')
  })

  it('keeps one row per booking: a peer\'s write never replaces an own booking', async () => {
    expect(await saveBooking(db(), 'own', 'peer-1', msp, booking('W1', '14:00', '15:00'))).toBe(true)
    expect(await saveBooking(db(), 'received', 'peer-2', msp, { ...booking('W1', '14:00', '15:00', 'CANCELED'), last_updated: '2030-02-01T00:00:00Z' })).toBe(false)
    expect((await getBooking(db(), 'own', cpo, 'W1'))?.reservation_status).toBe('RESERVED')
    expect(await getBooking(db(), 'received', cpo, 'W1')).toBeUndefined()
    expect((await listBookings(db(), { source: 'own', peerId: 'peer-1', owners: [cpo] }, { offset: 0, limit: 10 })).objects.map((item) => item.id)).toContain('W1')
  })
})
