import { Decimal, epochSecondsOf, fromNumber, max, SECONDS_PER_HOUR, sum, ZERO } from './decimal'
import { type CdrDimensionType, type ChargingPeriod, PricingError, type SessionUsage } from './types'

// A session as a line through time and energy: pieces that each are one kind of use (reservation, charging,
// parking), placed on the clock, with the session's cumulative energy at both ends. Cutting a piece keeps both
// ends of each part on that line, so the parts always add up to the whole, however often it is cut.

export type PieceKind = 'RESERVATION' | 'CHARGING' | 'PARKING'

/** What a period reports about current and power (mod_cdrs, CdrDimensionType), read by the current and power restrictions. */
export interface Measures {
  minCurrent?: Decimal
  maxCurrent?: Decimal
  current?: Decimal
  minPower?: Decimal
  maxPower?: Decimal
  /** average power: the POWER dimension, or else energy over charging time (computed when a restriction asks) */
  power(): Decimal | undefined
}

export interface Piece {
  period: number | null
  kind: PieceKind
  /** a CHARGING piece that the period's TIME dimension measured (billed as TIME) */
  timeBilled: boolean
  /** epoch seconds */
  start: Decimal
  end: Decimal
  /** kWh charged in the session before the piece starts and when it ends */
  energyStart: Decimal
  energyEnd: Decimal
  measures: Measures
}

export interface Timeline {
  pieces: Piece[]
  sessionStart: Decimal
  reservationStart: Decimal | null
  reservation: 'NONE' | 'USED' | 'EXPIRED'
}

const nonNegative = (value: Decimal) => max(value, ZERO)

function volumesOf(period: ChargingPeriod, index: number): Map<CdrDimensionType, Decimal> {
  const volumes = new Map<CdrDimensionType, Decimal>()
  for (const [position, dimension] of period.dimensions.entries()) {
    if (!Number.isFinite(dimension.volume)) throw new PricingError('Volume must be a finite number', `charging_periods.${index}.dimensions.${position}.volume`)
    volumes.set(dimension.type, (volumes.get(dimension.type) ?? ZERO).plus(fromNumber(dimension.volume)))
  }
  return volumes
}

const NO_MEASURES: Measures = { power: () => undefined }

function measuresOf(volumes: Map<CdrDimensionType, Decimal>): Measures {
  const energy = volumes.get('ENERGY')
  const hours = volumes.get('TIME')
  let averagePower: Decimal | undefined | null = null
  return {
    minCurrent: volumes.get('MIN_CURRENT'), maxCurrent: volumes.get('MAX_CURRENT'), current: volumes.get('CURRENT'),
    minPower: volumes.get('MIN_POWER'), maxPower: volumes.get('MAX_POWER'),
    // Without a POWER figure, the period's average power is its energy over its charging time.
    power: () => (averagePower === null
      ? (averagePower = volumes.get('POWER') ?? (energy && hours && hours.gt(ZERO) ? energy.div(hours) : undefined))
      : averagePower),
  }
}

/** Hours rounded to 4 decimals (types: "numbers use 4 decimals") are up to 0.18 s off the clock. */
const ROUNDING_TOLERANCE_SECONDS = new Decimal('0.2')

/**
 * A period's durations are reported in hours, rounded; its length on the clock is exact. When the durations add up
 * to the length within that rounding, the last of them takes the difference, so that a 10-minute period bills
 * 600 seconds, not the 600.12 that 0.1667 hours make.
 */
type Durations = readonly [reserved: Decimal, charging: Decimal, parked: Decimal]

function onTheClock(durations: Durations, length: Decimal | undefined): Durations {
  const reported = sum(durations)
  const lastPositive = durations.findLastIndex((duration) => duration.gt(ZERO))
  if (length === undefined || lastPositive < 0) return durations
  const present = durations.filter((duration) => duration.gt(ZERO)).length
  const gap = length.minus(reported)
  if (gap.abs().gt(ROUNDING_TOLERANCE_SECONDS.times(fromNumber(present)))) return durations
  const stretched = (index: 0 | 1 | 2) => (index === lastPositive ? durations[index].plus(gap) : durations[index])
  return [stretched(0), stretched(1), stretched(2)]
}

/**
 * Places each period's volumes on the clock from its start: reservation time, then charging time (with the
 * period's energy spread evenly over it), then parking time. A period with energy but no TIME dimension charges
 * over the part of the period that is not reserved or parked. Negative energy (fed back to the grid) and negative
 * durations are not billed.
 */
export function buildTimeline(usage: SessionUsage): Timeline {
  const periods = usage.charging_periods
    .map((period, index) => ({ period, index, start: epochSecondsOf(period.start_date_time) }))
    .sort((a, b) => a.start.cmp(b.start))
  const sessionEnd = usage.end_date_time === undefined ? undefined : epochSecondsOf(usage.end_date_time)
  const pieces: Array<Omit<Piece, 'energyStart' | 'energyEnd'> & { energy: Decimal }> = []
  let reportsEnergy = false

  for (const [position, { period, index, start }] of periods.entries()) {
    const volumes = volumesOf(period, index)
    if (volumes.has('ENERGY')) reportsEnergy = true
    const seconds = (type: CdrDimensionType) => nonNegative(volumes.get(type) ?? ZERO).times(SECONDS_PER_HOUR)
    const knownEnd = periods[position + 1]?.start ?? sessionEnd
    const [reserved, charging, parked] = onTheClock([seconds('RESERVATION_TIME'), seconds('TIME'), seconds('PARKING_TIME')], knownEnd?.minus(start))
    const energy = nonNegative(volumes.get('ENERGY') ?? ZERO)
    const end = knownEnd ?? start.plus(reserved).plus(charging).plus(parked)
    const measures = measuresOf(volumes)
    const piece = (kind: PieceKind, from: Decimal, to: Decimal, pieceEnergy = ZERO, timeBilled = false) =>
      pieces.push({ period: index, kind, timeBilled, start: from, end: to, energy: pieceEnergy, measures })

    let cursor = start
    if (reserved.gt(ZERO)) piece('RESERVATION', cursor, (cursor = cursor.plus(reserved)))
    if (charging.gt(ZERO)) piece('CHARGING', cursor, (cursor = cursor.plus(charging)), energy, true)
    else if (energy.gt(ZERO)) piece('CHARGING', cursor, (cursor = max(cursor, end.minus(parked))), energy)
    if (parked.gt(ZERO)) piece('PARKING', cursor, cursor.plus(parked))
  }

  // mod_cdrs, CDR example: a CDR may report total_energy with TIME-only periods; charge it evenly over the charging time.
  const totalEnergy = usage.total_energy === undefined ? ZERO : nonNegative(fromNumber(usage.total_energy))
  if (!reportsEnergy && totalEnergy.gt(ZERO)) {
    const charging = pieces.filter((piece) => piece.kind === 'CHARGING' && piece.timeBilled)
    const chargingTime = sum(charging.map((piece) => piece.end.minus(piece.start)))
    let left = totalEnergy
    for (const [position, piece] of charging.entries()) {
      piece.energy = position === charging.length - 1 ? left : totalEnergy.times(piece.end.minus(piece.start)).div(chargingTime)
      left = left.minus(piece.energy)
    }
    if (charging.length === 0) {
      const at = epochSecondsOf(usage.start_date_time)
      pieces.unshift({ period: null, kind: 'CHARGING', timeBilled: false, start: at, end: at, energy: totalEnergy, measures: NO_MEASURES })
    }
  }

  const hasReservation = pieces.some((piece) => piece.kind === 'RESERVATION')
  const used = pieces.some((piece) => piece.kind !== 'RESERVATION' && (piece.end.gt(piece.start) || piece.energy.gt(ZERO)))
  const reservation = !hasReservation ? 'NONE' : used ? 'USED' : 'EXPIRED'
  if (!hasReservation && pieces.length === 0) {
    // A session with nothing measured still owes its FLAT fee: one empty piece at its start to evaluate it on.
    const at = epochSecondsOf(usage.start_date_time)
    pieces.push({ period: null, kind: 'CHARGING', timeBilled: false, start: at, end: at, energy: ZERO, measures: NO_MEASURES })
  }

  let cumulative = ZERO
  const placed: Piece[] = pieces.map(({ energy, ...piece }) => {
    const energyStart = cumulative
    cumulative = cumulative.plus(energy)
    return { ...piece, energyStart, energyEnd: cumulative }
  })
  const sessionPiece = placed.find((piece) => piece.kind !== 'RESERVATION')
  const reservationPiece = placed.find((piece) => piece.kind === 'RESERVATION')
  return {
    pieces: placed,
    sessionStart: sessionPiece?.start ?? epochSecondsOf(usage.start_date_time),
    reservationStart: reservationPiece?.start ?? null,
    reservation,
  }
}

/**
 * A point found by interpolation, to 9 decimals (a nanosecond, a microwatt-hour): however a period was cut before,
 * the same point reads the same. Kept inside the piece it cuts.
 */
function within(value: Decimal, low: Decimal, high: Decimal): Decimal {
  const rounded = value.round(9, Decimal.roundHalfUp)
  return rounded.lt(low) ? low : rounded.gt(high) ? high : rounded
}

/** Cuts pieces at instants (sorted ascending): the energy at a cut lies on the piece's line. */
export function cutAtInstants(pieces: Piece[], instants: Decimal[]): Piece[] {
  if (instants.length === 0) return pieces
  const result: Piece[] = []
  const firstAbove = firstAboveFrom(instants)
  for (const original of pieces) {
    let piece = original
    let index = firstAbove(piece.start)
    for (let instant = instants[index]; instant?.lt(piece.end); instant = instants[++index]) {
      const energy = piece.energyEnd.eq(piece.energyStart)
        ? piece.energyStart
        : within(piece.energyStart.plus(piece.energyEnd.minus(piece.energyStart).times(instant.minus(piece.start)).div(piece.end.minus(piece.start))), piece.energyStart, piece.energyEnd)
      result.push({ ...piece, end: instant, energyEnd: energy })
      piece = { ...piece, start: instant, energyStart: energy }
    }
    result.push(piece)
  }
  return result
}

/** Cuts charging pieces where the session's cumulative energy passes the given amounts (sorted ascending). */
export function cutAtEnergies(pieces: Piece[], energies: Decimal[]): Piece[] {
  if (energies.length === 0) return pieces
  const result: Piece[] = []
  const firstAbove = firstAboveFrom(energies)
  for (const original of pieces) {
    let piece = original
    let index = firstAbove(piece.energyStart)
    for (let energy = energies[index]; energy?.lt(piece.energyEnd); energy = energies[++index]) {
      const instant = within(piece.start.plus(piece.end.minus(piece.start).times(energy.minus(piece.energyStart)).div(piece.energyEnd.minus(piece.energyStart))), piece.start, piece.end)
      result.push({ ...piece, end: instant, energyEnd: energy })
      piece = { ...piece, start: instant, energyStart: energy }
    }
    result.push(piece)
  }
  return result
}

/** For ascending lists read in (nearly) ascending order: the index of the first value strictly above `value`. */
function firstAboveFrom(values: Decimal[]): (value: Decimal) => number {
  let index = 0
  return (value) => {
    while (values[index - 1]?.gt(value)) index--
    while (values[index]?.lte(value)) index++
    return index
  }
}
