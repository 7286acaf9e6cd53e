import { toHex } from '../../ocpi/urls'
import type { Context } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import type { PageQuery } from '../../ocpi/paging'
import type { PartyView } from '../../ocpi/objects/sharing-policy'

// Hot list pages in the Cache API (DESIGN "Hot pages"). The key is a digest of everything that decides the page: what
// the peer may see of each serving party (the result of its policies and roles), the data version of own locations,
// the OCPI version and the full request URL (query and cursor). Any write bumps the data version and any policy or
// role change changes the visibility, so a stale page is never reachable; entries only expire to free space.

const PAGE_HEADERS = ['X-Total-Count', 'X-Limit', 'Link'] as const
const MAX_AGE_SECONDS = 600

export interface PageKeyParts {
  views: readonly PartyView[]
  dataVersion: number
}

export async function pageCacheKey(c: Context<OcpiEnv>, parts: PageKeyParts): Promise<Request> {
  const hex = await digestOf([c.var.version, c.env.PUBLIC_URL, c.req.url, parts.dataVersion, viewsMaterial(parts)])
  return new Request(`https://page-cache.ocpi-edge.invalid/locations/${hex}`)
}

// X-Total-Count is most of the cost of a page built from D1 (counting 100,000 index entries per page, bench/README.md),
// and it is the same for every page of one sync. It is remembered per isolate under the same kind of key as pages:
// what the peer may see, the data version and the date filter, so a write or policy change makes it unreachable.
const totals = new Map<string, number>()
const MAX_TOTALS = 1_000

export function totalCacheKey(parts: PageKeyParts, page: Pick<PageQuery, 'date_from' | 'date_to'>): Promise<string> {
  return digestOf([parts.dataVersion, viewsMaterial(parts), page.date_from ?? null, page.date_to ?? null])
}

export const knownTotal = (key: string): number | undefined => totals.get(key)

export function rememberTotal(key: string, total: number) {
  if (totals.size >= MAX_TOTALS) totals.delete(totals.keys().next().value!)
  totals.set(key, total)
}

const viewsMaterial = (parts: PageKeyParts) =>
  parts.views.map(({ party, visibility }) => [party.country_code, party.party_id, visibility.published, [...visibility.ids].sort()])

async function digestOf(material: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(material)))
  return toHex(digest)
}

/** A cached page as a fresh response: body and paging headers only, so request ids are this request's own. */
export async function cachedPage(c: Context<OcpiEnv>, key: Request): Promise<Response | undefined> {
  const hit = await caches.default.match(key)
  if (!hit) return undefined
  for (const name of PAGE_HEADERS) {
    const value = hit.headers.get(name)
    if (value !== null) c.header(name, value)
  }
  c.header('X-Cache', 'HIT')
  return c.body(await hit.text(), 200, { 'Content-Type': 'application/json' })
}

/** Stores the page just built, off the response path. */
export function rememberPage(c: Context<OcpiEnv>, key: Request, response: Response) {
  const headers = new Headers({ 'Content-Type': 'application/json', 'Cache-Control': `max-age=${MAX_AGE_SECONDS}` })
  for (const name of PAGE_HEADERS) {
    const value = response.headers.get(name)
    if (value !== null) headers.set(name, value)
  }
  const stored = response.clone().text().then((body) => caches.default.put(key, new Response(body, { headers })))
  try {
    c.executionCtx.waitUntil(stored)
  } catch {
    void stored // no execution context (e.g. some test harnesses): store inline
  }
}
