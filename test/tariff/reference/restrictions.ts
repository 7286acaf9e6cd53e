import { type Decimal, fromNumber, wholeSeconds } from './decimal'
import { type LocalTime, localTimeAt, secondOfDayOf, WEEKDAY_NAMES } from './local-time'
import type { Piece } from './timeline'
import type { TariffElement } from './types'

// mod_tariffs, TariffRestrictions class: "When more than one restriction is set, they are to be treated as a
// logical AND", evaluated for each stretch of the session separately ("These restrictions are not to be interpreted
// as making the Tariff Element applicable or not applicable for the entire Charging Session").

export interface CompiledElement {
  index: number
  element: TariffElement
  reservation: 'RESERVATION' | 'RESERVATION_EXPIRES' | null
  startSecond?: number
  endSecond?: number
  startDate?: string
  endDate?: string
  weekdays?: Set<number>
  minKwh?: Decimal
  maxKwh?: Decimal
  minCurrent?: Decimal
  maxCurrent?: Decimal
  minPower?: Decimal
  maxPower?: Decimal
  minDuration?: Decimal
  maxDuration?: Decimal
}

const decimalOf = (value: number | undefined) => (value === undefined ? undefined : fromNumber(value))

export function compileElement(element: TariffElement, index: number): CompiledElement {
  const restrictions = element.restrictions ?? {}
  const days = restrictions.day_of_week ?? []
  return {
    index,
    element,
    reservation: restrictions.reservation ?? null,
    startSecond: restrictions.start_time === undefined ? undefined : secondOfDayOf(restrictions.start_time),
    endSecond: restrictions.end_time === undefined ? undefined : secondOfDayOf(restrictions.end_time),
    startDate: restrictions.start_date,
    endDate: restrictions.end_date,
    // An empty day_of_week list restricts nothing (cardinality *).
    weekdays: days.length === 0 ? undefined : new Set(days.map((day) => WEEKDAY_NAMES.indexOf(day))),
    minKwh: decimalOf(restrictions.min_kwh),
    maxKwh: decimalOf(restrictions.max_kwh),
    minCurrent: decimalOf(restrictions.min_current),
    maxCurrent: decimalOf(restrictions.max_current),
    minPower: decimalOf(restrictions.min_power),
    maxPower: decimalOf(restrictions.max_power),
    minDuration: decimalOf(restrictions.min_duration),
    maxDuration: decimalOf(restrictions.max_duration),
  }
}

/**
 * start_time is "valid from this time of the day", end_time "valid until this time of the day. If end_time <
 * start_time then the period wraps around to the next day. To stop at end of the day use: 00:00."
 * Equal times leave the whole day. An end_time of 00:00 alone means the end of the day.
 */
function inTimeWindow(second: number, start: number | undefined, end: number | undefined): boolean {
  if (start !== undefined && end !== undefined) {
    if (start < end) return second >= start && second < end
    if (end < start) return second >= start || second < end
    return true
  }
  if (start !== undefined) return second >= start
  if (end !== undefined) return end === 0 || second < end
  return true
}

export interface PieceState {
  piece: Piece
  local: LocalTime
  /** seconds since the start of the session (or of the reservation, for a reservation piece) */
  duration: Decimal
}

export function stateOf(piece: Piece, phaseStart: Decimal, timeZone: string): PieceState {
  // Local times and dates change on whole seconds, so the whole second at or before the start reads the same.
  return { piece, local: localTimeAt(wholeSeconds(piece.start), timeZone), duration: piece.start.minus(phaseStart) }
}

/**
 * min_current/min_power: "When the EV is charging with more than, or equal to, the defined amount ... active";
 * max_current/max_power: "When the EV is charging with less than the defined amount ... active". A period's
 * minimum (or maximum) is compared when it reports one, else its average, else its other extreme. A period
 * that reports nothing about current or power does not match such a restriction.
 */
type Reading = Decimal | undefined | (() => Decimal | undefined)
const firstKnown = (readings: Reading[]) => {
  for (const reading of readings) {
    const value = typeof reading === 'function' ? reading() : reading
    if (value !== undefined) return value
  }
  return undefined
}
function atLeast(limit: Decimal | undefined, ...readings: Reading[]): boolean {
  if (limit === undefined) return true
  const value = firstKnown(readings)
  return value !== undefined && value.gte(limit)
}
function below(limit: Decimal | undefined, ...readings: Reading[]): boolean {
  if (limit === undefined) return true
  const value = firstKnown(readings)
  return value !== undefined && value.lt(limit)
}

/** Whether every restriction of the element holds for a piece (the reservation restriction is handled by the caller). */
export function restrictionsHold(compiled: CompiledElement, state: PieceState): boolean {
  const { piece, local, duration } = state
  const { measures } = piece
  return (
    inTimeWindow(local.secondOfDay, compiled.startSecond, compiled.endSecond) &&
    // start_date "valid from this day (inclusive)", end_date "valid until this day (exclusive)"
    (compiled.startDate === undefined || local.date >= compiled.startDate) &&
    (compiled.endDate === undefined || local.date < compiled.endDate) &&
    (compiled.weekdays === undefined || compiled.weekdays.has(local.weekday)) &&
    // min_kwh "valid from this amount of energy (inclusive)", max_kwh "valid until this amount of energy (exclusive)"
    (compiled.minKwh === undefined || piece.energyStart.gte(compiled.minKwh)) &&
    (compiled.maxKwh === undefined || piece.energyStart.lt(compiled.maxKwh)) &&
    // min_duration "(inclusive)", max_duration "(exclusive)"
    (compiled.minDuration === undefined || duration.gte(compiled.minDuration)) &&
    (compiled.maxDuration === undefined || duration.lt(compiled.maxDuration)) &&
    atLeast(compiled.minCurrent, measures.minCurrent, measures.current, measures.maxCurrent) &&
    below(compiled.maxCurrent, measures.maxCurrent, measures.current, measures.minCurrent) &&
    atLeast(compiled.minPower, measures.minPower, measures.power, measures.maxPower) &&
    below(compiled.maxPower, measures.maxPower, measures.power, measures.minPower)
  )
}
