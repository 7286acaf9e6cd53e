import { z } from 'zod'

// Shared OCPI types (types.asciidoc), written once with the spec's limits.

const printableAscii = /^[\x20-\x7E]*$/

/** Case Insensitive String, printable ASCII only. */
export const CiString = (max: number) => z.string().max(max).regex(printableAscii, 'Only printable ASCII allowed')
export const OcpiString = (max: number) => z.string().max(max)
export const URL = z.string().max(255)

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,7})?(Z|[+-]00:00)?$/

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate()

/** True when the fields name an instant the calendar has: no month 13, no Feb 30, no hour 25 (RFC 3339 section 5.7). */
function isCalendarDateTime(value: string): boolean {
  const match = DATE_TIME.exec(value)
  if (!match) return false
  // The pattern has six mandatory groups; NaN fails every comparison below.
  const [year = Number.NaN, month = Number.NaN, day = Number.NaN, hour = Number.NaN, minute = Number.NaN, second = Number.NaN] = match.slice(1, 7).map(Number)
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59
}

/**
 * RFC 3339 in UTC; the absence of a zone designator implies UTC, fractional seconds allowed.
 * Peers send both `2015-06-29T20:39:09Z` and `2015-06-29T20:39:09`, so both are accepted. Date.parse alone is no
 * check: it reads Feb 30 as March 2, so the fields are checked against the calendar.
 */
export const DateTime = z
  .string()
  .max(25 + 7) // 25 per spec, tolerate up to microseconds
  .regex(DATE_TIME, 'Must be an RFC 3339 UTC DateTime')
  .refine(isCalendarDateTime, { message: 'Not a date and time the calendar has', abort: true })

export const Decimal = z.number()

/** 2.3.0 OpenEnum (types.asciidoc "OpenEnum"): the known values, or any other string a party defines. */
export const openEnum = <const Values extends readonly [string, ...string[]]>(values: Values) =>
  z.union([z.enum(values), z.string().min(1).max(255)])

export const DisplayText = z.object({ language: z.string().length(2), text: OcpiString(512) })
export type DisplayText = z.infer<typeof DisplayText>

/** TaxAmount (2.3.0; changelog: "Support for North American taxes"). */
export const TaxAmount = z.object({ name: z.string(), account_number: z.string().optional(), percentage: Decimal.optional(), amount: Decimal })
export type TaxAmount = z.infer<typeof TaxAmount>

/** Price, canonical (2.3.0): the amount before taxes and the taxes relevant to the receiver. */
export const Price = z.object({ before_taxes: Decimal, taxes: z.array(TaxAmount).optional() })
export type Price = z.infer<typeof Price>
/** Price in 2.2.1: excluding and, optionally, including VAT. */
export const Price221 = z.object({ excl_vat: Decimal, incl_vat: Decimal.optional() })
export type Price221 = z.infer<typeof Price221>

/** "Numbers in OCPI are formatted as JSON numbers. Unless mentioned otherwise, numbers use 4 decimals" (types). */
const fourDecimals = (value: number) => Math.round(value * 10_000) / 10_000

/** 2.2.1 knows VAT only: incl_vat - excl_vat becomes one tax named VAT; without incl_vat the taxes are unknown. */
export function priceFrom221(price: Price221): Price {
  if (price.incl_vat === undefined) return { before_taxes: price.excl_vat }
  return { before_taxes: price.excl_vat, taxes: [{ name: 'VAT', amount: fourDecimals(price.incl_vat - price.excl_vat) }] }
}

/** incl_vat is before_taxes plus every tax listed; without a taxes list it is left out (not known, not zero). */
export function priceTo221(price: Price): Price221 {
  if (price.taxes === undefined) return { excl_vat: price.before_taxes }
  return { excl_vat: price.before_taxes, incl_vat: fourDecimals(price.taxes.reduce((sum, tax) => sum + tax.amount, price.before_taxes)) }
}

export const Role = z.enum(['CPO', 'EMSP', 'HUB', 'NAP', 'NSP', 'OTHER', 'SCSP', 'PTP'])
export type Role = z.infer<typeof Role>

export const CountryCode = CiString(2).regex(/^[A-Za-z]{2}$/, 'Must be an ISO-3166 alpha-2 country code')
export const PartyId = CiString(3).regex(/^[A-Za-z0-9]{3}$/, 'Must be three alphanumeric characters')

/** Epoch milliseconds as an RFC 3339 UTC DateTime; null stays null. */
export const isoOrNull = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs).toISOString())

/** Parses an OCPI DateTime to epoch milliseconds, treating a missing zone designator as UTC. */
export function toEpochMs(dateTime: string): number {
  const withZone = /(Z|[+-]\d{2}:\d{2})$/.test(dateTime) ? dateTime : `${dateTime}Z`
  const ms = Date.parse(withZone)
  if (Number.isNaN(ms) || !isCalendarDateTime(dateTime)) throw new RangeError(`Invalid DateTime: ${dateTime}`)
  return ms
}
