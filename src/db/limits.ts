import { OcpiError } from '../ocpi/errors'

// Sizes the store refuses before D1 does. Cloudflare D1 limits (developers.cloudflare.com/d1/platform/limits):
// "Maximum string, BLOB or table row size: 2,000,000 bytes". A write past it fails inside D1 as an internal error, so
// the store measures first and refuses with 2001, the field that makes the object large, and the limit.

/** D1's maximum row size, in bytes. */
export const D1_MAX_ROW_BYTES = 2_000_000

/**
 * A location's canonical JSON, in bytes. Its row holds it three times (canonical, 2.3.0 and 2.2.1 serializations,
 * so pages are served without converting), plus indexed columns: a third of the row limit, with room to spare.
 * About 1,500 EVSEs with one connector each.
 */
export const LOCATION_MAX_BYTES = 600_000

/**
 * A session's canonical JSON, in bytes: its row holds it once, plus the driver's charging preferences. About 16,000
 * charging periods with one dimension each: a period per 5 minutes for two months of charging.
 */
export const SESSION_MAX_BYTES = 1_500_000

const encoder = new TextEncoder()

/** 2001 naming `path` (the field that makes the object large) and the limit, when `object` is too large to store. */
export function assertStorable(what: string, object: unknown, maxBytes: number, path: string): void {
  const bytes = encoder.encode(JSON.stringify(object)).byteLength
  if (bytes > maxBytes) throw new OcpiError(2001, `${path ? `${path}: ` : ''}${what} is ${bytes} bytes as JSON; at most ${maxBytes} can be stored`, { path })
}
