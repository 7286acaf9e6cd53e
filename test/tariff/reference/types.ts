import type { ChargingPeriod } from '../../../src/ocpi/objects/cdr'

// The engine reads the canonical (2.3.0-shaped) objects; these are their one home.
export type { CdrDimension, CdrDimensionType, ChargingPeriod } from '../../../src/ocpi/objects/cdr'
export type { PriceComponent, Tariff, TariffElement, TariffRestrictions, TaxIncluded } from '../../../src/ocpi/objects/tariff'
export type { Price, Price221 } from '../../../src/ocpi/types'

/**
 * What a session used, as a CDR (or a Session) reports it (mod_cdrs, CDR object): its charging periods with their
 * dimensions, and when it started and ended. `total_energy` (kWh) is only read when no period has an ENERGY
 * dimension, as in the spec's CDR example.
 */
export interface SessionUsage {
  start_date_time: string
  end_date_time?: string
  charging_periods: ChargingPeriod[]
  total_energy?: number
}

export interface PricingContext {
  /** IANA time zone of the Location (mod_locations, Location.time_zone). */
  time_zone: string
}

/** Input the engine cannot price, with the path of the offending field. */
export class PricingError extends Error {
  constructor(message: string, readonly path: string) {
    super(message)
    this.name = 'PricingError'
  }
}
