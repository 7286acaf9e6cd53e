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
// A peer that accepts gzip gets a remembered page gzip-encoded: the head is compressed once, on the first such hit,
// and each response closes that one gzip member with its own timestamp (src/ocpi/gzip-segments.ts, gzipClosing).

const PAGE_HEADERS = ['X-Total-Count', 'X-Limit', 'Link'] as const
const MAX_AGE_SECONDS = 600
/** Memory for hot pages per isolate (of the 128 MB a Worker isolate has): about a hundred 144 KB pages. */
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
}
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

/** A remembered page as a fresh response: its body and paging headers, stamped now; request ids are this request's. */
export async function cachedPage(c: Context<OcpiEnv>, key: PageKey): Promise<Response | undefined> {
  const hot = hotPages.get(key.material) ?? (key.shared ? await fromSharedCache(key) : undefined)
  if (!hot) return undefined
  // Asked for again: worth sharing with the data centre's other isolates.
  if (key.shared && !hot.inSharedCache) storeShared(c, key, hot)
  for (const [name, value] of hot.headers) c.header(name, value)
  c.header('X-Cache', 'HIT')
  c.set('ocpiStatusCode', 1000)
  const tail = encoder.encode(listBodyTail())
  if (acceptsGzip(c.req.header('Accept-Encoding'))) return gzipResponse(c, compressed(key, hot), hot.head.byteLength, tail)
  return c.body(twoChunks(hot.head, tail), 200, { 'Content-Type': 'application/json', 'Content-Length': String(hot.head.byteLength + tail.byteLength), Vary: 'Accept-Encoding' })
}

/** The page's gzip start, compressed now if no hit asked for it before; the memory it takes counts from now on. */
function compressed(key: PageKey, page: HotPage): NonNullable<HotPage['gzip']> {
  if (page.gzip) return page.gzip
  const start = concatBytes([GZIP_HEADER, deflateSegment(page.head)])
  page.gzip = { start, crc: crc32(page.head) }
  hotPages.set(key.material, { ...page, bytes: page.bytes + start.byteLength })
  return page.gzip
}

/**
 * The body as gzip: the remembered start of the member, then this response's closing (its timestamp in a stored
 * block and the trailer), in one buffer: at a tenth of the page's size, copying it cost less CPU per hit than a
 * two-chunk stream (bench/README.md). `manual` keeps the runtime from encoding the encoded body again; Hono's
 * response helpers take no such option, so the response they built is passed on with it.
 */
function gzipResponse(c: Context<OcpiEnv>, gzip: NonNullable<HotPage['gzip']>, headLength: number, tail: Uint8Array): Response {
  const body = concatBytes([gzip.start, gzipClosing(tail, gzip.crc, headLength)])
  const built = c.body(body, 200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', 'Content-Length': String(body.byteLength), Vary: 'Accept-Encoding' })
  return new Response(built.body, { status: 200, headers: built.headers, encodeBody: 'manual' })
}

/**
 * A body of two chunks: the remembered part and this response's own (its timestamp). Copying the head into a new
 * buffer per response made a 144 KB allocation per hit, and the garbage collections it forced on the isolate were the
 * cache-hit page's latency tail. A default (not byte) stream hands its chunks on without detaching them.
 */
function twoChunks(remembered: Uint8Array, own: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(remembered)
      controller.enqueue(own)
      controller.close()
    },
  })
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

/** A page to remember; its size counts its key too (two bytes a character), which a long sharing policy makes long. */
const hotPage = (head: Uint8Array, headers: [string, string][], inSharedCache: boolean, key: string): HotPage =>
  ({ head, headers, bytes: head.byteLength + 2 * key.length + 200, inSharedCache })

/** Remembers the page just built in this isolate's memory: its body head and the response's paging headers. */
export function rememberPage(key: PageKey, head: string, response: Response) {
  hotPages.set(key.material, hotPage(encoder.encode(head), pageHeaders(response), false, key.material))
}

/** Puts a page in the data centre's Cache API, off the response path. */
function storeShared(c: Context<OcpiEnv>, key: PageKey, page: HotPage) {
  page.inSharedCache = true
  const stored = sharedRequest(key).then((request) => caches.default.put(request, new Response(twoChunks(page.head, encoder.encode(listBodyTail())), {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': `max-age=${MAX_AGE_SECONDS}`, ...Object.fromEntries(page.headers) },
  })))
  keepAliveOf(c)(stored)
}
