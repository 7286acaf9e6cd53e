import { describe, expect, it } from 'vitest'
import { decideBooking, overlaps, withinTermsWindow, type BookingInput } from '../../../src/modules/bookings/decide'

const NOW = Date.parse('2030-01-01T10:00:00Z')
const slot = (from: string, to: string) => ({ start_from: `2030-01-01T${from}:00Z`, end_before: `2030-01-01T${to}:00Z` })
const input = (overrides: Partial<BookingInput> = {}): BookingInput => ({
  request: { evse_uid: 'EVSE-1', period: slot('12:00', '13:00') },
  evses: [{ uid: 'EVSE-1', status: 'AVAILABLE' }, { uid: 'EVSE-2', status: 'OUTOFORDER' }],
  held: [],
  now: NOW,
  ...overrides,
})

describe('decideBooking', () => {
  it('reserves a free future slot on a known EVSE, whatever the case of its uid', () => {
    expect(decideBooking(input())).toEqual({ status: 'RESERVED' })
    expect(decideBooking(input({ request: { evse_uid: 'evse-1', period: slot('12:00', '13:00') } }))).toEqual({ status: 'RESERVED' })
  })

  it('rejects a slot overlapping a held booking on the same EVSE', () => {
    const held = [{ id: 'B1', evse_uid: 'EVSE-1', period: slot('12:30', '14:00') }]
    expect(decideBooking(input({ held }))).toEqual({ status: 'REJECTED', reason: 'the slot overlaps booking B1 on EVSE EVSE-1' })
  })

  it('reserves back-to-back slots (periods are half-open) and slots on another EVSE', () => {
    expect(decideBooking(input({ held: [{ id: 'B1', evse_uid: 'EVSE-1', period: slot('13:00', '14:00') }] })).status).toBe('RESERVED')
    expect(decideBooking(input({ held: [{ id: 'B1', evse_uid: 'EVSE-3', period: slot('12:00', '13:00') }] })).status).toBe('RESERVED')
  })

  it('rejects past or inverted periods, unknown locations and EVSEs, missing evse_uid and broken EVSEs', () => {
    const reject = (overrides: Partial<BookingInput>) => decideBooking(input(overrides)).status
    expect(reject({ request: { evse_uid: 'EVSE-1', period: slot('09:00', '11:00') } })).toBe('REJECTED')
    expect(reject({ request: { evse_uid: 'EVSE-1', period: slot('13:00', '12:00') } })).toBe('REJECTED')
    expect(reject({ evses: undefined })).toBe('REJECTED')
    expect(reject({ request: { evse_uid: 'NOPE', period: slot('12:00', '13:00') } })).toBe('REJECTED')
    expect(reject({ request: { period: slot('12:00', '13:00') } })).toBe('REJECTED')
    expect(reject({ request: { evse_uid: 'EVSE-2', period: slot('12:00', '13:00') } })).toBe('REJECTED')
  })
})

describe('overlaps and terms windows', () => {
  it('treats periods as half-open', () => {
    expect(overlaps(slot('12:00', '13:00'), slot('12:59', '14:00'))).toBe(true)
    expect(overlaps(slot('12:00', '13:00'), slot('13:00', '14:00'))).toBe(false)
  })

  it('allows a change or cancellation until the given minutes before the start', () => {
    expect(withinTermsWindow(slot('12:00', '13:00'), 120, NOW)).toBe(true)
    expect(withinTermsWindow(slot('12:00', '13:00'), 121, NOW)).toBe(false)
  })
})
