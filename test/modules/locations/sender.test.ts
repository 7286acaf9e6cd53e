import { beforeAll, describe, expect, it } from 'vitest'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { envelopeTimestamp } from '../../../src/ocpi/envelope'
import { hostCpo, putOwn, sampleLocation, uniqueParty, type Party } from './fixtures'

const to = (party: Party) => ({ 'OCPI-to-country-code': party.country_code, 'OCPI-to-party-id': party.party_id })

describe('locations Sender interface', () => {
  const cpo = uniqueParty()
  let peer: { id: string; token: string }
  const list = (query = '', headers = to(cpo)) => ocpiFetch(`/ocpi/2.3.0/sender/locations${query}`, { token: peer.token, headers })

  beforeAll(async () => {
    await hostCpo(cpo)
    peer = await registeredPeer()
    await putOwn(sampleLocation(cpo, 'A', {}, '2026-01-01T10:00:00Z'))
    await putOwn(sampleLocation(cpo, 'B', {}, '2026-01-01T11:00:00Z'))
    await putOwn(sampleLocation(cpo, 'C', {}, '2026-01-01T12:00:00Z'))
    await putOwn(sampleLocation(cpo, 'HIDDEN', { publish: false }, '2026-01-01T12:30:00Z'))
  })

  it('lists published locations with paging headers', async () => {
    const response = await list()
    const body = await response.json<OcpiBody>()
    expect(body.status_code).toBe(1000)
    expect(body.data.map((location: any) => location.id)).toEqual(['A', 'B', 'C'])
    expect(response.headers.get('X-Total-Count')).toBe('3')
    expect(response.headers.get('X-Limit')).toBe('1000')
  })

  it('filters date_from inclusive and date_to exclusive', async () => {
    const body = await (await list('?date_from=2026-01-01T11:00:00Z&date_to=2026-01-01T12:00:00Z')).json<OcpiBody>()
    expect(body.data.map((location: any) => location.id)).toEqual(['B'])
  })

  it('follows Link with a keyset cursor and skips nothing when an object changes mid-sync', async () => {
    const first = await list('?limit=1')
    expect((await first.json<OcpiBody>()).data.map((location: any) => location.id)).toEqual(['A'])
    // A changes after the first page: with plain offsets B would slide to offset 0 and be skipped.
    expect((await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/A`, { method: 'PATCH', body: { name: 'Renamed' } })).status).toBe(200)
    const seen: string[] = ['A']
    let next = /<([^>]+)>/.exec(first.headers.get('Link') ?? '')?.[1]
    while (next) {
      const url = new URL(next)
      expect(url.searchParams.get('cursor')).toBeTruthy()
      const page = await ocpiFetch(url.pathname + url.search, { token: peer.token, headers: to(cpo) })
      seen.push(...(await page.json<OcpiBody>()).data.map((location: any) => location.id))
      next = /<([^>]+)>/.exec(page.headers.get('Link') ?? '')?.[1]
    }
    expect(seen.slice(0, 3)).toEqual(['A', 'B', 'C'])
  })

  it('serves single Location, EVSE and Connector objects', async () => {
    const location = await (await ocpiFetch('/ocpi/2.3.0/sender/locations/B', { token: peer.token, headers: to(cpo) })).json<OcpiBody>()
    expect(location.data).toMatchObject({ id: 'B', party_id: cpo.party_id })
    const evse = await (await ocpiFetch('/ocpi/2.3.0/sender/locations/B/B-E1', { token: peer.token, headers: to(cpo) })).json<OcpiBody>()
    expect(evse.data).toMatchObject({ uid: 'B-E1', status: 'AVAILABLE' })
    const connector = await (await ocpiFetch('/ocpi/2.2.1/sender/locations/B/b-e1/1', { token: peer.token, headers: to(cpo) })).json<OcpiBody>()
    expect(connector.data).toMatchObject({ id: '1', standard: 'IEC_62196_T2' })
  })

  it('answers 2003 with HTTP 404 for unknown objects and for objects the peer may not see', async () => {
    for (const path of ['NOPE', 'HIDDEN', 'B/NOPE', 'B/B-E1/9']) {
      const response = await ocpiFetch(`/ocpi/2.3.0/sender/locations/${path}`, { token: peer.token, headers: to(cpo) })
      expect(response.status, path).toBe(404)
      expect((await response.json<OcpiBody>()).status_code).toBe(2003)
    }
  })

  it('applies the sharing policy to lists and single GETs', async () => {
    const other = await registeredPeer({ roles: [{ role: 'NAP', country_code: 'NL', party_id: 'NAP', business_details: { name: 'NAP' } }] })
    // More ids than D1's 100 bound parameters per statement: the list is bound as one JSON array.
    const manyIds = Array.from({ length: 150 }, (_, index) => `OTHER${index}`)
    const policy = { default: 'all', peers: { [peer.id]: [...manyIds, 'B', 'HIDDEN'] }, roles: { NAP: 'none' } }
    // Stored at once: pulls see the new policy before its pushes (a background job) have run.
    expect((await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: policy })).status).toBe(202)

    const mine = await (await list()).json<OcpiBody>()
    expect(mine.data.map((location: any) => location.id).sort()).toEqual(['B', 'HIDDEN'])
    expect((await ocpiFetch('/ocpi/2.3.0/sender/locations/C', { token: peer.token, headers: to(cpo) })).status).toBe(404)
    expect((await ocpiFetch('/ocpi/2.3.0/sender/locations/HIDDEN', { token: peer.token, headers: to(cpo) })).status).toBe(200)

    const theirs = await (await ocpiFetch('/ocpi/2.3.0/sender/locations', { token: other.token, headers: to(cpo) })).json<OcpiBody>()
    expect(theirs.data).toEqual([])
    expect((await ocpiFetch('/ocpi/2.3.0/sender/locations/B', { token: other.token, headers: to(cpo) })).status).toBe(404)

    const stored = await (await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`)).json<any>()
    expect(stored).toMatchObject({ ...policy, version: 1 })
  })

  it('never serves a list page or total older than the last write or policy change', async () => {
    const cpoCached = uniqueParty()
    await hostCpo(cpoCached)
    await putOwn(sampleLocation(cpoCached, 'K1', { name: 'Before' }))
    const get = () => ocpiFetch('/ocpi/2.3.0/sender/locations?limit=10', { token: peer.token, headers: to(cpoCached) })
    // The workers test pool runs a no-op Cache API, so hits are shown end to end (test/e2e/locations.test.ts); this
    // checks that a write or a policy change is never hidden behind a cached page.
    const before = await get()
    expect((await before.json<OcpiBody>()).data[0].name).toBe('Before')
    expect(before.headers.get('X-Total-Count')).toBe('1')

    expect((await adminFetch(`/locations/${cpoCached.country_code}/${cpoCached.party_id}/K1`, { method: 'PATCH', body: { name: 'After' } })).status).toBe(200)
    const afterWrite = await get()
    expect((await afterWrite.json<OcpiBody>()).data[0].name).toBe('After')
    // The total is remembered per visibility and data version: a new location must show in it at once.
    await putOwn(sampleLocation(cpoCached, 'K2'))
    expect((await get()).headers.get('X-Total-Count')).toBe('2')

    await adminFetch(`/policies/${cpoCached.country_code}/${cpoCached.party_id}`, { method: 'PUT', body: { default: 'none' } })
    expect((await (await get()).json<OcpiBody>()).data).toEqual([])
  })

  it('serves a remembered page gzip-encoded to a peer that accepts gzip, with its own timestamp', async () => {
    const cpoGzip = uniqueParty()
    await hostCpo(cpoGzip)
    for (const id of ['G1', 'G2', 'G3']) await putOwn(sampleLocation(cpoGzip, id))
    const get = (encoding?: string) => ocpiFetch('/ocpi/2.3.0/sender/locations?limit=2', { token: peer.token, headers: { ...to(cpoGzip), ...(encoding ? { 'Accept-Encoding': encoding } : {}) } })
    const built = await get('gzip')
    expect(built.headers.get('X-Cache')).toBeNull()
    expect(built.headers.get('Content-Encoding')).toBeNull()
    expect(built.headers.get('Vary')).toBe('Accept-Encoding')
    const identity = await built.json<OcpiBody>()

    for (const encoding of ['gzip', 'br;q=1, gzip;q=0.5']) {
      const hit = await get(encoding)
      expect(hit.headers.get('X-Cache')).toBe('HIT')
      expect(hit.headers.get('Content-Encoding')).toBe('gzip')
      expect(hit.headers.get('Vary')).toBe('Accept-Encoding')
      expect(hit.headers.get('X-Total-Count')).toBe('3')
      expect(hit.headers.get('Link')).toBe(built.headers.get('Link'))
      // The runtime's fetch decodes the body, as a peer's HTTP client does; the bytes on the wire are checked
      // against Content-Length in test/e2e/locations.test.ts.
      const body = await hit.json<OcpiBody>()
      expect(body).toEqual({ ...identity, timestamp: body.timestamp })
      expect(Date.parse(body.timestamp)).toBeGreaterThanOrEqual(Date.parse(identity.timestamp))
    }
    for (const encoding of [undefined, 'gzip;q=0', 'identity']) {
      const hit = await get(encoding)
      expect(hit.headers.get('X-Cache')).toBe('HIT')
      expect(hit.headers.get('Content-Encoding')).toBeNull()
      expect((await hit.json<OcpiBody>()).data).toEqual(identity.data)
    }
  })

  it('sends every hit in a second the same stamped body, and a new stamp in the next second', async () => {
    const cpoStamped = uniqueParty()
    await hostCpo(cpoStamped)
    await putOwn(sampleLocation(cpoStamped, 'S1'))
    const get = async (encoding?: string) => {
      const before = Date.now()
      const response = await ocpiFetch('/ocpi/2.3.0/sender/locations', { token: peer.token, headers: { ...to(cpoStamped), ...(encoding ? { 'Accept-Encoding': encoding } : {}) } })
      return { before, after: Date.now(), cache: response.headers.get('X-Cache'), body: await response.json<OcpiBody>() }
    }
    const built = await get()
    for (const encoding of [undefined, 'gzip']) {
      const hits = [await get(encoding), await get(encoding)]
      for (const hit of hits) {
        expect(hit.cache).toBe('HIT')
        expect([envelopeTimestamp(hit.before), envelopeTimestamp(hit.after)]).toContain(hit.body.timestamp)
        expect(hit.body).toEqual({ ...built.body, timestamp: hit.body.timestamp })
      }
    }
    await scheduler.wait(1000)
    // The next second's hit (the first request may build the page again if a background write moved the data version).
    await get()
    const later = await get()
    expect(later.cache).toBe('HIT')
    expect(Date.parse(later.body.timestamp)).toBeGreaterThan(Date.parse(built.body.timestamp))
  })

  it('serves 2.2.1 peers without 2.3.0-only fields', async () => {
    const withParking = sampleLocation(cpo, 'P', { help_phone: '+31201234567', parking_places: [{ id: '1', vehicle_types: ['PERSONAL_VEHICLE'], restricted_to_type: false, reservation_required: false }] })
    await putOwn(withParking)
    const peer221 = await registeredPeer({ version: '2.2.1' })
    const body = await (await ocpiFetch('/ocpi/2.2.1/sender/locations/P', { token: peer221.token, headers: to(cpo) })).json<OcpiBody>()
    expect(body.data.id).toBe('P')
    expect(body.data).not.toHaveProperty('help_phone')
    expect(body.data).not.toHaveProperty('parking_places')
  })
})
