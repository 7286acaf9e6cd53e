// Local wall-clock time at a Location (mod_tariffs, TariffRestrictions: start_time, end_time, start_date, end_date
// and day_of_week are "in local time, the time zone is defined in the time_zone field of the Location").
// Calendar arithmetic on whole epoch seconds: integers, exact in binary. No money passes through this file.

export interface LocalTime {
  /** YYYY-MM-DD */
  date: string
  /** 0 = MONDAY ... 6 = SUNDAY */
  weekday: number
  /** seconds since local midnight */
  secondOfDay: number
}

const SECONDS_PER_DAY = 86_400
const BUCKET_SECONDS = 900

const formatters = new Map<string, Intl.DateTimeFormat>()
const offsetCaches = new Map<string, Map<number, number>>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    })
    formatters.set(timeZone, formatter)
    offsetCaches.set(timeZone, new Map())
  }
  return formatter
}

/** Throws a RangeError for a name that is not an IANA time zone. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone)
}

/** UTC offset in seconds at an instant, read from the platform's time zone database. */
function exactOffset(epochSeconds: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(new Date(epochSeconds * 1000))
  // The formatter is built with every one of these fields: a missing one would read NaN, never a wrong offset.
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value)
  const localAsUtc = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second')) / 1000
  return localAsUtc - epochSeconds
}

/**
 * Offsets change a few times a year, on whole minutes: one offset per 15-minute bucket is remembered when the
 * offset at both ends of the bucket is the same; a bucket holding a change is computed per instant.
 */
function offsetAt(epochSeconds: number, timeZone: string): number {
  formatterFor(timeZone)
  const cache = offsetCaches.get(timeZone)!
  const bucket = Math.floor(epochSeconds / BUCKET_SECONDS)
  let offset = cache.get(bucket)
  if (offset === undefined) {
    const start = exactOffset(bucket * BUCKET_SECONDS, timeZone)
    const end = exactOffset((bucket + 1) * BUCKET_SECONDS - 1, timeZone)
    offset = start === end ? start : Number.NaN
    if (cache.size > 10_000) cache.clear()
    cache.set(bucket, offset)
  }
  return Number.isNaN(offset) ? exactOffset(epochSeconds, timeZone) : offset
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0')

const dates = new Map<number, { date: string; weekday: number }>()

export function localTimeAt(epochSeconds: number, timeZone: string): LocalTime {
  const local = epochSeconds + offsetAt(epochSeconds, timeZone)
  const day = Math.floor(local / SECONDS_PER_DAY)
  const known = dateOfDay(day)
  return { date: known.date, weekday: known.weekday, secondOfDay: local - day * SECONDS_PER_DAY }
}

/** The date and weekday of a day counted from 1970-01-01. */
function dateOfDay(day: number): { date: string; weekday: number } {
  let known = dates.get(day)
  if (!known) {
    const date = new Date(day * SECONDS_PER_DAY * 1000)
    known = { date: `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`, weekday: (date.getUTCDay() + 6) % 7 }
    if (dates.size > 10_000) dates.clear()
    dates.set(day, known)
  }
  return known
}

const MS_PER_DAY = 86_400_000
/** 10000-01-01T00:00:00Z: from there on, and before 1970, toISOString is left to do it. */
const YEAR_10000_MS = 253_402_300_800_000

/** An instant (epoch milliseconds) as toISOString writes it, from the table of dates: an OCPI DateTime. */
export function isoDateTimeOf(epochMs: number): string {
  if (!Number.isSafeInteger(epochMs) || epochMs < 0 || epochMs >= YEAR_10000_MS) return new Date(epochMs).toISOString()
  const day = Math.floor(epochMs / MS_PER_DAY)
  const inDay = epochMs - day * MS_PER_DAY
  const { date } = dateOfDay(day)
  const hours = Math.floor(inDay / 3_600_000)
  const minutes = Math.floor((inDay % 3_600_000) / 60_000)
  const seconds = Math.floor((inDay % 60_000) / 1000)
  return `${date}T${pad(hours)}:${pad(minutes)}:${pad(seconds)}.${pad(inDay % 1000, 3)}Z`
}

const digitAt = (text: string, index: number) => {
  const code = text.charCodeAt(index)
  return code >= 48 && code <= 57 ? code - 48 : Number.NaN
}
const numberAt = (text: string, index: number, length: number) => {
  let value = 0
  for (let position = index; position < index + length; position++) value = value * 10 + digitAt(text, position)
  return value
}
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
/** Gregorian: a leap year is divisible by 4, and by 400 when it is by 100. */
const daysInMonth = (year: number, month: number) =>
  month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : DAYS_IN_MONTH[month - 1]!

/**
 * Epoch milliseconds of the usual form of an OCPI DateTime, `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.sssZ`
 * (a year from 1000), read without a regular expression or Date.parse; undefined for anything else, which the
 * caller reads the general way (src/ocpi/types.ts toEpochMs). Same calendar checks: no 31 April, no hour 24.
 */
export function usualDateTimeMs(text: string): number | undefined {
  const { length } = text
  if ((length !== 20 && length !== 24) || text[length - 1] !== 'Z' || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':' || text[16] !== ':') return undefined
  if (length === 24 && text[19] !== '.') return undefined
  const year = numberAt(text, 0, 4)
  const month = numberAt(text, 5, 2)
  const day = numberAt(text, 8, 2)
  const hour = numberAt(text, 11, 2)
  const minute = numberAt(text, 14, 2)
  const second = numberAt(text, 17, 2)
  const millisecond = length === 24 ? numberAt(text, 20, 3) : 0
  // NaN (a non-digit) fails every comparison.
  if (!(year >= 1000 && month >= 1 && month <= 12 && day >= 1 && hour <= 23 && minute <= 59 && second <= 59 && millisecond >= 0)) return undefined
  if (day > daysInMonth(year, month)) return undefined
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond)
}

/**
 * Every instant a local date and time of day occurs: one; two when clocks moved back over it (both are edges of a
 * time window); or, when clocks moved forward over it, the first instant whose wall clock reads later.
 */
export function instantsOf(date: string, secondOfDay: number, timeZone: string): [number, ...number[]] {
  const { year, month, day } = dateFields(date)
  const localAsUtc = Date.UTC(year, month - 1, day) / 1000 + secondOfDay
  const earlier = localAsUtc - offsetAt(localAsUtc + SECONDS_PER_DAY / 2, timeZone)
  const later = localAsUtc - offsetAt(localAsUtc - SECONDS_PER_DAY / 2, timeZone)
  const matching = [...new Set([earlier, later])].filter((instant) => instant + offsetAt(instant, timeZone) === localAsUtc).sort((a, b) => a - b)
  const [firstMatch, ...laterMatches] = matching
  if (firstMatch !== undefined) return [firstMatch, ...laterMatches]
  let low = Math.min(earlier, later)
  let high = Math.max(earlier, later)
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2)
    if (middle + offsetAt(middle, timeZone) > localAsUtc) high = middle
    else low = middle
  }
  return [high]
}

/** The first instant of a local date (its midnight, or the first instant after a clock change skipped it). */
export const startOfDate = (date: string, timeZone: string): number => instantsOf(date, 0, timeZone)[0]

/** Instants in [from, to) where the UTC offset changes: the wall clock jumps there, across any time window edge. */
export function offsetChanges(from: number, to: number, timeZone: string): number[] {
  const changes: number[] = []
  let start = from
  while (start < to) {
    const end = Math.min(start + SECONDS_PER_DAY, to)
    if (offsetAt(start, timeZone) !== offsetAt(end, timeZone)) {
      let low = start
      let high = end
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2)
        if (offsetAt(middle, timeZone) === offsetAt(start, timeZone)) low = middle
        else high = middle
      }
      changes.push(high)
    }
    start = end
  }
  return changes
}

/** The local date after `date`. */
export function nextDate(date: string): string {
  const { year, month, day } = dateFields(date)
  const next = new Date(Date.UTC(year, month - 1, day + 1))
  return `${pad(next.getUTCFullYear(), 4)}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`
}

/** "HH:MM" (TariffRestrictions start_time, end_time) as seconds since local midnight. */
export function secondOfDayOf(time: string): number {
  const [hours = Number.NaN, minutes = Number.NaN] = time.split(':').map(Number)
  return hours * 3600 + minutes * 60
}

/** "YYYY-MM-DD" as numbers; a malformed date reads NaN fields, which name no instant. */
function dateFields(date: string): { year: number; month: number; day: number } {
  const [year = Number.NaN, month = Number.NaN, day = Number.NaN] = date.split('-').map(Number)
  return { year, month, day }
}

export const WEEKDAY_NAMES = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const
