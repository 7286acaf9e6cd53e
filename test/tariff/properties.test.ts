import Big from 'big.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Cost, cdrCosts, priceSession, type TariffBreakdown } from '../../src/tariff'
import { session, tariff, timeZone, usageOf } from './arbitraries'

// For any tariff and any session (test/tariff/arbitraries.ts), the properties a bill must have.

const NUM_RUNS = 300
// Generous: a loaded machine (the whole suite, other work) can slow 300 runs well past vitest's default 5 s.
const TIMEOUT_MS = 60_000

function costsOf(breakdown: TariffBreakdown): Array<[string, Cost]> {
  return [
    ...(['total_cost', 'total_fixed_cost', 'total_energy_cost', 'total_time_cost', 'total_parking_cost', 'total_reservation_cost'] as const).map((field): [string, Cost] => [field, breakdown[field]]),
    ...breakdown.components.map((component, index): [string, Cost] => [`components.${index}`, component.cost]),
    ...breakdown.periods.flatMap((period, index) => period.dimensions.map((dimension, position): [string, Cost] => [`periods.${index}.dimensions.${position}`, dimension.cost])),
    ...(breakdown.price_limit ? [['price_limit.before_limit', breakdown.price_limit.before_limit] as [string, Cost]] : []),
  ]
}

const sumOf = (values: string[]) => values.reduce((total, value) => total.plus(value), new Big(0))
const arbitrary = fc.record({ tariff, session, timeZone })

describe('pricing properties', () => {
  it('tax lines add up exactly to the difference between the totals after and before taxes', () => {
    fc.assert(fc.property(arbitrary, ({ tariff, session, timeZone }) => {
      const breakdown = priceSession(tariff, usageOf(session, true), { time_zone: timeZone })
      for (const [, cost] of costsOf(breakdown)) {
        expect(new Big(cost.after_taxes).minus(cost.before_taxes).eq(sumOf(cost.taxes.map((tax) => tax.amount)))).toBe(true)
      }
      // and the wire forms say the same: 2.2.1 incl_vat - excl_vat and the 2.3.0 tax amounts
      const v221 = cdrCosts(breakdown, '2.2.1').total_cost
      const v230 = cdrCosts(breakdown, '2.3.0').total_cost
      expect(new Big(v221.incl_vat!).minus(v221.excl_vat).eq(sumOf(v230.taxes!.map((tax) => String(tax.amount))))).toBe(true)
    }), { numRuns: NUM_RUNS })
  }, TIMEOUT_MS)

  it('incl >= excl >= 0, everywhere in the breakdown', () => {
    fc.assert(fc.property(arbitrary, ({ tariff, session, timeZone }) => {
      const breakdown = priceSession(tariff, usageOf(session, true), { time_zone: timeZone })
      for (const [path, cost] of costsOf(breakdown)) {
        expect(new Big(cost.before_taxes).gte(0), path).toBe(true)
        expect(new Big(cost.after_taxes).gte(cost.before_taxes), path).toBe(true)
        for (const tax of cost.taxes) expect(new Big(tax.amount).gte(0), path).toBe(true)
      }
    }), { numRuns: NUM_RUNS })
  }, TIMEOUT_MS)

  it('periods add up to their components, and components to the totals (before min_price/max_price)', () => {
    fc.assert(fc.property(arbitrary, ({ tariff, session, timeZone }) => {
      const breakdown = priceSession(tariff, usageOf(session, true), { time_zone: timeZone })
      const dimensions = breakdown.periods.flatMap((period) => period.dimensions)
      const periodsTotal = sumOf(dimensions.map((dimension) => dimension.cost.after_taxes))
      const componentsTotal = sumOf(breakdown.components.map((component) => component.cost.after_taxes))
      const unlimited = breakdown.price_limit?.before_limit ?? breakdown.total_cost
      expect(periodsTotal.eq(componentsTotal)).toBe(true)
      expect(componentsTotal.eq(unlimited.after_taxes)).toBe(true)
      const byType = sumOf((['total_fixed_cost', 'total_energy_cost', 'total_time_cost', 'total_parking_cost', 'total_reservation_cost'] as const).map((field) => breakdown[field].after_taxes))
      expect(byType.eq(unlimited.after_taxes)).toBe(true)
    }), { numRuns: NUM_RUNS })
  }, TIMEOUT_MS)

  it('the breakdown round-trips through JSON, and its wire prices read back as the same decimals', () => {
    fc.assert(fc.property(arbitrary, ({ tariff, session, timeZone }) => {
      const breakdown = priceSession(tariff, usageOf(session, true), { time_zone: timeZone })
      expect(JSON.parse(JSON.stringify(breakdown))).toEqual(breakdown)
      const wire = JSON.parse(JSON.stringify(cdrCosts(breakdown, '2.3.0')))
      expect(new Big(wire.total_cost.before_taxes).eq(breakdown.total_cost.before_taxes)).toBe(true)
      expect(wire.total_cost.taxes.map((tax: { amount: number }) => new Big(tax.amount).toFixed())).toEqual(breakdown.total_cost.taxes.map((tax) => tax.amount))
    }), { numRuns: NUM_RUNS })
  }, TIMEOUT_MS)

  it('cutting the session\'s periods differently never changes the price', () => {
    fc.assert(fc.property(arbitrary, ({ tariff, session, timeZone }) => {
      const coarse = priceSession(tariff, usageOf(session, false), { time_zone: timeZone })
      const fine = priceSession(tariff, usageOf(session, true), { time_zone: timeZone })
      for (const field of ['total_cost', 'total_fixed_cost', 'total_energy_cost', 'total_time_cost', 'total_parking_cost', 'total_reservation_cost', 'total_energy', 'components', 'price_limit'] as const) {
        expect(fine[field], field).toEqual(coarse[field])
      }
    }), { numRuns: NUM_RUNS })
  }, TIMEOUT_MS)
})
