import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toEpochMs } from '../../src/ocpi/types'
import { isoDateTimeOf, usualDateTimeMs } from '../../src/tariff/local-time'

// The engine's quick DateTime reading and writing against the general ones (toEpochMs, toISOString).

const NUM_RUNS = 5000
const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0'))

describe('DateTimes the quick way', () => {
  it('reads YYYY-MM-DDTHH:MM:SS[.sss]Z as toEpochMs does, and leaves every other form (or an impossible date) to it', () => {
    const written = fc.tuple(fc.integer({ min: 0, max: 9999 }), two, two, two, two, two, fc.option(fc.integer({ min: 0, max: 999 })))
      .map(([year, month, day, hour, minute, second, ms]) => `${String(year).padStart(4, '0')}-${month}-${day}T${hour}:${minute}:${second}${ms === null ? '' : `.${String(ms).padStart(3, '0')}`}Z`)
    const other = fc.oneof(fc.string(), fc.date({ noInvalidDate: true }).map((date) => date.toISOString().replace('Z', '+00:00')), fc.constantFrom('2024-01-01T00:00:00', '2024-01-01T00:00:00.1Z', '2024-02-30T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01 00:00:00Z'))
    fc.assert(fc.property(fc.oneof(written, other), (text) => {
      const quick = usualDateTimeMs(text)
      let general: number | undefined
      try {
        general = toEpochMs(text)
      } catch {
        general = undefined
      }
      if (quick !== undefined) expect(quick).toBe(general)
    }), { numRuns: NUM_RUNS })
    expect(usualDateTimeMs('2026-01-09T05:45:00.000Z')).toBe(Date.UTC(2026, 0, 9, 5, 45))
    expect(usualDateTimeMs('2024-02-29T23:59:59Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59))
    expect(usualDateTimeMs('2023-02-29T00:00:00Z')).toBeUndefined()
  })

  it('writes any instant as toISOString does', () => {
    fc.assert(fc.property(fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }), (ms) => {
      expect(isoDateTimeOf(ms)).toBe(new Date(ms).toISOString())
    }), { numRuns: NUM_RUNS })
    fc.assert(fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), (ms) => {
      expect(isoDateTimeOf(ms)).toBe(new Date(ms).toISOString())
    }), { numRuns: NUM_RUNS })
  })
})
