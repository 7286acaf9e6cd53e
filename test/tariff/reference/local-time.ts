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
  let known = dates.get(day)
  if (!known) {
    const date = new Date(day * SECONDS_PER_DAY * 1000)
    known = { date: `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`, weekday: (date.getUTCDay() + 6) % 7 }
    if (dates.size > 10_000) dates.clear()
    dates.set(day, known)
  }
  return { date: known.date, weekday: known.weekday, secondOfDay: local - day * SECONDS_PER_DAY }
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
