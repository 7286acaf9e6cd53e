import type { Cost, TariffBreakdown } from './breakdown'
import { fromText, sum, toJsonNumber } from './decimal'
import type { Price, Price221 } from './types'

// The breakdown's totals as the CDR and Session fields carry them (mod_cdrs, CDR object: total_cost,
// total_fixed_cost, total_energy_cost, total_time_cost, total_parking_cost, total_reservation_cost).

type CostFields<P> = {
  total_cost: P
  total_fixed_cost: P
  total_energy_cost: P
  total_time_cost: P
  total_parking_cost: P
  total_reservation_cost: P
}

const FIELDS = ['total_cost', 'total_fixed_cost', 'total_energy_cost', 'total_time_cost', 'total_parking_cost', 'total_reservation_cost'] as const

/** 2.3.0 Price: `before_taxes` and the taxes "applicable to this price and relevant to the receiver". */
export function priceOf(cost: Cost): Price {
  return {
    before_taxes: toJsonNumber(fromText(cost.before_taxes)),
    taxes: cost.taxes.map((tax) => ({
      name: tax.name,
      ...(tax.percentage === null ? {} : { percentage: toJsonNumber(fromText(tax.percentage)) }),
      amount: toJsonNumber(fromText(tax.amount)),
    })),
  }
}

/** 2.2.1 Price: excl_vat, and incl_vat as excl_vat plus every VAT line. */
export function price221Of(cost: Cost): Price221 {
  const excl = fromText(cost.before_taxes)
  return { excl_vat: toJsonNumber(excl), incl_vat: toJsonNumber(excl.plus(sum(cost.taxes.map((tax) => fromText(tax.amount))))) }
}

export function cdrCosts(breakdown: TariffBreakdown, version: '2.3.0'): CostFields<Price>
export function cdrCosts(breakdown: TariffBreakdown, version: '2.2.1'): CostFields<Price221>
export function cdrCosts(breakdown: TariffBreakdown, version: '2.2.1' | '2.3.0'): CostFields<Price> | CostFields<Price221> {
  const convert = version === '2.3.0' ? priceOf : price221Of
  return Object.fromEntries(FIELDS.map((field) => [field, convert(breakdown[field])])) as CostFields<Price> | CostFields<Price221>
}
