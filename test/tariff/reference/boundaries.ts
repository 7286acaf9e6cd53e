import { type Decimal, fromWholeSeconds, wholeSeconds } from './decimal'
import { instantsOf, localTimeAt, nextDate, offsetChanges, startOfDate } from './local-time'
import type { CompiledElement } from './restrictions'
import type { Timeline } from './timeline'
import { PricingError } from './types'

// mod_cdrs, CDR object, ChargingPeriod: a CPO "SHALL at least start (and add) a ChargingPeriod every moment/event
// that has relevance for the total costs". The engine does not rely on it: it cuts the session itself wherever a
// restriction of the tariff can change, so the price does not depend on how the periods were cut.

/** A session or reservation longer than this is refused rather than walked day by day. */
const MAX_DAYS = 3700

const ascendingUnique = (values: Decimal[]) =>
  values.sort((a, b) => a.cmp(b)).filter((value, index, sorted) => !sorted[index - 1]?.eq(value))

/** Session energies (kWh) where a min_kwh or max_kwh restriction starts or stops holding. */
export function energyBoundaries(elements: CompiledElement[]): Decimal[] {
  return ascendingUnique(elements.flatMap((element) => [element.minKwh, element.maxKwh]).filter((value): value is Decimal => value !== undefined))
}

/** Instants where a time of day, date, weekday or duration restriction starts or stops holding. */
export function instantBoundaries(elements: CompiledElement[], timeline: Timeline, timeZone: string): Decimal[] {
  const { pieces } = timeline
  const [firstPiece] = pieces
  if (!firstPiece) return []
  const instants: Decimal[] = []

  for (const element of elements) {
    // min_duration and max_duration count from the start of the session, or of the reservation for its elements.
    const phaseStart = element.reservation === null ? timeline.sessionStart : timeline.reservationStart
    if (phaseStart === null) continue
    for (const duration of [element.minDuration, element.maxDuration]) if (duration !== undefined) instants.push(phaseStart.plus(duration))
  }

  const secondsOfDay = new Set<number>()
  let needsMidnights = false
  for (const element of elements) {
    if (element.startSecond !== undefined) secondsOfDay.add(element.startSecond)
    if (element.endSecond !== undefined) secondsOfDay.add(element.endSecond)
    if (element.startDate !== undefined || element.endDate !== undefined || element.weekdays !== undefined) needsMidnights = true
  }
  // Midnight is an edge of every date and weekday, and of a time window open on one side (only end_time: from 00:00).
  if (needsMidnights || secondsOfDay.size > 0) secondsOfDay.add(0)
  if (secondsOfDay.size > 0) {
    const first = pieces.reduce((earliest, piece) => (piece.start.lt(earliest) ? piece.start : earliest), firstPiece.start)
    const last = pieces.reduce((latest, piece) => (piece.end.gt(latest) ? piece.end : latest), firstPiece.end)
    const firstSecond = wholeSeconds(first)
    const lastSecond = wholeSeconds(last)
    let date = localTimeAt(firstSecond, timeZone).date
    for (let days = 0; startOfDate(date, timeZone) <= lastSecond; days++) {
      if (days > MAX_DAYS) throw new PricingError(`A session longer than ${MAX_DAYS} days is not priced`, 'charging_periods')
      for (const second of secondsOfDay) for (const instant of instantsOf(date, second, timeZone)) instants.push(fromWholeSeconds(instant))
      date = nextDate(date)
    }
    // Where clocks change, the local time of day jumps: a stretch must not run across that either.
    for (const instant of offsetChanges(firstSecond, lastSecond, timeZone)) instants.push(fromWholeSeconds(instant))
  }
  return ascendingUnique(instants)
}
