import { toHex } from '../../ocpi/urls'
import type { Context } from 'hono'
import type { OcpiEnv } from '../../ocpi/context'
import type { PartyView } from '../../ocpi/objects/sharing-policy'

// Hot list pages in the Cache API (DESIGN "Hot pages"). The key is a digest of everything that decides the page: what
// the peer may see of each serving party (the result of its policies and roles), the data version of the locations
// table, the OCPI version and the full request URL (query and cursor). Any write bumps the data version and any policy
// or role change changes the visibility, so a stale page is unreachable as soon as this isolate's memos of them are: at
// once after a write made here, within the memo staleness elsewhere (src/db/memo.ts). Entries only expire to free space.

const PAGE_HEADERS = ['X-Total-Count', 'X-Limit', 'Link'] as const
const MAX_AGE_SECONDS = 600

export interface PageKeyParts {
  views: readonly PartyView[]
  /** The data version of the locations table (src/db/data-versions.ts). */
  dataVersion: string
}

export async function pageCacheKey(c: Context<OcpiEnv>, parts: PageKeyParts): Promise<Request> {
  const hex = await digestOf([c.var.version, c.env.PUBLIC_URL, c.req.url, parts.dataVersion, viewsMaterial(parts)])
  return new Request(`https://page-cache.ocpi-edge.invalid/locations/${hex}`)
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
  if (!hit?.body) return undefined
  for (const name of PAGE_HEADERS) {
    const value = hit.headers.get(name)
    if (value !== null) c.header(name, value)
  }
  c.header('X-Cache', 'HIT')
  // The cached body is passed through as a stream: a 172 KB page is never copied into a string.
  return c.body(hit.body, 200, { 'Content-Type': 'application/json' })
}

/** Stores the page just built, off the response path. */
export function rememberPage(c: Context<OcpiEnv>, key: Request, response: Response) {
  const headers = new Headers({ 'Content-Type': 'application/json', 'Cache-Control': `max-age=${MAX_AGE_SECONDS}` })
  for (const name of PAGE_HEADERS) {
    const value = response.headers.get(name)
    if (value !== null) headers.set(name, value)
  }
  const stored = caches.default.put(key, new Response(response.clone().body, { headers }))
  try {
    c.executionCtx.waitUntil(stored)
  } catch {
    void stored // no execution context (e.g. some test harnesses): store inline
  }
}
