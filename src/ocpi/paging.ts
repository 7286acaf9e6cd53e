import type { Context } from 'hono'
import { z } from 'zod'
import { OcpiError, invalid } from './errors'
import { DateTime, toEpochMs } from './types'

/** Where the previous page ended in (last_updated, key) order: the keyset position carried by the cursor. */
export interface KeysetPosition { last_updated: number; key: string }

export interface PageQuery {
  offset: number
  limit: number
  /** Inclusive, epoch ms. */
  date_from?: number
  /** Exclusive, epoch ms (transport_and_format: "date_to ... up to this date/time, not including"). */
  date_to?: number
  /** Set when the request carried a cursor: the page starts strictly after this position and offset is ignored. */
  after?: KeysetPosition
  /** D1 session bookmark, so every page of one sync reads a state at least as new as the page before. */
  bookmark?: string
}

export interface Page<T> {
  objects: T[]
  total: number
  /** Position of the last object on this page; enables the keyset cursor in Link. */
  last?: KeysetPosition
}

/**
 * The keyset cursor, decoded from a query the peer controls: every field is checked, so a forged one is 2001 and never
 * reaches SQL as a float, a huge number or a megabyte key.
 */
const Cursor = z.object({
  o: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  lu: z.number().int().min(-8.64e15).max(8.64e15),
  k: z.string().max(512),
  bm: z.string().max(1024).optional(),
})
type Cursor = z.infer<typeof Cursor>
const MAX_CURSOR_LENGTH = 2048

export const DEFAULT_MAX_LIMIT = 1000

export function parsePageQuery(c: Context, options: { maxLimit?: number } = {}): PageQuery {
  const maxLimit = options.maxLimit ?? DEFAULT_MAX_LIMIT
  const offset = parseNonNegativeInteger(c.req.query('offset'), 'offset') ?? 0
  const requestedLimit = parseNonNegativeInteger(c.req.query('limit'), 'limit')
  const limit = Math.min(requestedLimit ?? maxLimit, maxLimit)
  const date_from = parseDate(c.req.query('date_from'), 'date_from')
  const date_to = parseDate(c.req.query('date_to'), 'date_to')
  const cursor = decodeCursor(c.req.query('cursor'))
  return {
    offset: cursor ? cursor.o : offset,
    limit,
    date_from,
    date_to,
    after: cursor ? { last_updated: cursor.lu, key: cursor.k } : undefined,
    bookmark: cursor?.bm,
  }
}

/**
 * Sets X-Total-Count, X-Limit and Link (rel="next") and returns the objects. The next URL keeps the query and carries
 * both `offset` (for peers that build URLs themselves) and an opaque keyset `cursor` (which wins when present), so a
 * deep page costs what the first does and concurrent updates neither skip nor repeat objects at page boundaries.
 */
export function setPageHeaders(c: Context, query: PageQuery, page: Page<unknown>, options: { publicUrl: string; bookmark?: string }) {
  c.header('X-Total-Count', String(page.total))
  c.header('X-Limit', String(query.limit))
  const served = query.offset + page.objects.length
  const full = page.objects.length > 0 && page.objects.length === query.limit
  // With a keyset position only a short page ends the list: an object updated mid-sync moves behind the cursor, so it
  // is counted once in X-Total-Count but served twice, and `served >= total` would drop the Link before its new state.
  const more = page.last ? full : full && served < page.total
  if (!more) return
  const next = new URL(c.req.path, options.publicUrl)
  const params = new URL(c.req.url).searchParams
  for (const [name, value] of params) if (name !== 'offset' && name !== 'cursor' && name !== 'limit') next.searchParams.set(name, value)
  next.searchParams.set('offset', String(served))
  next.searchParams.set('limit', String(query.limit))
  if (page.last) {
    next.searchParams.set('cursor', encodeCursor({ o: served, lu: page.last.last_updated, k: page.last.key, bm: options.bookmark ?? query.bookmark }))
  }
  c.header('Link', `<${next.toString()}>; rel="next"`)
}

/** Decimal digits up to 2^53 - 1: beyond that a number is no longer exact, and SQLite would be handed a float. */
function parseNonNegativeInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const number = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isSafeInteger(number)) throw invalid(name, `must be a non-negative integer up to ${Number.MAX_SAFE_INTEGER}`)
  return number
}

/** A DateTime query parameter of a list besides date_from and date_to (e.g. Bookings' timeslot_from), as epoch ms; 2001 with its name when malformed. */
export const parseDateParameter = (c: Context, name: string): number | undefined => parseDate(c.req.query(name), name)

function parseDate(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined
  if (!DateTime.safeParse(value).success) throw invalid(name, 'must be an RFC 3339 DateTime')
  return toEpochMs(value)
}

function encodeCursor(cursor: Cursor): string {
  return btoa(JSON.stringify(cursor)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function decodeCursor(value: string | undefined): Cursor | undefined {
  if (!value) return undefined
  if (value.length <= MAX_CURSOR_LENGTH) {
    try {
      const cursor = Cursor.safeParse(JSON.parse(atob(value.replace(/-/g, '+').replace(/_/g, '/'))))
      if (cursor.success) return cursor.data
    } catch {
      // not Base64 or not JSON: refused below like any other forgery
    }
  }
  throw new OcpiError(2001, 'cursor: not a cursor this server issued', { path: 'cursor' })
}
