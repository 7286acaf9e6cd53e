import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import recorded from '../../bench/request-costs.json'
import { forgetLocalMemos } from '../../src/db/memo'
import { forgetHotPages } from '../../src/modules/locations/page-cache'
import { encodeAuthorization } from '../../src/ocpi/auth'
import { invalidatePushPeers } from '../../src/push/publish'
import started from '../fixtures/spec/2.3.0/examples/session_example_1_simple_start.json'
import { countedFetch, countingEnv, type RequestCost } from '../d1-query-counter'
import { hostCpo, putOwn, sampleLocation, uniqueParty } from '../modules/locations/fixtures'
import { fromHeaders, hostParty, rfidToken, roleOf, toHeaders, uniquePartyId, writeOwnToken } from '../modules/tokens/fixtures'
import { registeredPeer } from '../ocpi/fixtures'
import { fakePeer, insertPeer, purgeTestOutboxes } from '../push/fixtures'

// What each hot request path costs in D1 round trips and Durable Object calls, cold (the first request on an isolate:
// no memo) and warm (the same kind of request repeated within the memo staleness). The figures are the record the
// scale model reads (bench/request-costs.json, `npm run request-costs` rewrites it from this test's output); the
// zero-D1 targets are asserted on their own.

type Cost = { d1: number; do: number }
type PathCosts = { cold: Cost; warm: Cost }
const measured: Record<string, PathCosts> = {}

const STALENESS = { MEMO_STALENESS_MS: '60000' }
const counting = countingEnv(STALENESS)
const brief = (cost: RequestCost): Cost => ({ d1: cost.d1, do: cost.do })
const sum = (costs: RequestCost[]): Cost => ({ d1: costs.reduce((n, cost) => n + cost.d1, 0), do: costs.reduce((n, cost) => n + cost.do, 0) })

async function call(path: string, options: { token: string; method?: string; body?: unknown; headers?: Record<string, string> }) {
  const headers = new Headers(options.headers)
  headers.set('Authorization', encodeAuthorization(options.token))
  if (options.body !== undefined) headers.set('Content-Type', 'application/json')
  const result = await countedFetch(counting, path, { method: options.method ?? 'GET', headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) })
  expect(result.response.status, `${path}: ${result.body}`).toBeLessThan(300)
  return result
}

async function adminCall(path: string, method: string, body: unknown) {
  const result = await countedFetch(counting, `/admin/v1${path}`, {
    method, headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  })
  expect(result.response.status, `${path}: ${result.body}`).toBeLessThan(300)
  return result
}

/** A cold request: this isolate remembers nothing (as a fresh isolate would). */
const cold = <T>(request: () => Promise<T>) => {
  forgetLocalMemos()
  return request()
}

describe('D1 queries and Durable Object calls per request path', () => {
  const cpo = uniqueParty('NL')
  let emspPeer: { id: string; token: string }
  let restore: (() => void) | undefined

  beforeAll(async () => {
    await hostCpo(cpo)
    for (let index = 1; index <= 6; index++) await putOwn(sampleLocation(cpo, `Q${index}`, {}, `2026-01-01T10:00:0${index}Z`))
    emspPeer = await registeredPeer({ roles: [roleOf('EMSP', { country_code: 'DE', party_id: uniquePartyId() })] })
    restore = fakePeer().restore
  })
  afterAll(async () => {
    restore?.()
    await purgeTestOutboxes()
    console.log(`REQUEST-COSTS-JSON-BEGIN\n${JSON.stringify(measured, null, 2)}\nREQUEST-COSTS-JSON-END`)
  })

  it('versions: GET /ocpi/versions and the version details; warm, no D1 query', async () => {
    const both = async () => [await call('/ocpi/versions', { token: emspPeer.token }), await call('/ocpi/2.3.0/details', { token: emspPeer.token })]
    const first = await cold(both)
    const again = await both()
    measured.versions = { cold: sum(first.map((result) => result.cost)), warm: sum(again.map((result) => result.cost)) }
    expect(measured.versions.warm.d1).toBe(0)
  })

  it('locations_page_cache_hit: a page from memory or the Cache API; warm, no D1 query', async () => {
    const page = () => call('/ocpi/2.3.0/sender/locations?limit=3', { token: emspPeer.token })
    const built = await page()
    expect(built.response.headers.get('X-Cache')).toBeNull()
    const first = await cold(page)
    // A new isolate: its memory is empty, the data centre's Cache API holds the page another isolate built.
    forgetHotPages()
    const shared = await cold(page)
    const again = await page()
    const withoutTimestamp = (body: string) => body.replace(/"timestamp":"[^"]+"}$/, '')
    for (const hit of [first, shared, again]) {
      expect(hit.response.headers.get('X-Cache')).toBe('HIT')
      expect(withoutTimestamp(hit.body)).toBe(withoutTimestamp(built.body))
      // A remembered page carries the time it is sent (transport_and_format, "Response format").
      expect(Date.parse(JSON.parse(hit.body).timestamp)).toBeGreaterThanOrEqual(Date.parse(JSON.parse(built.body).timestamp))
      for (const name of ['X-Total-Count', 'X-Limit', 'Link']) expect(hit.response.headers.get(name)).toBe(built.response.headers.get(name))
    }
    measured.locations_page_cache_hit = { cold: brief(first.cost), warm: brief(again.cost) }
    expect(again.cost.d1).toBe(0)
    // Not even a read session: it and its query builder are made on the first query (src/db/session.ts).
    expect(again.cost.sessions).toBe(0)
    // Gzip-encoded for a peer that accepts it (page-cache.ts; its body is checked in the sender's tests): no D1 either.
    const gzipped = await call('/ocpi/2.3.0/sender/locations?limit=3', { token: emspPeer.token, headers: { 'Accept-Encoding': 'gzip' } })
    expect(gzipped.response.headers.get('Content-Encoding')).toBe('gzip')
    expect(gzipped.cost).toMatchObject({ d1: 0, sessions: 0 })
  })

  it('locations_page_from_d1: a page not cached; warm, its rows only (the total is remembered)', async () => {
    const first = await cold(() => call('/ocpi/2.3.0/sender/locations?limit=2', { token: emspPeer.token }))
    const again = await call('/ocpi/2.3.0/sender/locations?limit=2&offset=2', { token: emspPeer.token })
    for (const page of [first, again]) expect(page.response.headers.get('X-Cache')).toBeNull()
    expect(again.response.headers.get('X-Total-Count')).toBe('6')
    expect(again.cost.statements.some((sql) => /count\(/i.test(sql))).toBe(false)
    measured.locations_page_from_d1 = { cold: brief(first.cost), warm: brief(again.cost) }
    expect(again.cost.d1).toBe(1)
  })

  it('location_get: a repeated single-object GET; warm, no D1 query', async () => {
    const get = () => call('/ocpi/2.3.0/sender/locations/Q1', { token: emspPeer.token })
    const first = await cold(get)
    const again = await get()
    expect(JSON.parse(again.body).data).toMatchObject({ id: 'Q1' })
    measured.location_get = { cold: brief(first.cost), warm: brief(again.cost) }
    expect(again.cost.d1).toBe(0)
  })

  describe('tokens', () => {
    let emsp: { country_code: string; party_id: string }
    const cpoParty = { country_code: 'NL', party_id: uniquePartyId() }
    let cpoPeer: { id: string; token: string }
    const headers = () => ({ ...toHeaders(emsp), ...fromHeaders(cpoParty) })

    beforeAll(async () => {
      emsp = await hostParty('EMSP')
      for (let index = 1; index <= 5; index++) await writeOwnToken(rfidToken(emsp, `QC${index}`, { last_updated: `2026-02-01T10:00:0${index}Z` }))
      cpoPeer = await registeredPeer({ roles: [roleOf('CPO', cpoParty)] })
    })

    it('tokens_page: the second page of a sync makes no COUNT query and starts with a keyset seek', async () => {
      const first = await cold(() => call('/ocpi/2.3.0/sender/tokens?limit=2', { token: cpoPeer.token, headers: headers() }))
      const second = await call('/ocpi/2.3.0/sender/tokens?limit=2&offset=2', { token: cpoPeer.token, headers: headers() })
      expect(first.cost.statements.some((sql) => /count\(/i.test(sql))).toBe(true)
      expect(second.cost.statements.some((sql) => /count\(/i.test(sql))).toBe(false)
      expect(second.response.headers.get('X-Total-Count')).toBe('5')
      expect(JSON.parse(second.body).data.map((token: { uid: string }) => token.uid)).toEqual(['QC3', 'QC4'])
      measured.tokens_page = { cold: brief(first.cost), warm: brief(second.cost) }
    })

    it('authorize: a real-time authorization', async () => {
      const authorize = () => call('/ocpi/2.3.0/sender/tokens/QC1/authorize', { token: cpoPeer.token, method: 'POST', headers: headers() })
      const first = await cold(authorize)
      const again = await authorize()
      expect(JSON.parse(again.body).data).toMatchObject({ allowed: 'ALLOWED' })
      measured.authorize = { cold: brief(first.cost), warm: brief(again.cost) }
    })

    it('session_put_received: a CPO pushes a session to the hosted eMSP', async () => {
      const session = (id: string) => ({ ...started, ...cpoParty, id, cdr_token: { ...started.cdr_token, ...emsp, uid: `UID-${id}` } })
      const put = (id: string) => call(`/ocpi/2.3.0/receiver/sessions/${cpoParty.country_code}/${cpoParty.party_id}/${id}`, { token: cpoPeer.token, method: 'PUT', body: session(id) })
      const first = await cold(() => put('QS1'))
      const again = await put('QS2')
      measured.session_put_received = { cold: brief(first.cost), warm: brief(again.cost) }
    })
  })

  it('location_patch_pushed: a management PATCH of an EVSE, queued for a peer that receives locations', async () => {
    await insertPeer({ baseUrl: 'https://emsp.example.com/ocpi/2.3.0' })
    invalidatePushPeers()
    const patch = (status: string) => adminCall(`/locations/${cpo.country_code}/${cpo.party_id}/Q2/Q2-E1`, 'PATCH', { status })
    const first = await cold(() => patch('CHARGING'))
    const again = await patch('AVAILABLE')
    expect(first.cost.doCalls.some((call) => call.startsWith('PEER_OUTBOX.'))).toBe(true)
    measured.location_patch_pushed = { cold: brief(first.cost), warm: brief(again.cost) }
  })

  it('command_start: START_SESSION from an eMSP peer to the hosted CPO', async () => {
    const emsp = { country_code: 'DE', party_id: uniquePartyId() }
    const peer = await registeredPeer({
      roles: [roleOf('EMSP', emsp)],
      fields: { endpoints: [{ identifier: 'commands', role: 'SENDER', url: 'https://emsp.example/ocpi/2.3.0/sender/commands' }] },
    })
    const start = (uid: string) => call('/ocpi/2.3.0/receiver/commands/START_SESSION', {
      token: peer.token, method: 'POST', headers: { ...toHeaders(cpo), ...fromHeaders(emsp) },
      body: { response_url: `https://emsp.example/ocpi/2.3.0/sender/commands/START_SESSION/${uid}`, token: rfidToken(emsp, uid), location_id: 'Q3', evse_uid: 'Q3-E1' },
    })
    const first = await cold(() => start('QU1'))
    const again = await start('QU2')
    expect(JSON.parse(first.body).data).toMatchObject({ result: 'ACCEPTED' })
    expect(first.cost.doCalls.some((call) => call.startsWith('COMMAND_TRACKER.'))).toBe(true)
    measured.command_start = { cold: brief(first.cost), warm: brief(again.cost) }
  })

  it('the figures equal the record in bench/request-costs.json (rewrite it with `npm run request-costs`)', () => {
    expect(measured, `new figures:\n${JSON.stringify(measured, null, 2)}`).toEqual(recorded)
  })
})
