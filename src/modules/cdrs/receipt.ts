import type { CDR, CdrTariff } from '../../ocpi/objects/cdr'
import type { TransactionType } from '../../ocpi/objects/cdr-cost-breakdown'
import type { Price } from '../../ocpi/types'
import { priceSession, PricingError, type TariffBreakdown } from '../../tariff'
import { fromNumber, fromText, sum, toJsonNumber } from '../../tariff/decimal'

// A driver's receipt for one CDR (B5.1): what was charged per cost type with its VAT, and, when the CDR carries the
// tariff it was priced with, each charging period's cost per dimension from the tariff engine (src/tariff), with the
// engine's total next to the CDR's so a difference shows. Pure: the caller finds the Location's time zone.

export interface ReceiptCost { cost_type: string; before_taxes: number; taxes: { name: string; percentage?: number; amount: number }[]; after_taxes: number }

export interface Receipt {
  cdr: { country_code: string; party_id: string; id: string; session_id?: string; credit: boolean; credit_reference_id?: string; invoice_reference_id?: string }
  /** The MSP's contract, never the token uid. */
  contract: { country_code: string; party_id: string; contract_id: string }
  location: { name?: string; address: string; city: string; postal_code?: string; country: string; evse_id: string; connector_id: string }
  start_date_time: string
  end_date_time: string
  total_energy: number
  total_time: number
  total_parking_time?: number
  currency: string
  /**
   * Where OCPI 2.x has no field: the CDR's cost_breakdown (docs/extensions/cdr-cost-breakdown.md) when the CPO sent one,
   * else FREE (nothing to pay) or COMMERCIAL (the driver pays it).
   */
  transaction_type: TransactionType
  /** As the CDR states them, per cost type (fixed, energy, time, parking, reservation) and in total. */
  costs: ReceiptCost[]
  /** The engine's pricing of the CDR's tariff, when it carries one: periods with cost per dimension and VAT per cost type. */
  pricing: {
    tariff_id: string
    time_zone: string
    periods: TariffBreakdown['periods']
    vat_by_cost_type: { cost_type: string; percentage: string | null; amount: string }[]
    total_cost: TariffBreakdown['total_cost']
    /** The CDR's total after taxes minus the engine's: 0 when the CPO billed what its tariff says. */
    difference_after_taxes: number
  } | { unavailable: string }
  /** Eichrecht and other signed meter data, exactly as the CPO sent it. */
  signed_data?: CDR['signed_data']
}

const COST_FIELDS = [
  ['fixed', 'total_fixed_cost'], ['energy', 'total_energy_cost'], ['time', 'total_time_cost'],
  ['parking', 'total_parking_cost'], ['reservation', 'total_reservation_cost'], ['total', 'total_cost'],
] as const

export function receiptOf(cdr: CDR, time_zone: string): Receipt {
  const location = cdr.cdr_location
  const costs = COST_FIELDS.flatMap(([cost_type, field]) => (cdr[field] ? [receiptCost(cost_type, cdr[field])] : []))
  const total = costs.find((cost) => cost.cost_type === 'total')!
  return {
    cdr: {
      country_code: cdr.country_code, party_id: cdr.party_id, id: cdr.id, credit: cdr.credit === true,
      ...(cdr.session_id ? { session_id: cdr.session_id } : {}),
      ...(cdr.credit_reference_id ? { credit_reference_id: cdr.credit_reference_id } : {}),
      ...(cdr.invoice_reference_id ? { invoice_reference_id: cdr.invoice_reference_id } : {}),
    },
    contract: { country_code: cdr.cdr_token.country_code, party_id: cdr.cdr_token.party_id, contract_id: cdr.cdr_token.contract_id },
    location: {
      ...(location.name ? { name: location.name } : {}), address: location.address, city: location.city,
      ...(location.postal_code ? { postal_code: location.postal_code } : {}), country: location.country, evse_id: location.evse_id, connector_id: location.connector_id,
    },
    start_date_time: cdr.start_date_time,
    end_date_time: cdr.end_date_time,
    total_energy: cdr.total_energy,
    total_time: cdr.total_time,
    ...(cdr.total_parking_time !== undefined ? { total_parking_time: cdr.total_parking_time } : {}),
    currency: cdr.currency,
    transaction_type: cdr.cost_breakdown?.transaction_type ?? (total.after_taxes === 0 ? 'FREE' : 'COMMERCIAL'),
    costs,
    pricing: enginePricing(cdr, time_zone, total.after_taxes),
    ...(cdr.signed_data ? { signed_data: cdr.signed_data } : {}),
  }
}

function receiptCost(cost_type: string, price: Price): ReceiptCost {
  const taxes = (price.taxes ?? []).map((tax) => ({ name: tax.name, ...(tax.percentage !== undefined ? { percentage: tax.percentage } : {}), amount: tax.amount }))
  const after = fromNumber(price.before_taxes).plus(sum(taxes.map((tax) => fromNumber(tax.amount))))
  return { cost_type, before_taxes: price.before_taxes, taxes, after_taxes: toJsonNumber(after) }
}

/** The tariff the periods name (the first one's tariff_id), else the CDR's only tariff. */
function tariffOf(cdr: CDR): CdrTariff | undefined {
  const named = cdr.charging_periods.find((period) => period.tariff_id)?.tariff_id
  if (named) return cdr.tariffs?.find((tariff) => tariff.id.toUpperCase() === named.toUpperCase())
  return cdr.tariffs?.length === 1 ? cdr.tariffs[0] : undefined
}

function enginePricing(cdr: CDR, time_zone: string, cdrTotal: number): Receipt['pricing'] {
  const tariff = tariffOf(cdr)
  if (!tariff) return { unavailable: cdr.tariffs?.length ? 'the CDR carries several tariffs and its periods name none' : 'the CDR carries no tariff' }
  try {
    // A tariff inside a 2.3.0 CDR may omit tax_included (the spec's own CDR example does): its prices are then read as
    // 2.2.1 reads them, excluding VAT.
    const breakdown = priceSession({ ...tariff, tax_included: tariff.tax_included ?? 'NO' }, cdr, { time_zone })
    const vat_by_cost_type = breakdown.components.flatMap((component) =>
      component.cost.taxes.map((tax) => ({ cost_type: component.cost_type, percentage: tax.percentage, amount: tax.amount })))
    return {
      tariff_id: tariff.id, time_zone, periods: breakdown.periods, vat_by_cost_type, total_cost: breakdown.total_cost,
      difference_after_taxes: toJsonNumber(fromNumber(cdrTotal).minus(fromText(breakdown.total_cost.after_taxes))),
    }
  } catch (error) {
    if (error instanceof PricingError) return { unavailable: `the tariff cannot be priced: ${error.message} (${error.path})` }
    throw error
  }
}
