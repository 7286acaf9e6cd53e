import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { locationSyncJob, planLocationSync, type LocationSyncState } from '../../src/modules/locations/sync'
import { tokenSyncJob, planTokenSync, type TokenSyncState } from '../../src/modules/tokens/sync'
import { nextPageAfter } from '../../src/peers/paged-pull'
import { sampleLocation, uniqueParty, hostCpo } from '../modules/locations/fixtures'
import { db, registeredPeer } from '../ocpi/fixtures'
import { fakePeer } from '../push/fixtures'

// Every pull follows Link rel="next" only on its endpoint's origin and path, never a page twice, and never past the cap.

const page = (data: unknown[], link?: string) =>
  Response.json({ data, status_code: 1000, timestamp: new Date().toISOString() }, { headers: link ? { Link: link } : {} })

async function runJob<S>(job: { step: (env: never, state: S) => Promise<{ state: S; done: boolean }> }, state: S, maxSteps = 50) {
  for (let step = 0; step < maxSteps; step++) {
    const result = await job.step(env as never, state)
    state = result.state
    if (result.done) return { state, steps: step + 1 }
  }
  return { state, steps: maxSteps }
}

describe('locations sync', () => {
  const sender = 'https://pull.example.com/ocpi/2.3.0/sender/locations'
  async function cpoPeer() {
    const cpo = uniqueParty('NL')
    const peer = await registeredPeer({ roles: [{ role: 'CPO', ...cpo, business_details: { name: 'CPO' } }], fields: { endpoints: [{ identifier: 'locations', role: 'SENDER', url: sender }] } })
    return { cpo, peer }
  }

  it('stops on a Link that points to the page itself instead of fetching it 10,000 times', async () => {
    const { cpo, peer } = await cpoPeer()
    const fake = fakePeer((request) => page([sampleLocation(cpo, 'S1')], `<${request.url}>; rel="next"`))
    try {
      const { state, steps } = await runJob<LocationSyncState>(locationSyncJob, await planLocationSync(db(), peer.id))
      expect(steps).toBe(1)
      expect(fake.received).toHaveLength(1)
      expect(state.stopped_by).toMatch(/repeats/)
    } finally {
      fake.restore()
    }
  })

  it('stops on a cycle of two pages', async () => {
    const { cpo, peer } = await cpoPeer()
    const fake = fakePeer((request) => page([sampleLocation(cpo, 'C1')], `<${sender}?offset=${new URL(request.url).searchParams.get('offset') === '1' ? 0 : 1}>; rel="next"`))
    try {
      const { state } = await runJob<LocationSyncState>(locationSyncJob, await planLocationSync(db(), peer.id))
      expect(fake.received.length).toBeLessThanOrEqual(3)
      expect(state.stopped_by).toMatch(/repeats/)
    } finally {
      fake.restore()
    }
  })

  it.each([
    ['another origin', 'https://collector.example.net/ocpi/2.3.0/sender/locations?offset=1'],
    ['a look-alike host', 'https://pull.example.com.evil.test/ocpi/2.3.0/sender/locations?offset=1'],
    ['another path on the same origin', 'https://pull.example.com/admin/v1/peers'],
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/'],
  ])('never sends the token to %s', async (_, target) => {
    const { cpo, peer } = await cpoPeer()
    const fake = fakePeer(() => page([sampleLocation(cpo, 'O1')], `<${target}>; rel="next"`))
    try {
      const { state } = await runJob<LocationSyncState>(locationSyncJob, await planLocationSync(db(), peer.id))
      expect(fake.received.map((request) => request.url)).toEqual([sender])
      expect(state).toMatchObject({ stored: 1, stopped_by: expect.stringMatching(/leaves the endpoint/) })
    } finally {
      fake.restore()
    }
  })

  it('follows a relative Link on the endpoint, with any parameter order and rel list', async () => {
    const { cpo, peer } = await cpoPeer()
    const fake = fakePeer((request) =>
      new URL(request.url).searchParams.get('offset') === '1'
        ? page([sampleLocation(cpo, 'R2')])
        : page([sampleLocation(cpo, 'R1')], '<https://other.example/x>; rel="prev", <?offset=1>; title="n"; rel="last next"'))
    try {
      const { state } = await runJob<LocationSyncState>(locationSyncJob, await planLocationSync(db(), peer.id))
      expect(fake.received.map((request) => request.url)).toEqual([sender, `${sender}?offset=1`])
      expect(state).toMatchObject({ pages: 2, stored: 2 })
      expect(state.stopped_by).toBeUndefined()
    } finally {
      fake.restore()
    }
  })
})

describe('tokens sync', () => {
  it('never sends the token to another origin, and stops on a self-referencing Link', async () => {
    const emsp = uniqueParty('DE')
    await hostCpo(uniqueParty('NL'))
    const sender = 'https://tokens.example.com/ocpi/2.3.0/sender/tokens'
    const peer = await registeredPeer({ roles: [{ role: 'EMSP', ...emsp, business_details: { name: 'eMSP' } }], fields: { endpoints: [{ identifier: 'tokens', role: 'SENDER', url: sender }] } })
    for (const link of ['<https://collector.example.net/steal>; rel="next"', `<${sender}>; rel="next"`]) {
      const token = { country_code: emsp.country_code, party_id: emsp.party_id, uid: 'U1', type: 'RFID', contract_id: 'C1', issuer: 'X', valid: true, whitelist: 'ALLOWED', last_updated: '2026-01-01T00:00:00Z' }
      const fake = fakePeer(() => page([token], link))
      try {
        const { state } = await runJob<TokenSyncState>(tokenSyncJob, await planTokenSync(db(), peer.id))
        expect(fake.received.map((request) => new URL(request.url).origin)).toEqual(['https://tokens.example.com'])
        expect(state.parties[0]?.stopped_by).toBeTruthy()
      } finally {
        fake.restore()
      }
    }
  })
})

describe('nextPageAfter', () => {
  const url = 'https://peer.example/ocpi/sender/locations?limit=10'
  const headers = (link: string) => new Headers({ Link: link })
  it('ends at the page cap', () => {
    expect(nextPageAfter({ url, headers: headers('<?offset=10>; rel="next"'), received: 10, pages: 5 }, 5)).toMatchObject({ next_url: null, stopped_by: expect.stringMatching(/cap/) })
  })
  it('ends on an empty page whatever its Link says', () => {
    expect(nextPageAfter({ url, headers: headers('<?offset=10>; rel="next"'), received: 0, pages: 1 })).toEqual({ next_url: null, recent: [url] })
  })
})
