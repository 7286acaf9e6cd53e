import { describe, expect, it } from 'vitest'
import { CdrCostBreakdown } from '../../src/ocpi/objects/cdr-cost-breakdown'
import type { Tariff } from '../../src/ocpi/objects/tariff'
import { cdrCostBreakdown, cdrCosts, priceSession, transactionTypeOf } from '../../src/tariff'
import { usageOf } from './usage'

// The CDR's cost_breakdown extension as the engine fills it: every period's cost per dimension, and VAT per cost type.

const tariff: Tariff = {
  country_code: 'NL', party_id: 'ECO', id: 'T', currency: 'EUR', tax_included: 'NO', last_updated: '2024-01-01T00:00:00Z',
  elements: [
    { price_components: [{ type: 'FLAT', price: 0.5, vat: 21, step_size: 1 }] },
    { price_components: [{ type: 'ENERGY', price: 0.25, vat: 21, step_size: 1 }, { type: 'TIME', price: 2, vat: 9, step_size: 60 }] },
  ],
}
const usage = usageOf('2024-05-06T10:00:00Z', [{ charge: 30, kwh: 5 }, { charge: 30, kwh: 6 }])

describe('cdrCostBreakdown', () => {
  const breakdown = priceSession(tariff, usage, { time_zone: 'Europe/Amsterdam' })
  const extension = cdrCostBreakdown(breakdown)

  it('gives each charging period its cost per dimension, with the price and VAT rate applied', () => {
    expect(CdrCostBreakdown.parse(extension)).toEqual(extension)
    expect(extension.charging_periods).toHaveLength(2)
    const [first] = extension.charging_periods
    expect(first).toMatchObject({ start_date_time: '2024-05-06T10:00:00.000Z', end_date_time: '2024-05-06T10:30:00.000Z', tariff_id: 'T' })
    expect(first?.dimensions).toContainEqual({ type: 'ENERGY', unit: 'kWh', volume: 5, billed_volume: 5, price: 0.25, vat: 21, cost: { before_taxes: 1.25, taxes: [{ name: 'VAT', percentage: 21, amount: 0.2625 }] } })
    expect(first?.dimensions).toContainEqual(expect.objectContaining({ type: 'TIME', unit: 's', volume: 1800, price: 2, vat: 9 }))
  })

  it('gives every cost type its amount before taxes and its VAT lines with rate and amount, equal to the CDR totals', () => {
    const totals = cdrCosts(breakdown, '2.3.0')
    const byType = Object.fromEntries(extension.cost_types.map((entry) => [entry.cost_type, entry.cost]))
    expect(byType).toEqual({
      FIXED: totals.total_fixed_cost, ENERGY: totals.total_energy_cost, TIME: totals.total_time_cost,
      PARKING: totals.total_parking_cost, RESERVATION: totals.total_reservation_cost,
    })
    expect(byType.ENERGY).toEqual({ before_taxes: 2.75, taxes: [{ name: 'VAT', percentage: 21, amount: 0.5775 }] })
    expect(byType.TIME).toEqual({ before_taxes: 2, taxes: [{ name: 'VAT', percentage: 9, amount: 0.18 }] })
  })

  it('says who bears the charge: FREE at nothing to pay, else COMMERCIAL, or EXPENSE when the CPO says so', () => {
    expect(extension.transaction_type).toBe('COMMERCIAL')
    expect(transactionTypeOf(breakdown, true)).toBe('EXPENSE')
    const free = priceSession({ ...tariff, elements: [{ price_components: [{ type: 'ENERGY', price: 0, step_size: 1 }] }] }, usage, { time_zone: 'UTC' })
    expect(cdrCostBreakdown(free).transaction_type).toBe('FREE')
    expect(transactionTypeOf(free, true)).toBe('FREE')
  })
})
