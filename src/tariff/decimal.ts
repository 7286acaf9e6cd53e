import { ExactDecimal, ROUND_DOWN, ROUND_HALF_UP, ROUND_UP } from '../ocpi/exact-decimal'
import { toEpochMs } from '../ocpi/types'
import { isoDateTimeOf, usualDateTimeMs } from './local-time'

// The one place where JSON numbers become decimals and back. Money, energy and time volumes in src/tariff are
// `Decimal`s; `number` only appears here and in the calendar arithmetic of local-time.ts (integer seconds).

/**
 * Exact scaled integers (src/ocpi/exact-decimal.ts): quotients to 40 decimal places half up, roundings and text as
 * big.js gives them, which the engine was first written with.
 */
export type Decimal = ExactDecimal
export const Decimal = { roundDown: ROUND_DOWN, roundHalfUp: ROUND_HALF_UP, roundUp: ROUND_UP } as const

export const ZERO = ExactDecimal.parse('0')
export const ONE = ExactDecimal.parse('1')
export const HUNDRED = ExactDecimal.parse('100')
export const SECONDS_PER_HOUR = ExactDecimal.parse('3600')
export const WH_PER_KWH = ExactDecimal.parse('1000')
const MS_PER_SECOND = ExactDecimal.parse('1000')
/** Milliseconds are thousandths of a second. */
const MS_DECIMALS = 3

/**
 * "Numbers in OCPI are formatted as JSON numbers. Unless mentioned otherwise, numbers use 4 decimals" (types,
 * Number type). The tariff chapter leaves rounding to law and contract (mod_tariffs, Tariff object, NOTE), so the
 * engine rounds amounts to these 4 decimals, half up, and the caller may round an invoice further.
 */
export const MONEY_DECIMALS = 4
export const MONEY_UNIT = ExactDecimal.parse('0.0001')

/**
 * A JSON number as the decimal it was written as: `String` gives the shortest text that reads back to the same
 * double, which for the numbers OCPI exchanges (at most 4 decimals) is the text the peer sent.
 */
export const fromNumber = (value: number): Decimal => ExactDecimal.fromNumber(value)
export const fromText = (value: string): Decimal => ExactDecimal.parse(value)

/** Exact text of a decimal, never in exponent notation, so it reads back to the same value. */
export const toText = (value: Decimal): string => value.toFixed()

/** A rounded amount (at most 4 decimals) as a JSON number: the double whose shortest text is this decimal. */
export const toJsonNumber = (value: Decimal): number => Number(value.round(MONEY_DECIMALS).toFixed())

/** A volume (kWh, seconds) as a JSON number, to the Wh and the millisecond. */
export const toJsonVolume = (value: Decimal): number => Number(value.round(6).toFixed())

export const roundMoney = (value: Decimal): Decimal => value.round(MONEY_DECIMALS, Decimal.roundHalfUp)

/** Smallest multiple of `step` that is not below `value` (`step` > 0). */
export const roundUpTo = (value: Decimal, step: Decimal): Decimal => value.div(step).round(0, Decimal.roundUp).times(step)

export const sum = (values: Iterable<Decimal>): Decimal => {
  let total = ZERO
  for (const value of values) total = total.plus(value)
  return total
}
export const max = (a: Decimal, b: Decimal): Decimal => (a.gte(b) ? a : b)
export const min = (a: Decimal, b: Decimal): Decimal => (a.lte(b) ? a : b)

/** OCPI DateTime (UTC, zone designator optional) to epoch seconds, to the millisecond. */
export const epochSecondsOf = (dateTime: string): Decimal => new ExactDecimal(BigInt(usualDateTimeMs(dateTime) ?? toEpochMs(dateTime)), MS_DECIMALS)

/** Whole epoch seconds at or before an instant: local times and dates change only on whole seconds. */
export const wholeSeconds = (epochSeconds: Decimal): number => epochSeconds.round(0, Decimal.roundDown).toNumber()
export const fromWholeSeconds = (epochSeconds: number): Decimal => fromNumber(epochSeconds)

/** An instant as an OCPI DateTime, to the millisecond (rounded down). */
let lastInstant: Decimal | undefined
let lastDateTime = ''
export function dateTimeOf(epochSeconds: Decimal): string {
  // A priced period starts where the one before it ends: the text of the last instant is often asked again.
  if (lastInstant === undefined || !lastInstant.eq(epochSeconds)) {
    lastDateTime = isoDateTimeOf(epochSeconds.times(MS_PER_SECOND).round(0, Decimal.roundDown).toNumber())
    lastInstant = epochSeconds
  }
  return lastDateTime
}
