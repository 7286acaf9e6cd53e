import { z } from 'zod'
import type { Owner } from '../../version-adapters'

// What the 2.1.1 objects share (types.md) and the one way every 2.1.1 adapter records what it cannot carry.

const printableAscii = /^[\x20-\x7E]*$/

/**
 * 2.1.1 `string` (types.md 1.5): "Case Sensitive String. Only printable ASCII allowed." Used for identifiers and codes.
 * Free text (names, addresses, display texts) is read as any string: 2.2 lifted the ASCII restriction because real
 * names need it, and 2.1.1 peers send them that way; refusing a whole location for an accent would lose it.
 */
export const String211 = (max: number) => z.string().max(max).regex(printableAscii, 'Only printable ASCII allowed')
export const Text211 = (max: number) => z.string().max(max)

/** GeoLocation (mod_locations 4.12): exactly six decimals, where 2.2.1 and 2.3.0 allow five to seven. */
export const GeoLocation211 = z.object({
  latitude: z.string().max(10).regex(/^-?[0-9]{1,2}\.[0-9]{6}$/, 'Must match -?[0-9]{1,2}\\.[0-9]{6}'),
  longitude: z.string().max(11).regex(/^-?[0-9]{1,3}\.[0-9]{6}$/, 'Must match -?[0-9]{1,3}\\.[0-9]{6}'),
})
export type GeoLocation211 = z.infer<typeof GeoLocation211>

/**
 * A canonical coordinate (five to seven decimals) with six: a fifth decimal gets a trailing zero, a seventh is cut off
 * (at most 0.000001 degrees, about 0.1 m). Cutting rather than rounding keeps the digits before the point as they are.
 */
export function coordinateTo211(value: string): string {
  const [whole, fraction = ''] = value.split('.')
  return `${whole}.${fraction.padEnd(6, '0').slice(0, 6)}`
}

export const geoLocationTo211 = <G extends { latitude: string; longitude: string }>(location: G): G =>
  ({ ...location, latitude: coordinateTo211(location.latitude), longitude: coordinateTo211(location.longitude) })

/** The owner of an object read without one: empty ids, which no party has, so the mistake shows instead of misfiling. */
export const NO_OWNER: Owner = { country_code: '', party_id: '' }

/** Cuts a string to `max` characters: 2.1.1 allows shorter texts than 2.3.0 in a few places. */
export const cut = (value: string, max: number) => (value.length > max ? value.slice(0, max) : value)

/** A value-set test for a closed 2.1.1 enum. */
export const isIn = <T extends string>(values: readonly T[]) => (value: string): value is T => (values as readonly string[]).includes(value)

/** Drops members whose value is undefined, so converted objects compare equal to what a peer sent. */
export function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T
}

/**
 * One thing a 2.1.1 conversion cannot carry (docs/ocpi-2.1.1.md, "What is lost between 2.1.1 and 2.3.0").
 * `field` is the field's name on the side it exists on; `direction` is the conversion that loses or changes it.
 */
export interface Loss {
  object: string
  field: string
  /** The canonical name, where 2.3.0 renamed the field. */
  canonical?: string
  direction: 'to 2.1.1' | 'from 2.1.1' | 'both'
  what: string
  why: string
  spec: string
}

/** The losses of one object as the Markdown table docs/ocpi-2.1.1.md shows (a test keeps the two equal). */
export function lossTable(losses: readonly Loss[]): string {
  const escape = (text: string) => text.replaceAll('|', '\\|')
  const name = (loss: Loss) => (loss.canonical ? `\`${loss.field}\` / \`${loss.canonical}\`` : `\`${loss.field}\``)
  const rows = losses.map((loss) => `| ${name(loss)} | ${loss.direction} | ${escape(loss.what)} | ${escape(loss.why)} | ${escape(loss.spec)} |`)
  return ['| field | direction | what happens | why | spec |', '|---|---|---|---|---|', ...rows].join('\n')
}
