import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { d, unique } from './harness'
import { HostilePeer, Target } from './hostile-peer'
import { startPlatform, stopPlatform } from './platform-process'
import { PLATFORMS } from './platforms'

// A hostile peer against a real platform (docs/security.md): platform d runs with an outbound URL policy that allows
// exactly the two harness peers below (ALLOW_PRIVATE_PEER_URLS=host:port list) and, like production, nothing else on
// this machine. `secret` stands for the operator's internal service: whatever the peer tries, it must never be called.
// `collector` is an allowed peer address too, so a Link leading there is refused by the paging rule itself.

// E2E_PORT_BASE + 50..52: clear of every run's platform (base + 1..4) and inspector (base + 501..504) ports.
const hostilePort = PLATFORMS.a.port + 49
const collectorPort = PLATFORMS.a.port + 50
const secretPort = PLATFORMS.a.port + 51
const role = { country_code: 'NL', party_id: unique('').slice(0, 3), role: 'CPO' }
const hostile = new HostilePeer(hostilePort, role)
const collector = new Target(collectorPort)
const secret = new Target(secretPort)

function location(id: string) {
  const last_updated = new Date().toISOString()
  return {
    country_code: role.country_code, party_id: role.party_id, id, publish: true, address: 'Stationsplein 1', city: 'Utrecht', country: 'NLD',
    coordinates: { latitude: '52.08970', longitude: '5.11010' }, time_zone: 'Europe/Amsterdam', last_updated,
    evses: [{ uid: 'E1', status: 'AVAILABLE', last_updated, connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, last_updated }] }],
  }
}

beforeAll(async () => {
  await Promise.all([hostile.start(), collector.start(), secret.start()])
  await startPlatform('d', { fresh: true, vars: { ALLOW_PRIVATE_PEER_URLS: `127.0.0.1:${hostilePort},127.0.0.1:${collectorPort}` } })
  await d.admin('POST', '/parties', { country_code: 'DE', party_id: unique('').slice(0, 3), role: 'EMSP', business_details: { name: 'eMSP on d' } })
}, 180_000)

afterAll(async () => {
  await stopPlatform('d')
  await Promise.all([hostile.stop(), collector.stop(), secret.stop()])
}, 60_000)

describe('SSRF: URLs a peer hands us', () => {
  const spellings = [
    `http://127.1:${secretPort}/versions`, `http://0x7f.1:${secretPort}/versions`, `http://2130706433:${secretPort}/versions`,
    `http://017700000001:${secretPort}/versions`, `http://[::ffff:127.0.0.1]:${secretPort}/versions`, `http://[::1]:${secretPort}/versions`,
    `http://0.0.0.0:${secretPort}/versions`, `http://localhost:${secretPort}/versions`, `http://ocpi.localhost:${secretPort}/versions`,
    `http://127.0.0.1:${hostilePort}@127.0.0.1:${secretPort}/versions`, `http://hostile@127.0.0.1:${hostilePort}/versions`,
    'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/versions', 'http://100.64.0.1/versions',
  ]

  it('connect refuses every spelling of an internal versions URL with HTTP 400, calling none of them', async () => {
    for (const versions_url of spellings) {
      const result = await d.adminRaw('POST', '/peers/connect', { versions_url, token_a: 'token-a' })
      expect(result.status, versions_url).toBe(400)
      expect(result.body.error.code, versions_url).toBe(2001)
    }
    expect(secret.received).toEqual([])
    expect(hostile.received).toEqual([])
  })

  it('a peer registering with an internal versions URL gets 2001 naming url, and nothing is called', async () => {
    const invite = await d.admin('POST', '/peers/invite', { name: 'registers with an internal URL' })
    for (const url of spellings.slice(0, 6)) {
      const answer = await d.ocpi('POST', '/ocpi/2.3.0/credentials', { token: invite.token_a, body: { token: 'token-b', url, roles: [{ ...role, business_details: { name: 'x' } }] } })
      expect(answer.body, url).toMatchObject({ status_code: 2001, data: { path: 'url' } })
    }
    expect(secret.received).toEqual([])
    expect((await d.admin('GET', `/peers/${invite.peer_id}`)).status).toBe('PENDING')
  })

  it('a peer whose version details list an endpoint at an internal address is refused (3001) before it is stored or called', async () => {
    hostile.endpoints = (base) => [
      { identifier: 'credentials', role: 'SENDER', url: `${base}/2.3.0/credentials` },
      { identifier: 'locations', role: 'SENDER', url: `http://127.1:${secretPort}/ocpi/locations` },
    ]
    try {
      const before = (await d.admin<unknown[]>('GET', '/peers')).length
      const result = await d.adminRaw('POST', '/peers/connect', { versions_url: hostile.versionsUrl, token_a: 'token-a' })
      expect(result.status).toBe(502)
      expect(result.body.error).toMatchObject({ code: 3001, message: expect.stringMatching(/outbound URL policy/) })
      expect((await d.admin<unknown[]>('GET', '/peers')).length).toBe(before)
      expect(hostile.requestsTo('/2.3.0/credentials')).toEqual([])
      expect(secret.received).toEqual([])
    } finally {
      hostile.endpoints = undefined
    }
  })
})

describe('oversized answers and bodies', () => {
  it('reads no more than PEER_RESPONSE_MAX_BYTES of a 300 MB versions answer, and refuses it with 3001', async () => {
    hostile.hugeVersionsBytes = 300 * 1024 * 1024
    try {
      const started = Date.now()
      const result = await d.adminRaw('POST', '/peers/connect', { versions_url: hostile.versionsUrl, token_a: 'token-a' })
      expect(result.status).toBe(502)
      expect(result.body.error).toMatchObject({ code: 3001, message: expect.stringMatching(/larger than 4194304 bytes/) })
      expect(Date.now() - started).toBeLessThan(30_000)
      // What the kernel buffers aside, the platform hung up after its limit, far from 300 MB.
      await expect.poll(() => hostile.hugeBytesWritten < 32 * 1024 * 1024).toBe(true)
    } finally {
      hostile.hugeVersionsBytes = undefined
    }
  })

  it('answers an oversized management write with HTTP 413', async () => {
    const response = await fetch(`${d.url}/admin/v1/locations/${role.country_code}/${role.party_id}/BIG`, {
      method: 'PUT', headers: { Authorization: 'Bearer e2e-admin-token', 'Content-Type': 'application/json' }, body: 'x'.repeat(5 * 1024 * 1024),
    })
    expect(response.status).toBe(413)
  })
})

describe('paging: Link headers of a connected hostile peer', () => {
  let peerId: string
  beforeAll(async () => {
    peerId = (await d.admin('POST', '/peers/connect', { versions_url: hostile.versionsUrl, token_a: 'token-a' })).peer_id
  })
  afterAll(async () => {
    await d.adminRaw('DELETE', `/peers/${peerId}`)
  })

  it('stops at a Link to the page itself after one page, instead of looping', async () => {
    const before = hostile.requestsTo('/2.3.0/sender/locations').length
    hostile.locations = (request) => ({ data: [location('SELF1')], link: `<${hostile.base}/2.3.0/sender/locations${request.search}>; rel="next"` })
    const job = await d.jobDone(await d.admin('POST', `/locations/sync/${peerId}`))
    expect(job.progress).toMatchObject({ pages: 1, stored: 1, stopped_by: expect.stringMatching(/repeats/) })
    expect(hostile.requestsTo('/2.3.0/sender/locations').length - before).toBe(1)
  })

  it('never sends its token to a Link on another origin', async () => {
    hostile.locations = () => ({ data: [location('ORIGIN1')], link: `<${collector.base}/2.3.0/sender/locations?offset=1>; rel="next"` })
    const job = await d.jobDone(await d.admin('POST', `/locations/sync/${peerId}`))
    expect(job.progress).toMatchObject({ pages: 1, stored: 1, stopped_by: expect.stringMatching(/leaves the endpoint/) })
    expect(collector.received).toEqual([])
    expect(secret.received).toEqual([])
  })

  it('refuses a Link to an internal address the same way', async () => {
    hostile.locations = () => ({ data: [location('INT1')], link: `<http://127.1:${secretPort}/steal>; rel="next"` })
    const job = await d.jobDone(await d.admin('POST', `/locations/sync/${peerId}`))
    expect(job.progress).toMatchObject({ pages: 1, stopped_by: expect.stringMatching(/leaves the endpoint/) })
    expect(secret.received).toEqual([])
  })

  it('answers an oversized push from the peer with HTTP 413 and an OCPI envelope, storing nothing', async () => {
    const big = { ...location('BIG'), directions: Array.from({ length: 12_000 }, () => ({ language: 'en', text: 'x'.repeat(500) })) }
    const path = `/ocpi/2.3.0/receiver/locations/${role.country_code}/${role.party_id}/BIG`
    const answer = await d.ocpi('PUT', path, { token: hostile.platformToken, body: big })
    expect(answer.status).toBe(413)
    expect(answer.body).toMatchObject({ status_code: 2000, status_message: expect.stringMatching(/larger than/) })
    expect((await d.ocpi('GET', path, { token: hostile.platformToken })).status).toBe(404)
  })
})
