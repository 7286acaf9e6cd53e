import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakePeer } from './fake-peer'
import { a, unique } from './harness'

// x-feeds between a real platform and an aggregator (B1.3, B1.4, B2.3): a hosts a CPO, the aggregator (agreed to
// x-feeds) downloads the locations feed once and continues with a date_from delta pull from the feed's last_updated.

/** A download as it travels: node's fetch() would decode Content-Encoding, hiding the gzip the platform sends. */
function rawGet(url: string, token: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { headers: { Authorization: `Token ${Buffer.from(token).toString('base64')}`, 'Accept-Encoding': 'gzip' } }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }))
      response.on('error', reject)
    })
    outgoing.on('error', reject)
    outgoing.end()
  })
}

async function gunzip(bytes: Buffer): Promise<string> {
  return new Response(new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new DecompressionStream('gzip'))).text()
}

describe.each(['2.3.0', '2.2.1'] as const)('an aggregator syncs a CPO of platform a by feed and delta over %s', (version) => {
  const cpo = { country_code: 'NL', party_id: unique('').slice(0, 3) }
  const fake = new FakePeer({ versions: [version], role: { role: 'NAP', country_code: 'NL', party_id: unique('').slice(0, 3) } })
  let token: string
  const headers = () => ({ 'OCPI-to-country-code': cpo.country_code, 'OCPI-to-party-id': cpo.party_id })
  const location = (id: string, last_updated: string) => ({
    id, publish: true, address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, time_zone: 'Europe/Amsterdam', last_updated,
    evses: [{ uid: `${id}-E1`, status: 'AVAILABLE', last_updated, connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, last_updated }] }],
  })
  const putLocation = (id: string, last_updated: string) => a.admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/${id}`, { country_code: cpo.country_code, party_id: cpo.party_id, ...location(id, last_updated) })

  beforeAll(async () => {
    await fake.start()
    await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'Feed CPO' } })
    for (let index = 0; index < 25; index++) await putLocation(`F${index}`, `2026-03-01T10:${String(index).padStart(2, '0')}:00Z`)
    const invite = await a.admin('POST', '/peers/invite', { name: `aggregator ${version}`, extensions: ['x-feeds'] })
    const registered = await a.ocpi('POST', `/ocpi/${version}/credentials`, { token: invite.token_a, body: fake.credentials(fake.issueToken()) })
    expect(registered.body.status_code).toBe(1000)
    token = registered.body.data.token
  }, 60_000)
  afterAll(() => fake.stop())

  it('downloads the feed, then pulls only what changed since', async () => {
    const details = await a.ocpi('GET', `/ocpi/${version}/details`, { token })
    const feedsEndpoint = details.body.data.endpoints.find((endpoint: { identifier: string }) => endpoint.identifier === 'x-feeds')
    expect(feedsEndpoint).toMatchObject({ role: 'SENDER' })

    // The build runs as a background job: started here, DONE on its own (one chunk per alarm).
    const started = await a.admin('POST', '/feeds/build')
    const build = started.feeds.find((outcome: { party_id: string; version: string; module: string }) => outcome.party_id === cpo.party_id && outcome.version === version && outcome.module === 'locations')
    expect(build).toMatchObject({ status: 'started' })
    await expect.poll(async () => (await a.admin('GET', build.status_url.replace('/admin/v1', ''))).status, { timeout: 20_000 }).toBe('DONE')
    expect((await a.admin('GET', build.status_url.replace('/admin/v1', ''))).progress).toMatchObject({ objects: 25 })

    const list = await a.ocpi('GET', feedsEndpoint.url, { token })
    expect(list.body.status_code).toBe(1000)
    const feed = list.body.data.find((candidate: { party_id: string; module: string }) => candidate.party_id === cpo.party_id && candidate.module === 'locations')
    expect(feed).toMatchObject({ version, object_count: 25, last_updated: '2026-03-01T10:24:00.000Z', content_encoding: 'gzip' })

    const download = await rawGet(feed.url, token)
    expect(download.status).toBe(200)
    expect(download.headers['content-encoding']).toBe('gzip')
    expect(download.headers['content-type']).toBe('application/x-ndjson')
    expect(download.headers.etag).toBe(`"${feed.sha256}"`)
    const ndjson = await gunzip(download.body)
    const mirror = new Map<string, { id: string; last_updated: string }>()
    for (const line of ndjson.split('\n').filter(Boolean)) {
      const object = JSON.parse(line)
      mirror.set(object.id, object)
    }
    expect(mirror.size).toBe(25)

    const unchanged = await a.ocpi('GET', feed.url, { token, headers: { 'If-None-Match': download.headers.etag as string } })
    expect(unchanged.status).toBe(304)

    // The CPO changes after the snapshot; the aggregator asks only for what changed since the feed's last_updated.
    await putLocation('F3', '2026-03-02T08:00:00Z')
    await putLocation('NEW', '2026-03-02T09:00:00Z')
    const delta = await a.ocpi('GET', `/ocpi/${version}/sender/locations?date_from=${encodeURIComponent(feed.last_updated)}`, { token, headers: headers() })
    expect(delta.body.status_code).toBe(1000)
    expect(delta.body.data.map((object: { id: string }) => object.id)).toEqual(['F24', 'F3', 'NEW'])
    for (const object of delta.body.data) mirror.set(object.id, object)

    const full = await a.ocpi('GET', `/ocpi/${version}/sender/locations`, { token, headers: headers() })
    expect(full.body.data).toHaveLength(26)
    expect(new Map(full.body.data.map((object: { id: string }) => [object.id, object]))).toEqual(mirror)
  })
})
