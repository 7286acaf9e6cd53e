import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { peers } from '../../src/db/schema'
import { acceptRegistration } from '../../src/peers/accept-registration'
import { discoverPeer } from '../../src/peers/discovery'
import { connectToPeer } from '../../src/peers/registration'
import { adminFetch, db } from '../ocpi/fixtures'

// The outbound URL policy at registration: a versions URL or endpoint URL we may not call is refused before anything
// is fetched from it or stored. The Worker vars of the tests allow private addresses, so `production` drops that.

const production = { ...env, ALLOW_PRIVATE_PEER_URLS: undefined } as typeof env
const PEER = 'https://peer.example.com/ocpi'
const envelope = (data: unknown) => Response.json({ data, status_code: 1000, timestamp: new Date().toISOString() })

function stubPeer(credentialsEndpoint: string, hubclientinfo = `${PEER}/2.3.0/hubclientinfo`) {
  const requests: string[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    requests.push(request.url)
    if (request.url === `${PEER}/versions`) return envelope([{ version: '2.3.0', url: `${PEER}/2.3.0` }])
    if (request.url === `${PEER}/2.3.0`) {
      return envelope({ version: '2.3.0', endpoints: [
        { identifier: 'credentials', role: 'SENDER', url: credentialsEndpoint },
        { identifier: 'hubclientinfo', role: 'RECEIVER', url: hubclientinfo },
      ] })
    }
    return envelope(null)
  })
  return requests
}

afterEach(() => vi.restoreAllMocks())

describe('versions URL', () => {
  it.each(['http://127.1:8787/ocpi/versions', 'http://0x7f.1/ocpi/versions', 'http://2130706433/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data/', 'http://localhost/'])(
    'connect refuses %s with 2001 naming the field, fetching nothing', async (versionsUrl) => {
      const requests = stubPeer(`${PEER}/2.3.0/credentials`)
      await expect(discoverPeer(production, versionsUrl, 'token-a')).rejects.toMatchObject({ status_code: 2001, detail: { path: 'url' } })
      expect(requests).toEqual([])
    })

  it('a credentials POST naming a private versions URL is refused with 2001 and stores nothing', async () => {
    const requests = stubPeer(`${PEER}/2.3.0/credentials`)
    const peerId = crypto.randomUUID()
    const now = Date.now()
    await db().insert(peers).values({ id: peerId, status: 'PENDING', initiated_by: 'them', created_at: now, updated_at: now })
    await adminFetch('/parties', { method: 'POST', body: { country_code: 'NL', party_id: 'URL', role: 'CPO', business_details: { name: 'CPO' } } })
    const theirs = { token: 'token-b', url: 'http://10.0.0.7/ocpi/versions', roles: [{ role: 'EMSP' as const, country_code: 'DE', party_id: 'SSR', business_details: { name: 'SSRF' } }] }
    const peer = { id: peerId, status: 'PENDING', tokenKind: 'A', roles: [] } as never
    await expect(acceptRegistration(production, db(), peer, '2.3.0', theirs)).rejects.toMatchObject({ status_code: 2001, detail: { path: 'url' } })
    expect(requests).toEqual([])
  })

  it('the management API answers a connect with a userinfo URL with HTTP 400 (refused even where private addresses are allowed)', async () => {
    const requests = stubPeer(`${PEER}/2.3.0/credentials`)
    const response = await adminFetch('/peers/connect', { method: 'POST', body: { versions_url: 'http://peer.example.com@127.0.0.1:8787/ocpi/versions', token_a: 'token-a' } })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 2001, message: expect.stringMatching(/user information/) } })
    expect(requests).toEqual([])
  })
})

describe('endpoint URLs', () => {
  it.each([
    ['credentials', 'http://169.254.169.254/latest/meta-data/', `${PEER}/2.3.0/hubclientinfo`],
    ['hubclientinfo', `${PEER}/2.3.0/credentials`, 'http://[::1]:8787/ocpi/2.3.0/receiver/locations'],
  ])('a %s endpoint at a private address is refused with 3001 before it is called or stored', async (_, credentials, hubclientinfo) => {
    await adminFetch('/parties', { method: 'POST', body: { country_code: 'NL', party_id: 'EPT', role: 'CPO', business_details: { name: 'CPO' } } })
    const requests = stubPeer(credentials, hubclientinfo)
    const before = (await db().select({ id: peers.id }).from(peers)).length
    await expect(connectToPeer(production, { versions_url: `${PEER}/versions`, token_a: 'token-a' })).rejects.toMatchObject({ status_code: 3001 })
    expect(requests).toEqual([`${PEER}/versions`, `${PEER}/2.3.0`])
    expect((await db().select({ id: peers.id }).from(peers)).length).toBe(before)
  })
})
