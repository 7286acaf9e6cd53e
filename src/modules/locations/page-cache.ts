import { toHex } from '../../ocpi/urls'
import type { Context } from 'hono'
import { ByteBoundedLru } from '../../db/memo'
import type { OcpiEnv } from '../../ocpi/context'
import { listBodyTail } from '../../ocpi/envelope'
import { keepAliveOf } from '../../ocpi/keep-alive'
import { acceptsGzip } from '../../ocpi/content-encoding'
import { concatBytes, crc32, deflateSegment, GZIP_HEADER, gzipClosing } from '../../ocpi/gzip-segments'
import type { PageQuery } from '../../ocpi/paging'
import type { PartyView } from '../../ocpi/objects/sharing-policy'

// Hot list pages (DESIGN "Hot pages"), in two tiers. The key is everything that decides the page: what the
// peer may see of each serving party (the result of its policies and roles), the data version of the locations table,
// the OCPI version and the full request URL (query and cursor). Any write bumps the data version and any policy or role
// change changes the visibility, so a stale page is unreachable as soon as this isolate's memos of them are: at once
// after a write made here, within the memo staleness elsewhere (src/db/memo.ts). Entries are only evicted for space.
// - This isolate's memory (HOT_PAGE_BYTES): every page built here. A hit costs what /ocpi/versions does.
// - The Cache API of the data centre, shared by its isolates: only pages other peers ask for too, a list's pages by
//   offset, and only once a page is asked for a second time. A keyset cursor or a date_from/date_to delta is one
//   peer's own, and most pages are asked for once; storing a page there cost more CPU than building it from D1
//   (docs/architecture.md, "Serving pulls").
// A hit is sent as a body stamped for the current second: envelopes are stamped to the second (src/ocpi/envelope.ts,
// envelopeTimestamp), so every hit in one second sends the same bytes. The body is made once per second and
// encoding, as a Blob the runtime streams to every response without copying it; a hit adds one Response and nothing
// else. A peer that accepts gzip gets the page gzip-encoded: the head is compressed once, on the first such hit, and
// each second's body closes that one gzip member with its own timestamp (src/ocpi/gzip-segments.ts, gzipClosing).

const PAGE_HEADERS = ['X-Total-Count', 'X-Limit', 'Link'] as const
const MAX_AGE_SECONDS = 600
/** Memory for hot pages per isolate (of the 128 MB a Worker isolate has): about fifty 172 KB pages and their stamped copies. */
const HOT_PAGE_BYTES = 16 * 1024 * 1024

const encoder = new TextEncoder()

interface HotPage {
  /** The body up to its timestamp (`serializedListHead`), UTF-8. */
  head: Uint8Array
  headers: [string, string][]
  bytes: number
  /** Whether the data centre's Cache API holds it (stored by this isolate, or found there). */
  inSharedCache: boolean
  /** The head as the start of a gzip member (header, deflate blocks ending on a byte boundary) and its CRC-32. */
  gzip?: { start: Uint8Array; crc: number }
  /** The whole body stamped for one second (epoch ms of its start), per encoding, made on the second's first hit. */
  stamped?: { second: number; identity?: StampedBody; gzip?: StampedBody }
}
/** A response's body and headers: every hit in the second sends them as they are. */
interface StampedBody { body: Blob; headers: Record<string, string> }
const hotPages = new ByteBoundedLru<HotPage>(HOT_PAGE_BYTES)

/** Empties this isolate's memory tier, as a new isolate starts (tests of the shared tier). */
export const forgetHotPages = () => hotPages.clear()

export interface PageKeyParts {
  views: readonly PartyView[]
  /** The data version of the locations table (src/db/data-versions.ts). */
  dataVersion: string
}

export interface PageKey {
  /** Everything that decides the page, as one string: the memory tier's key. */
  material: string
  /** Whether the page goes to the data centre's Cache API too (see above). */
  shared: boolean
}

export function pageCacheKey(c: Context<OcpiEnv>, query: PageQuery, parts: PageKeyParts): PageKey {
  const material = JSON.stringify([c.get('version'), c.env.PUBLIC_URL, c.req.url, parts.dataVersion, viewsMaterial(parts)])
  return { material, shared: query.after === undefined && query.date_from === undefined && query.date_to === undefined }
}

const viewsMaterial = (parts: PageKeyParts) =>
  parts.views.map(({ party, visibility }) => [party.country_code, party.party_id, visibility.published, [...visibility.ids].sort()])

// The Cache API's key is a digest of the material: a URL of fixed length that names nothing the material holds. Only a
// page looked for there is digested; a hit in memory is found by the material itself, without hashing it.
async function sharedRequest(key: PageKey): Promise<Request> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(key.material))
  return new Request(`https://page-cache.ocpi-edge.invalid/locations/${toHex(digest)}`)
}

/** A remembered page as a fresh response: its body and paging headers, stamped this second; request ids are added. */
export async function cachedPage(c: Context<OcpiEnv>, key: PageKey): Promise<Response | undefined> {
  const hot = hotPages.get(key.material) ?? (key.shared ? await fromSharedCache(key) : undefined)
  if (!hot) return undefined
  // Asked for again: worth sharing with the data centre's other isolates.
  if (key.shared && !hot.inSharedCache) storeShared(c, key, hot)
  c.set('ocpiStatusCode', 1000)
  const now = Date.now()
  const second = now - (now % 1000)
  if (hot.stamped?.second !== second) hot.stamped = { second }
  const stamped = hot.stamped
  const tail = () => encoder.encode(listBodyTail(second))
  if (acceptsGzip(c.req.header('Accept-Encoding'))) {
    const gzip = compressed(key, hot)
    stamped.gzip ??= stampedBody(hot, [gzip.start, gzipClosing(tail(), gzip.crc, hot.head.byteLength)], { 'Content-Encoding': 'gzip' })
    // `manual`: the body is gzip already, the runtime must not encode it again.
    return new Response(stamped.gzip.body, { status: 200, headers: stamped.gzip.headers, encodeBody: 'manual' })
  }
  stamped.identity ??= stampedBody(hot, [hot.head, tail()])
  return new Response(stamped.identity.body, { status: 200, headers: stamped.identity.headers })
}

/**
 * One second's body and its headers, given as a plain object: from Hono's helpers a hit would build a Headers object
 * first and the Response a copy of it.
 */
function stampedBody(page: HotPage, parts: Uint8Array[], encoding: Record<string, string> = {}): StampedBody {
  const body = new Blob(parts)
  const headers = { ...Object.fromEntries(page.headers), 'X-Cache': 'HIT', 'Content-Type': 'application/json', Vary: 'Accept-Encoding', ...encoding, 'Content-Length': String(body.size) }
  return { body, headers }
}

/** The page's gzip start, compressed now if no hit asked for it before; the memory it takes counts from now on. */
function compressed(key: PageKey, page: HotPage): NonNullable<HotPage['gzip']> {
  if (page.gzip) return page.gzip
  const start = concatBytes([GZIP_HEADER, deflateSegment(page.head)])
  page.gzip = { start, crc: crc32(page.head) }
  // Twice: the start, and the second's stamped copy of it.
  hotPages.set(key.material, { ...page, bytes: page.bytes + 2 * start.byteLength })
  return page.gzip
}

/** A page another isolate put in the Cache API, kept in this isolate's memory from now on. */
async function fromSharedCache(key: PageKey): Promise<HotPage | undefined> {
  const hit = await caches.default.match(await sharedRequest(key))
  if (!hit) return undefined
  const body = new Uint8Array(await hit.arrayBuffer())
  // The stored body ends with `"timestamp":"<DateTime>"}`, ASCII: its head is everything before that member.
  const end = Math.max(0, body.byteLength - TAIL_SEARCH)
  const at = new TextDecoder().decode(body.subarray(end)).lastIndexOf('"timestamp":"')
  if (at < 0) return undefined
  const page = hotPage(body.slice(0, end + at), pageHeaders(hit), true, key.material)
  hotPages.set(key.material, page)
  return page
}

/** How far from the end of a stored body its timestamp member starts, at most (`"timestamp":"` and a DateTime). */
const TAIL_SEARCH = 64

const pageHeaders = (response: Response): [string, string][] =>
  PAGE_HEADERS.flatMap((name) => {
    const value = response.headers.get(name)
    return value === null ? [] : [[name, value] as [string, string]]
  })

/**
 * A page to remember. Its size counts the head twice (the head, and the second's stamped copy of it) and its key too
 * (two bytes a character), which a long sharing policy makes long.
 */
const hotPage = (head: Uint8Array, headers: [string, string][], inSharedCache: boolean, key: string): HotPage =>
  ({ head, headers, bytes: 2 * head.byteLength + 2 * key.length + 200, inSharedCache })

/** Remembers the page just built in this isolate's memory: its body head and the response's paging headers. */
export function rememberPage(key: PageKey, head: string, response: Response) {
  hotPages.set(key.material, hotPage(encoder.encode(head), pageHeaders(response), false, key.material))
}

/** Puts a page in the data centre's Cache API, off the response path. */
function storeShared(c: Context<OcpiEnv>, key: PageKey, page: HotPage) {
  page.inSharedCache = true
  const stored = sharedRequest(key).then((request) => caches.default.put(request, new Response(new Blob([page.head, encoder.encode(listBodyTail())]), {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': `max-age=${MAX_AGE_SECONDS}`, ...Object.fromEntries(page.headers) },
  })))
  keepAliveOf(c)(stored)
}
