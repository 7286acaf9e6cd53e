import { toHex } from '../../ocpi/urls'
import type { Context } from 'hono'
import { ByteBoundedLru } from '../../db/memo'
import type { OcpiEnv } from '../../ocpi/context'
import { listBodyTail } from '../../ocpi/envelope'
import type { PageQuery } from '../../ocpi/paging'
import type { PartyView } from '../../ocpi/objects/sharing-policy'

// Hot list pages (DESIGN "Hot pages"), in two tiers. The key is a digest of everything that decides the page: what the
// peer may see of each serving party (the result of its policies and roles), the data version of the locations table,
// the OCPI version and the full request URL (query and cursor). Any write bumps the data version and any policy or role
// change changes the visibility, so a stale page is unreachable as soon as this isolate's memos of them are: at once
// after a write made here, within the memo staleness elsewhere (src/db/memo.ts). Entries are only evicted for space.
// - This isolate's memory (HOT_PAGE_BYTES): every page built here. A hit costs what /ocpi/versions does.
// - The Cache API of the data centre, shared by its isolates: only pages other peers ask for too, a list's pages by
//   offset, and only once a page is asked for a second time. A keyset cursor or a date_from/date_to delta is one
//   peer's own, and most pages are asked for once; storing a page there cost more CPU than building it from D1
//   (docs/architecture.md, "Serving pulls").

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
  digest: string
  /** Whether the page goes to the data centre's Cache API too (see above). */
  shared: boolean
}

export async function pageCacheKey(c: Context<OcpiEnv>, query: PageQuery, parts: PageKeyParts): Promise<PageKey> {
  const digest = await digestOf([c.var.version, c.env.PUBLIC_URL, c.req.url, parts.dataVersion, viewsMaterial(parts)])
  return { digest, shared: query.after === undefined && query.date_from === undefined && query.date_to === undefined }
}

const viewsMaterial = (parts: PageKeyParts) =>
  parts.views.map(({ party, visibility }) => [party.country_code, party.party_id, visibility.published, [...visibility.ids].sort()])

async function digestOf(material: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(JSON.stringify(material)))
  return toHex(digest)
}

const sharedRequest = (key: PageKey) => new Request(`https://page-cache.ocpi-edge.invalid/locations/${key.digest}`)

/** A remembered page as a fresh response: its body and paging headers, stamped now; request ids are this request's. */
export async function cachedPage(c: Context<OcpiEnv>, key: PageKey): Promise<Response | undefined> {
  const hot = hotPages.get(key.digest) ?? (key.shared ? await fromSharedCache(key) : undefined)
  if (!hot) return undefined
  // Asked for again: worth sharing with the data centre's other isolates.
  if (key.shared && !hot.inSharedCache) storeShared(c, key, hot)
  for (const [name, value] of hot.headers) c.header(name, value)
  c.header('X-Cache', 'HIT')
  c.set('ocpiStatusCode', 1000)
  return c.body(stampedBody(hot), 200, { 'Content-Type': 'application/json' })
}

/** The page's body, stamped now. */
function stampedBody(page: HotPage): Uint8Array<ArrayBuffer> {
  const tail = encoder.encode(listBodyTail())
  const body = new Uint8Array(page.head.byteLength + tail.byteLength)
  body.set(page.head)
  body.set(tail, page.head.byteLength)
  return body
}

/** A page another isolate put in the Cache API, kept in this isolate's memory from now on. */
async function fromSharedCache(key: PageKey): Promise<HotPage | undefined> {
  const hit = await caches.default.match(sharedRequest(key))
  if (!hit) return undefined
  const body = new Uint8Array(await hit.arrayBuffer())
  // The stored body ends with `"timestamp":"<DateTime>"}`, ASCII: its head is everything before that member.
  const end = Math.max(0, body.byteLength - TAIL_SEARCH)
  const at = new TextDecoder().decode(body.subarray(end)).lastIndexOf('"timestamp":"')
  if (at < 0) return undefined
  const page = hotPage(body.slice(0, end + at), pageHeaders(hit), true)
  hotPages.set(key.digest, page)
  return page
}

/** How far from the end of a stored body its timestamp member starts, at most (`"timestamp":"` and a DateTime). */
const TAIL_SEARCH = 64

const pageHeaders = (response: Response): [string, string][] =>
  PAGE_HEADERS.flatMap((name) => {
    const value = response.headers.get(name)
    return value === null ? [] : [[name, value] as [string, string]]
  })

const hotPage = (head: Uint8Array, headers: [string, string][], inSharedCache = false): HotPage =>
  ({ head, headers, bytes: head.byteLength + 200, inSharedCache })

/** Remembers the page just built in this isolate's memory: its body head and the response's paging headers. */
export function rememberPage(key: PageKey, head: string, response: Response) {
  hotPages.set(key.digest, hotPage(encoder.encode(head), pageHeaders(response)))
}

/** Puts a page in the data centre's Cache API, off the response path. */
function storeShared(c: Context<OcpiEnv>, key: PageKey, page: HotPage) {
  page.inSharedCache = true
  const stored = caches.default.put(sharedRequest(key), new Response(stampedBody(page), {
    headers: { 'Content-Type': 'application/json', 'Cache-Control': `max-age=${MAX_AGE_SECONDS}`, ...Object.fromEntries(page.headers) },
  }))
  try {
    c.executionCtx.waitUntil(stored)
  } catch {
    void stored // no execution context (e.g. some test harnesses): store inline
  }
}
