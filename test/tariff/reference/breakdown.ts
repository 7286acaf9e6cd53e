import type { TaxIncluded } from './types'

// The engine's answer: JSON only (amounts and volumes are exact decimal strings), so a breakdown stored or sent
// reads back equal. cdr-costs.ts turns it into the Price objects of 2.2.1 and 2.3.0.

/** One tax on an amount. The engine knows the VAT a PriceComponent names (`vat`), nothing else. */
export interface TaxLine {
  name: 'VAT'
  /** percentage, as in PriceComponent.vat; null only where min_price/max_price added a tax the components did not have */
  percentage: string | null
  amount: string
}

/** An amount before taxes, its taxes, and the amount after them (always before_taxes plus every tax line). */
export interface Cost {
  before_taxes: string
  taxes: TaxLine[]
  after_taxes: string
}

/** What a charging period is billed for: the CDR dimensions, plus FLAT for a fixed fee. */
export type BilledDimension = 'ENERGY' | 'TIME' | 'PARKING_TIME' | 'RESERVATION_TIME' | 'FLAT'
export type CostType = 'energy' | 'time' | 'parking' | 'fixed' | 'reservation'
/** ENERGY in kWh; time in seconds (the step_size unit of TIME and PARKING_TIME); FLAT counts 1. */
export type VolumeUnit = 'kWh' | 's' | 'count'

/** The PriceComponent applied, found as mod_tariffs says: first matching TariffElement with this dimension. */
export interface AppliedComponent {
  element_index: number
  component_index: number
  type: 'ENERGY' | 'FLAT' | 'PARKING_TIME' | 'TIME'
  price: string
  vat: string | null
  step_size: number
}

export interface PricedDimension {
  type: BilledDimension
  unit: VolumeUnit
  volume: string
  /** volume after step_size; equal to volume except on the dimension's last billed period */
  billed_volume: string
  /** null: no TariffElement matched, so this volume costs nothing (mod_tariffs, Tariff object) */
  price_component: AppliedComponent | null
  cost: Cost
}

/** A stretch of the session with one price per dimension: an input period, cut where a restriction changes. */
export interface PricedPeriod {
  /** index of the input charging period this part comes from; null for a FLAT fee without any period */
  source_period: number | null
  kind: 'RESERVATION' | 'CHARGING' | 'PARKING'
  start_date_time: string
  end_date_time: string
  dimensions: PricedDimension[]
}

/** One PriceComponent's share of the session: its billed volumes summed, priced once, rounded once. */
export interface ComponentCost {
  cost_type: CostType
  dimension: BilledDimension
  unit: VolumeUnit
  component: AppliedComponent
  billed_volume: string
  cost: Cost
}

export interface PriceLimitApplied {
  /** which of the Tariff's limits changed the total */
  applied: Array<'MIN_PRICE' | 'MAX_PRICE'>
  /** the total as the components add up, before min_price/max_price */
  before_limit: Cost
}

export interface TariffBreakdown {
  tariff: { country_code: string; party_id: string; id: string }
  currency: string
  /** 2.3.0 Tariff.tax_included: YES, the prices (and these amounts) contain their taxes; NO, taxes come on top
   * (those listed, plus any the CPO adds under local law); N/A, none apply. */
  tax_included: TaxIncluded
  time_zone: string
  reservation: 'NONE' | 'USED' | 'EXPIRED'
  periods: PricedPeriod[]
  components: ComponentCost[]
  total_energy: string
  total_cost: Cost
  total_fixed_cost: Cost
  total_energy_cost: Cost
  total_time_cost: Cost
  total_parking_cost: Cost
  total_reservation_cost: Cost
  price_limit: PriceLimitApplied | null
}
