import { z } from 'zod'
import { CiString, DateTime, Price } from '../types'
import { TaxIncluded } from './tariff'

// The CDR's `cost_breakdown` (docs/extensions/cdr-cost-breakdown.md): what OCPI 2.x has no field for, sent only to
// peers that agreed to it. Its shape is the same in 2.2.1 and 2.3.0: costs are 2.3.0 Price objects, so a 2.2.1 peer
// learns the VAT rate per cost type its `excl_vat`/`incl_vat` cannot carry. The field name follows
// transport_and_format, "Non-specified JSON fields": a meaningful name, no `x-` prefix.

/** Who bears the charge: the driver (COMMERCIAL), an employer as a business expense (EXPENSE), nobody (FREE). */
export const TransactionType = z.enum(['COMMERCIAL', 'EXPENSE', 'FREE'])
export type TransactionType = z.infer<typeof TransactionType>

export const CostType = z.enum(['FIXED', 'ENERGY', 'TIME', 'PARKING', 'RESERVATION'])
export type CostType = z.infer<typeof CostType>

/** A billed dimension: the CDR dimensions the tariff prices, plus FLAT for a fixed fee. */
export const BilledDimensionType = z.enum(['ENERGY', 'TIME', 'PARKING_TIME', 'RESERVATION_TIME', 'FLAT'])

export const PeriodDimensionCost = z.object({
  type: BilledDimensionType,
  /** kWh for ENERGY, seconds for TIME, PARKING_TIME and RESERVATION_TIME, 1 for FLAT */
  unit: z.enum(['kWh', 's', 'count']),
  volume: z.number().min(0),
  /** the volume after the PriceComponent's step_size */
  billed_volume: z.number().min(0),
  /** the PriceComponent's price per unit (kWh, hour, fee), absent when no TariffElement matched */
  price: z.number().optional(),
  /** the PriceComponent's VAT rate in percent */
  vat: z.number().optional(),
  cost: Price,
})
export type PeriodDimensionCost = z.infer<typeof PeriodDimensionCost>

export const PeriodCost = z.object({
  start_date_time: DateTime,
  end_date_time: DateTime,
  tariff_id: CiString(36).optional(),
  dimensions: z.array(PeriodDimensionCost).max(10),
})
export type PeriodCost = z.infer<typeof PeriodCost>

export const CostTypeCost = z.object({ cost_type: CostType, cost: Price })
export type CostTypeCost = z.infer<typeof CostTypeCost>

export const CdrCostBreakdown = z.object({
  transaction_type: TransactionType,
  tax_included: TaxIncluded.optional(),
  /** cost per charging period and dimension; a period is cut where a tariff restriction changes the price */
  charging_periods: z.array(PeriodCost).max(20_000),
  /** cost per cost type with its taxes (name, percentage, amount) */
  cost_types: z.array(CostTypeCost).max(5),
})
export type CdrCostBreakdown = z.infer<typeof CdrCostBreakdown>
