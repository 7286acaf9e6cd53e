import { and, eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { hubClientInfo } from '../../src/db/schema'
import { adminFetch, db, ocpiFetch, registeredPeer, type OcpiBody } from './fixtures'
import { present } from '../present'

// Transport paging (transport_and_format, "Pagination"), driven through a real paged sender: hubclientinfo.
// Rows live in a time window of their own so other tests' rows never count.
const windowStart = Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 1e9)
const at = (offset: number) => new Date(windowStart + offset).toISOString()
const range = `date_from=${encodeURIComponent(at(0))}&date_to=${encodeURIComponent(at(1000))}`
let token: string

beforeAll(async () => {
  // The hubclientinfo Sender is served only by a platform hosting a HUB party.
  await adminFetch('/parties', { method: 'POST', body: { country_code: 'ZZ', party_id: 'HUB', role: 'HUB', business_details: { name: 'Hub' } } })
  ;({ token } = await registeredPeer())
  const rows = ['AAA', 'BBB', 'CCC', 'DDD', 'EEE'].map((party_id, index) => ({
    country_code: 'ZZ', party_id, role: 'CPO' as const, status: 'CONNECTED' as const, peer_id: null, last_updated: windowStart + index * 10,
  }))
  // Exactly at date_to: excluded (exclusive); before date_from: excluded.
  rows.push({ country_code: 'ZZ', party_id: 'TOO', role: 'CPO', status: 'CONNECTED', peer_id: null, last_updated: windowStart + 1000 })
  rows.push({ country_code: 'ZZ', party_id: 'OLD', role: 'CPO', status: 'CONNECTED', peer_id: null, last_updated: windowStart - 1 })
  await db().insert(hubClientInfo).values(rows)
})

async function page(query: string) {
  const response = await ocpiFetch(`/ocpi/2.3.0/sender/hubclientinfo?${query}`, { token })
  const body = await response.json<OcpiBody<{ party_id: string }[]>>()
  return { response, body, ids: Array.isArray(body.data) ? body.data.map((clientInfo) => clientInfo.party_id) : [] }
}

describe('paging', () => {
  it('sets X-Total-Count and X-Limit, and a Link to the next page that keeps the filters and carries offset and cursor', async () => {
    const first = await page(`${range}&limit=2`)
    expect(first.response.status).toBe(200)
    expect(first.ids).toEqual(['AAA', 'BBB'])
    expect(first.response.headers.get('X-Total-Count')).toBe('5')
    expect(first.response.headers.get('X-Limit')).toBe('2')
    const next = new URL(present(/^<([^>]+)>; rel="next"$/.exec(first.response.headers.get('Link')!)?.[1], 'the next link'))
    expect(next.pathname).toBe('/ocpi/2.3.0/sender/hubclientinfo')
    expect(next.searchParams.get('offset')).toBe('2')
    expect(next.searchParams.get('date_from')).toBe(at(0))
    expect(next.searchParams.get('date_to')).toBe(at(1000))
    expect(next.searchParams.get('cursor')).toBeTruthy()
  })

  it('following the Links yields every object once, in last_updated order, and the last page has no Link', async () => {
    const seen: string[] = []
    let query: string | undefined = `${range}&limit=2`
    while (query) {
      const current = await page(query)
      seen.push(...current.ids)
      const link = current.response.headers.get('Link')
      query = link ? new URL(present(/^<([^>]+)>/.exec(link)?.[1], 'the next link')).search.slice(1) : undefined
    }
    expect(seen).toEqual(['AAA', 'BBB', 'CCC', 'DDD', 'EEE'])
  })

  it('still links to the rest when an object already served is updated mid-sync, so its new state arrives', async () => {
    const seen: string[] = []
    let query: string | undefined = `${range}&limit=1`
    while (query) {
      const current = await page(query)
      seen.push(...current.ids)
      if (seen.length === 1) {
        // AAA moves behind the cursor: X-Total-Count stays 5, but 6 objects are served before the list ends.
        await db().update(hubClientInfo).set({ last_updated: windowStart + 50 }).where(and(eq(hubClientInfo.country_code, 'ZZ'), eq(hubClientInfo.party_id, 'AAA')))
      }
      const link = current.response.headers.get('Link')
      query = link ? new URL(present(/^<([^>]+)>/.exec(link)?.[1], 'the next link')).search.slice(1) : undefined
    }
    expect(seen).toEqual(['AAA', 'BBB', 'CCC', 'DDD', 'EEE', 'AAA'])
    await db().update(hubClientInfo).set({ last_updated: windowStart }).where(and(eq(hubClientInfo.country_code, 'ZZ'), eq(hubClientInfo.party_id, 'AAA')))
  })

  it('serves a plain offset without a cursor', async () => {
    const offsetPage = await page(`${range}&offset=2&limit=2`)
    expect(offsetPage.ids).toEqual(['CCC', 'DDD'])
    expect(offsetPage.response.headers.get('X-Total-Count')).toBe('5')
  })

  it('date_from is inclusive and date_to exclusive', async () => {
    const { ids } = await page(`date_from=${encodeURIComponent(at(10))}&date_to=${encodeURIComponent(at(40))}`)
    expect(ids).toEqual(['BBB', 'CCC', 'DDD'])
  })

  it('serves the list with a trailing slash too, as the spec examples write it', async () => {
    const response = await ocpiFetch(`/ocpi/2.3.0/sender/hubclientinfo/?${range}`, { token })
    expect(response.headers.get('X-Total-Count')).toBe('5')
  })

  it('clamps limit to the server maximum and says so in X-Limit', async () => {
    const { response } = await page(`${range}&limit=100000`)
    expect(response.headers.get('X-Limit')).toBe('1000')
  })

  it.each([
    ['limit=abc', 'limit'],
    ['offset=-1', 'offset'],
    ['date_from=yesterday', 'date_from'],
    ['date_to=2020-13-45', 'date_to'],
    ['cursor=not-ours', 'cursor'],
  ])('refuses %s with 2001 and the parameter as path', async (query, path) => {
    const { response, body } = await page(query)
    expect(response.status).toBe(200)
    expect(body).toMatchObject({ status_code: 2001, data: { path } })
  })
})
