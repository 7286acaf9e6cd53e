import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CdrDimension, ChargingPeriod } from '../../src/ocpi/objects/cdr'
import { priceSession, type SessionUsage } from '../../src/tariff'
import { session, tariff, timeZone, usageOf } from './arbitraries'
import { priceSession as referencePriceSession } from './reference/price-session'

// The engine against its big.js reference (test/tariff/reference/, the engine before its arithmetic became exact
// scaled integers): for any tariff and any session, the same breakdown to the last character, or the same error.

const NUM_RUNS = 1500
const TIMEOUT_MS = 120_000

function outcome(price: () => unknown): unknown {
  try {
    return { priced: price() }
  } catch (error) {
    return { error: error instanceof Error ? { name: error.name, message: error.message, path: (error as { path?: string }).path } : error }
  }
}

function expectSamePrice(tariffValue: Parameters<typeof priceSession>[0], usage: SessionUsage, time_zone: string) {
  const actual = outcome(() => priceSession(tariffValue, usage, { time_zone }))
  const expected = outcome(() => referencePriceSession(tariffValue, usage, { time_zone }))
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected))
}

/** Volumes off the grid of arbitraries.ts: any 4-decimal amount, as a CDR writes them, and odd milliseconds. */
const volume = fc.integer({ min: -10, max: 2_000_000 }).map((n) => n / 10_000)
const dimension: fc.Arbitrary<CdrDimension> = fc.record({
  type: fc.constantFrom('ENERGY', 'TIME', 'PARKING_TIME', 'RESERVATION_TIME', 'MIN_CURRENT', 'MAX_CURRENT', 'CURRENT', 'MIN_POWER', 'MAX_POWER', 'POWER'),
  volume,
})
const roughUsage: fc.Arbitrary<SessionUsage> = fc.record({
  start: fc.integer({ min: 0, max: 2_000_000_000 }).map((n) => Date.UTC(2023, 0, 1) + n * 37),
  periods: fc.array(fc.record({ offset: fc.integer({ min: 0, max: 7_200_000 }), dimensions: fc.array(dimension, { maxLength: 5 }) }), { maxLength: 8 }),
  length: fc.option(fc.integer({ min: 0, max: 40_000_000 })),
  total_energy: fc.option(volume),
}).map(({ start, periods, length, total_energy }) => {
  let at = start
  const charging_periods: ChargingPeriod[] = periods.map(({ offset, dimensions }) => ({ start_date_time: new Date((at += offset)).toISOString(), dimensions }))
  return {
    start_date_time: new Date(start).toISOString(),
    ...(length === null ? {} : { end_date_time: new Date(at + length).toISOString() }),
    charging_periods,
    ...(total_energy === null ? {} : { total_energy }),
  }
})

describe('the engine prices exactly as its big.js reference', () => {
  it('for the sessions of the property tests, cut coarsely and finely', () => {
    fc.assert(fc.property(tariff, session, timeZone, (tariffValue, sessionValue, zone) => {
      expectSamePrice(tariffValue, usageOf(sessionValue, true), zone)
      expectSamePrice(tariffValue, usageOf(sessionValue, false), zone)
    }), { numRuns: NUM_RUNS })
  }, TIMEOUT_MS)

  it('for sessions with any 4-decimal volumes, odd milliseconds, missing ends and total_energy', () => {
    fc.assert(fc.property(tariff, roughUsage, timeZone, (tariffValue, usage, zone) => {
      expectSamePrice(tariffValue, usage, zone)
    }), { numRuns: NUM_RUNS })
  }, TIMEOUT_MS)
})
