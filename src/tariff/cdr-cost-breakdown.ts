import type { CdrCostBreakdown, CostType, TransactionType } from '../ocpi/objects/cdr-cost-breakdown'
import type { Cost, TariffBreakdown } from './breakdown'
import { priceOf } from './cdr-costs'
import { fromText, toJsonNumber, toJsonVolume, ZERO } from './decimal'

// The engine's breakdown as the CDR's `cost_breakdown` extension carries it (docs/extensions/cdr-cost-breakdown.md):
// the cost of every priced period per dimension, and the cost with its taxes per cost type.

const COST_TYPES: Array<[CostType, keyof TariffBreakdown & `total_${string}_cost`]> = [
  ['FIXED', 'total_fixed_cost'], ['ENERGY', 'total_energy_cost'], ['TIME', 'total_time_cost'],
  ['PARKING', 'total_parking_cost'], ['RESERVATION', 'total_reservation_cost'],
]

const isZero = (cost: Cost) => fromText(cost.before_taxes).eq(ZERO) && cost.taxes.every((tax) => fromText(tax.amount).eq(ZERO))

/** FREE when nothing is to be paid; else COMMERCIAL unless the CPO states the charge is an EXPENSE. */
export function transactionTypeOf(breakdown: Pick<TariffBreakdown, 'total_cost'>, expense = false): TransactionType {
  if (isZero(breakdown.total_cost)) return 'FREE'
  return expense ? 'EXPENSE' : 'COMMERCIAL'
}

export function cdrCostBreakdown(breakdown: TariffBreakdown, transaction_type: TransactionType = transactionTypeOf(breakdown)): CdrCostBreakdown {
  return {
    transaction_type,
    tax_included: breakdown.tax_included,
    charging_periods: breakdown.periods.map((period) => ({
      start_date_time: period.start_date_time,
      end_date_time: period.end_date_time,
      tariff_id: breakdown.tariff.id,
      dimensions: period.dimensions.map((dimension) => ({
        type: dimension.type,
        unit: dimension.unit,
        volume: toJsonVolume(fromText(dimension.volume)),
        billed_volume: toJsonVolume(fromText(dimension.billed_volume)),
        ...(dimension.price_component && { price: toJsonNumber(fromText(dimension.price_component.price)) }),
        ...(dimension.price_component?.vat != null && { vat: toJsonNumber(fromText(dimension.price_component.vat)) }),
        cost: priceOf(dimension.cost),
      })),
    })),
    cost_types: COST_TYPES.map(([cost_type, field]) => ({ cost_type, cost: priceOf(breakdown[field]) })),
  }
}
