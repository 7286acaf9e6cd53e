import { z } from 'zod'
import type { ChargingPeriod } from '../../ocpi/objects/cdr'
import { Currency } from '../../ocpi/objects/tariff'
import { DateTime, type Price } from '../../ocpi/types'
import { chargingPeriods, deliveredKwh, toWh, type MeterReading } from './meter'

/** Limits an MSP sets on a live session (docs/extensions/x-charging-limits.md). Each is optional; the first reached stops it. */
export const ChargingLimits = z.object({
  max_kwh: z.number().positive().optional(),
  /** Taxes included: what a pre-paid driver pays. In the session's currency. */
  max_cost: z.object({ amount: z.number().min(0), currency: Currency }).optional(),
  max_duration_minutes: z.number().int().positive().optional(),
  stop_at: DateTime.optional(),
})
export type ChargingLimits = z.infer<typeof ChargingLimits>
export type LimitReason = 'max_kwh' | 'max_cost' | 'max_duration' | 'stop_at'

const paid = (price: Price) => price.before_taxes + (price.taxes ?? []).reduce((sum, tax) => sum + tax.amount, 0)

/** When the session must stop whatever the meter says, epoch ms. */
export function limitTime(limits: ChargingLimits, startedAt: number): { at: number; reason: LimitReason } | undefined {
  const candidates: { at: number; reason: LimitReason }[] = []
  if (limits.max_duration_minutes !== undefined) candidates.push({ at: startedAt + limits.max_duration_minutes * 60_000, reason: 'max_duration' })
  if (limits.stop_at !== undefined) candidates.push({ at: Date.parse(limits.stop_at), reason: 'stop_at' })
  return candidates.sort((a, b) => a.at - b.at)[0]
}

/**
 * The next reading of a charge point the platform controls, and why it stops there if a limit is reached before it:
 * the reading is then moved back to the moment and energy of the first limit reached, never beyond it, so the session
 * ends at its limit, not after. Energy is rounded down to the Wh. `price` prices the charging periods (the same
 * function as the session's live cost and its CDR).
 */
export function limitedReading(
  readings: readonly MeterReading[], next: MeterReading, limits: ChargingLimits, startedAt: number,
  price: (periods: ChargingPeriod[]) => Price,
): { reading: MeterReading; reason?: LimitReason } {
  const last = readings.at(-1)!
  const at = (fraction: number): MeterReading => ({
    at: Math.floor(last.at + (next.at - last.at) * fraction),
    kwh: Math.floor(toWh(last.kwh) + (toWh(next.kwh) - toWh(last.kwh)) * fraction) / 1000,
  })
  const withinCost = (reading: MeterReading) => limits.max_cost === undefined || paid(price(chargingPeriods([...readings, reading]))) <= limits.max_cost.amount
  const stops: { fraction: number; reason: LimitReason }[] = []
  const time = limitTime(limits, startedAt)
  if (time && time.at <= next.at) stops.push({ fraction: Math.max(0, (time.at - last.at) / (next.at - last.at)), reason: time.reason })
  const risingWh = toWh(next.kwh) - toWh(last.kwh)
  if (limits.max_kwh !== undefined && deliveredKwh([...readings, next]) > limits.max_kwh && risingWh > 0) {
    // The meter rises linearly between two readings: the moment the delivered energy reaches the limit.
    const remainingWh = toWh(limits.max_kwh) - (toWh(last.kwh) - toWh((readings[0] ?? last).kwh))
    stops.push({ fraction: Math.max(0, remainingWh / risingWh), reason: 'max_kwh' })
  }
  if (!withinCost(next)) {
    // The largest fraction of the interval whose cost stays within the limit (the price may have steps).
    let low = 0
    let high = 1
    for (let step = 0; step < 40; step++) {
      const middle = (low + high) / 2
      if (withinCost(at(middle))) low = middle
      else high = middle
    }
    stops.push({ fraction: low, reason: 'max_cost' })
  }
  const first = stops.sort((a, b) => a.fraction - b.fraction)[0]
  return first ? { reading: at(first.fraction), reason: first.reason } : { reading: next }
}

/** A limit in another currency than the session's cannot be compared: refused with its path. */
export function currencyMismatch(limits: ChargingLimits, sessionCurrency: string): boolean {
  return limits.max_cost !== undefined && limits.max_cost.currency.toUpperCase() !== sessionCurrency.toUpperCase()
}

/** Whether reported readings have reached an energy or time limit (cost follows energy). */
export function limitReached(readings: readonly MeterReading[], limits: ChargingLimits, startedAt: number): LimitReason | undefined {
  if (limits.max_kwh !== undefined && deliveredKwh(readings) >= limits.max_kwh) return 'max_kwh'
  const time = limitTime(limits, startedAt)
  if (time && (readings.at(-1)?.at ?? 0) >= time.at) return time.reason
  return undefined
}
