import { nextLinkOf } from '../ocpi/link'

// Every pull from a peer's Sender interface follows Link rel="next" (transport_and_format, "Pagination") through this
// one rule. The Link is the peer's to choose, and we present our credentials token to whatever it names, so:
// - it is followed only on the origin and path of the page that carried it: the first page is the endpoint URL from
//   the peer's version details, so by induction every page stays on that endpoint and only the query changes;
// - a Link naming the page itself or one of the last pages fetched ends the pull (no endless loop on one page);
// - an empty page ends the pull whatever its Link says, and so does the page cap.
// A pull that ends early is not an error the next attempt would fix: it ends, and `stopped_by` says why.

export const DEFAULT_MAX_PULL_PAGES = 10_000
/** Longer next URLs are not followed: job state keeps the last few. */
const MAX_NEXT_URL_LENGTH = 2048
const RECENT_PAGES_KEPT = 16

export interface FetchedPage {
  /** The URL just fetched. */
  url: string
  headers: Headers
  /** Objects on the page. */
  received: number
  /** Pages fetched so far, this one included. */
  pages: number
  /** URLs fetched before this one, newest last (from the previous step's answer). */
  recent?: readonly string[]
}

export interface NextPage {
  /** The page to fetch next; null: the pull is complete or was stopped. */
  next_url: string | null
  recent: string[]
  /** Set when the peer's Link was not followed. */
  stopped_by?: string
}

/** The first page of a pull: the endpoint URL with the given query values. */
export function firstPageUrl(endpointUrl: string, query: Record<string, string | number | undefined> = {}): string {
  const first = new URL(endpointUrl)
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== '') first.searchParams.set(name, String(value))
  return first.toString()
}

/** Where the pull goes after `page`. Never throws. */
export function nextPageAfter(page: FetchedPage, maxPages = DEFAULT_MAX_PULL_PAGES): NextPage {
  const recent = [...(page.recent ?? []), page.url].slice(-RECENT_PAGES_KEPT)
  const end = (stopped_by?: string): NextPage => ({ next_url: null, recent, ...(stopped_by ? { stopped_by } : {}) })
  const link = nextLinkOf(page.headers.get('Link'))
  if (link === undefined) return end()
  if (page.received === 0) return end()
  if (page.pages >= maxPages) return end(`page cap of ${maxPages} reached`)
  if (link.length > MAX_NEXT_URL_LENGTH || !URL.canParse(page.url) || !URL.canParse(link, page.url)) return end('unreadable next link')
  const current = new URL(page.url)
  const next = new URL(link, current)
  next.hash = ''
  if (next.origin !== current.origin || trimSlash(next.pathname) !== trimSlash(current.pathname)) {
    return end(`next link leaves the endpoint (${next.origin}${next.pathname}): not followed, no token sent there`)
  }
  const href = next.toString()
  if (recent.some((seen) => sameUrl(seen, href))) return end('next link repeats a page already fetched')
  return { next_url: href, recent }
}

const trimSlash = (path: string) => path.replace(/\/+$/, '')

function sameUrl(a: string, b: string): boolean {
  if (!URL.canParse(a)) return false
  const left = new URL(a)
  const right = new URL(b)
  left.searchParams.sort()
  right.searchParams.sort()
  return left.origin === right.origin && trimSlash(left.pathname) === trimSlash(right.pathname) && left.search === right.search
}
