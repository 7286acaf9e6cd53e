import { tariffFrom221, type Tariff, type Tariff221 } from '../../src/ocpi/objects/tariff'
import type { CdrDimension } from '../../src/ocpi/objects/cdr'
import type { Cost, SessionUsage } from '../../src/tariff'

/** One charging period: minutes of reservation, charging and parking (in that order), energy, and other dimensions. */
export interface Step {
  reserve?: number
  charge?: number
  park?: number
  kwh?: number
  dimensions?: CdrDimension[]
}

/** Hours as a CDR reports them: 4 decimals (types, "numbers use 4 decimals"). */
const hours = (minutes: number) => Number((minutes / 60).toFixed(4))

/** A session of consecutive charging periods from a UTC start, ending when the last step ends. */
export function usageOf(start: string, steps: Step[]): SessionUsage {
  let at = Date.parse(start)
  const charging_periods = steps.map((step) => {
    const dimensions: CdrDimension[] = [
      ...(step.reserve ? [{ type: 'RESERVATION_TIME' as const, volume: hours(step.reserve) }] : []),
      ...(step.kwh !== undefined ? [{ type: 'ENERGY' as const, volume: step.kwh }] : []),
      ...(step.charge ? [{ type: 'TIME' as const, volume: hours(step.charge) }] : []),
      ...(step.park ? [{ type: 'PARKING_TIME' as const, volume: hours(step.park) }] : []),
      ...(step.dimensions ?? []),
    ]
    const period = { start_date_time: new Date(at).toISOString().replace('.000Z', 'Z'), dimensions }
    at += ((step.reserve ?? 0) + (step.charge ?? 0) + (step.park ?? 0)) * 60_000
    return period
  })
  return { start_date_time: charging_periods[0]?.start_date_time ?? new Date(start).toISOString().replace('.000Z', 'Z'), end_date_time: new Date(at).toISOString().replace('.000Z', 'Z'), charging_periods }
}

/** The canonical Tariff of a spec example of either version (2.2.1 prices are excl. VAT: tax_included NO). */
export function canonical(example: unknown, version: '2.2.1' | '2.3.0'): Tariff {
  return version === '2.3.0' ? (example as Tariff) : tariffFrom221(example as Tariff221)
}

/** A cost as numbers, to compare with the spec's figures. */
export const amounts = (cost: Cost) => ({ excl: Number(cost.before_taxes), incl: Number(cost.after_taxes) })
