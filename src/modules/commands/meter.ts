import type { ChargingPeriod } from '../../ocpi/objects/cdr'

// Meter values of a live session are absolute readings keyed by their timestamp (like OCPP's Energy.Active.Import
// .Register): the energy is the latest reading and a charging period is the difference of two neighbours, so a value
// received twice or out of order changes nothing it should not, and nothing is ever counted twice.

/** One meter value: epoch ms and the meter's absolute energy, kWh. */
export interface MeterReading { at: number; kwh: number }

/** Energy is kept to the Wh: sums and differences of readings stay exact. */
export const toWh = (kwh: number) => Math.round(kwh * 1000)
const toKwh = (wh: number) => wh / 1000

/**
 * Whether a reading fits between its neighbours in time without the meter running backwards; a reading that would is
 * refused (a meter never decreases).
 */
export function fitsReadings(readings: readonly MeterReading[], reading: MeterReading): boolean {
  const before = readings.filter((other) => other.at < reading.at).at(-1)
  const after = readings.find((other) => other.at > reading.at)
  return (!before || toWh(before.kwh) <= toWh(reading.kwh)) && (!after || toWh(reading.kwh) <= toWh(after.kwh))
}

/** Energy delivered since the first reading, kWh. Readings sorted by time. */
export function deliveredKwh(readings: readonly MeterReading[]): number {
  const [first] = readings
  const last = readings.at(-1)
  if (readings.length < 2 || !first || !last) return 0
  return toKwh(toWh(last.kwh) - toWh(first.kwh))
}

/** One charging period per pair of neighbouring readings: its ENERGY and TIME (hours). Readings sorted by time. */
export function chargingPeriods(readings: readonly MeterReading[]): ChargingPeriod[] {
  return readings.slice(1).map((reading, index) => {
    // slice(1) shifts by one: `index` is the reading before this one, which always exists.
    const previous = readings[index] ?? reading
    return {
      start_date_time: new Date(previous.at).toISOString(),
      dimensions: [
        { type: 'ENERGY', volume: toKwh(toWh(reading.kwh) - toWh(previous.kwh)) },
        { type: 'TIME', volume: Math.round((reading.at - previous.at) / 36) / 100_000 },
      ],
    }
  })
}
