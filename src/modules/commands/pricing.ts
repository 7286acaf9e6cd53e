import type { Database } from '../../db/client'
import type { ChargingPeriod } from '../../ocpi/objects/cdr'
import type { Connector, Location } from '../../ocpi/objects/location'
import type { Tariff } from '../../ocpi/objects/tariff'
import type { Price } from '../../ocpi/types'
import { cdrCosts, priceSession, PricingError, type TariffBreakdown } from '../../tariff'
import { findTariff } from '../tariffs/store'

/** What a hosted CPO's live session is priced with: the connector's tariff and the location's time zone. */
export interface PricingBasis { tariff?: Tariff; time_zone: string }

export interface ChargingCosts {
  total_cost: Price
  /** The CDR's cost per dimension, when a tariff applied. */
  dimensions?: Partial<Record<'total_fixed_cost' | 'total_energy_cost' | 'total_time_cost' | 'total_parking_cost' | 'total_reservation_cost', Price>>
  /** The engine's whole answer, when a tariff applied: the CDR's cost_breakdown is made from it. */
  breakdown?: TariffBreakdown
}

const FREE: ChargingCosts = { total_cost: { before_taxes: 0, taxes: [] } }

/**
 * The connector's first own tariff (mod_locations, Connector.tariff_ids), as the session's pricing basis. Without one
 * the charge is free.
 */
export async function pricingBasis(db: Database, location: Location, connector: Connector): Promise<PricingBasis> {
  const tariffId = connector.tariff_ids?.[0]
  const row = tariffId === undefined ? undefined : await findTariff(db, location, tariffId)
  return { tariff: row && row.peer_id === null ? row.object : undefined, time_zone: location.time_zone ?? 'UTC' }
}

/**
 * The price of a session so far, and of its CDR: the tariff engine (src/tariff) for both, so the live cost and the
 * bill never differ. A tariff the engine cannot price leaves the session free rather than stopping the charge.
 */
export function priceCharging(basis: PricingBasis, usage: { start_date_time: string; end_date_time: string; charging_periods: ChargingPeriod[] }): ChargingCosts {
  if (!basis.tariff || usage.charging_periods.length === 0) return FREE
  try {
    const breakdown = priceSession(basis.tariff, usage, { time_zone: basis.time_zone })
    const { total_cost, ...dimensions } = cdrCosts(breakdown, '2.3.0')
    return { total_cost, dimensions, breakdown }
  } catch (error) {
    if (error instanceof PricingError) return FREE
    throw error
  }
}
