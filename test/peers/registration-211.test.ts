import { env } from 'cloudflare:workers'
import { like } from 'drizzle-orm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { peers } from '../../src/db/schema'
import { connectToPeer } from '../../src/peers/registration'
import { adminFetch, db, ocpiFetch, type OcpiBody } from '../ocpi/fixtures'
import { uniquePartyId } from '../party-ids'

// OCPI 2.1.1 registration both ways (credentials.md of 2.1.1; docs/ocpi-2.1.1.md): one party per side, no role in
// the Credentials object nor in the version details, the token as is in Authorization, no routing headers.

const PEER = 'https://peer-211.test/ocpi'
const envelope = (data: unknown, status_code = 1000, status = 200) => Response.json({ data, status_code, timestamp: new Date().toISOString() }, { status })

/** A 2.1.1-only CPO platform: versions, role-less details, and `credentials` for credentials requests. */
function stub211Peer(credentials: (request: Request, body: any) => Response) {
  const requests: { method: string; url: string; body: any; authorization: string | null; headers: Headers }[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    const text = await request.text()
    const body = text ? JSON.parse(text) : undefined
    requests.push({ method: request.method, url: request.url, body, authorization: request.headers.get('Authorization'), headers: request.headers })
    if (request.url === `${PEER}/versions`) return envelope([{ version: '2.1.1', url: `${PEER}/2.1.1` }])
    if (request.url === `${PEER}/2.1.1`) {
      return envelope({ version: '2.1.1', endpoints: [
        { identifier: 'credentials', url: `${PEER}/2.1.1/credentials` },
        { identifier: 'locations', url: `${PEER}/2.1.1/locations` },
        { identifier: 'tokens', url: `${PEER}/2.1.1/tokens` },
      ] })
    }
    return credentials(request, body)
  })
  return requests
}

const peerParty = () => ({ country_code: 'DE', party_id: uniquePartyId() })
const credentials211 = (token: string, party: { country_code: string; party_id: string }) => ({ token, url: `${PEER}/versions`, business_details: { name: 'A 2.1.1 CPO' }, ...party })

async function hostParty(role: 'CPO' | 'EMSP') {
  const party = { country_code: 'NL', party_id: uniquePartyId(), role, business_details: { name: `Party ${role}` } }
  await adminFetch('/parties', { method: 'POST', body: party })
  return party
}

afterEach(async () => {
  vi.restoreAllMocks()
  await db().update(peers).set({ status: 'SUSPENDED' }).where(like(peers.versions_url, `${PEER}%`))
})

describe('versions', () => {
  it('lists 2.1.1 after 2.3.0 and 2.2.1', async () => {
    const invite = await (await adminFetch('/peers/invite', { method: 'POST', body: {} })).json<{ token_a: string }>()
    const body = await (await ocpiFetch('/ocpi/versions', { token: invite.token_a })).json<OcpiBody>()
    expect((body.data as { version: string }[]).map((entry) => entry.version)).toEqual(['2.3.0', '2.2.1', '2.1.1'])
  })
})

describe('2.1.1 version details', () => {
  it('lists one URL per module, without a role: the interface of our side across from the invited peer', async () => {
    const emsp = await hostParty('EMSP')
    const cpo = peerParty()
    const invite = await (await adminFetch('/peers/invite', { method: 'POST', body: { grants: [{ ...cpo, role: 'CPO' }], party: emsp } })).json<{ token_a: string }>()
    const body = await (await ocpiFetch('/ocpi/2.1.1/details', { token: invite.token_a })).json<OcpiBody>()
    const details = body.data as { version: string; endpoints: Record<string, unknown>[] }
    expect(details.version).toBe('2.1.1')
    for (const endpoint of details.endpoints) expect(Object.keys(endpoint).sort()).toEqual(['identifier', 'url'])
    const byModule = Object.fromEntries(details.endpoints.map((endpoint) => [endpoint.identifier, endpoint.url]))
    // We are the eMSP of this connection: we receive locations and send tokens.
    expect(byModule.locations).toMatch(/\/ocpi\/2\.1\.1\/receiver\/locations$/)
    expect(byModule.tariffs).toMatch(/\/receiver\/tariffs$/)
    expect(byModule).not.toHaveProperty('hubclientinfo')
    expect(Object.keys(byModule).filter((identifier) => identifier.startsWith('x-'))).toEqual([])
  })
})

describe('a 2.1.1 peer registers with us', () => {
  it('takes its one party in the role the invite granted, answers in the 2.1.1 shape naming the invite\'s party, and fetches its endpoints with the token as is', async () => {
    const emsp = await hostParty('EMSP')
    const cpo = peerParty()
    const invite = await (await adminFetch('/peers/invite', { method: 'POST', body: { grants: [{ ...cpo, role: 'CPO' }], party: emsp } })).json<{ peer_id: string; token_a: string }>()
    const requests = stub211Peer(() => envelope(undefined, 2000, 404))
    const response = await ocpiFetch('/ocpi/2.1.1/credentials', { token: invite.token_a, method: 'POST', body: credentials211('their-token-b', cpo) })
    const body = await response.json<OcpiBody>()
    expect(body.status_code, JSON.stringify(body)).toBe(1000)
    expect(response.status).toBe(201)
    expect(body.data).toEqual({ token: expect.any(String), url: expect.stringMatching(/\/ocpi\/versions$/), business_details: { name: 'Party EMSP' }, party_id: emsp.party_id, country_code: emsp.country_code })
    expect(requests.find((request) => request.url === `${PEER}/2.1.1`)?.authorization).toBe('Token their-token-b')
    const peer = await (await adminFetch(`/peers/${invite.peer_id}`)).json<{ version: string; roles: unknown[]; endpoints: unknown[] }>()
    expect(peer).toMatchObject({ version: '2.1.1', roles: [{ role: 'CPO', ...cpo }] })
    // Its endpoints are stored as the interfaces a CPO implements.
    expect(peer.endpoints).toEqual(expect.arrayContaining([
      { identifier: 'locations', role: 'SENDER', url: `${PEER}/2.1.1/locations` },
      { identifier: 'tokens', role: 'RECEIVER', url: `${PEER}/2.1.1/tokens` },
    ]))
  })

  it('refuses a party the invite did not grant, with 2001 and nothing stored', async () => {
    const emsp = await hostParty('EMSP')
    const invite = await (await adminFetch('/peers/invite', { method: 'POST', body: { grants: [{ ...peerParty(), role: 'CPO' }], party: emsp } })).json<{ peer_id: string; token_a: string }>()
    stub211Peer(() => envelope(undefined, 2000, 404))
    const body = await (await ocpiFetch('/ocpi/2.1.1/credentials', { token: invite.token_a, method: 'POST', body: credentials211('their-token-b', peerParty()) })).json<OcpiBody>()
    expect(body).toMatchObject({ status_code: 2001, data: { path: 'roles.0' } })
    expect(await (await adminFetch(`/peers/${invite.peer_id}`)).json()).toMatchObject({ status: 'PENDING', roles: [] })
  })

  it('answers a 2.1.1 Credentials body without party_id with 2001 naming the field', async () => {
    const invite = await (await adminFetch('/peers/invite', { method: 'POST', body: {} })).json<{ token_a: string }>()
    const { party_id: _missing, ...withoutParty } = credentials211('their-token-b', peerParty())
    const body = await (await ocpiFetch('/ocpi/2.1.1/credentials', { token: invite.token_a, method: 'POST', body: withoutParty })).json<OcpiBody>()
    expect(body).toMatchObject({ status_code: 2001, data: { path: 'party_id' } })
  })
})

describe('we register with a 2.1.1 peer', () => {
  it('POSTs 2.1.1 credentials naming the chosen party, with the token as is and no routing headers, and stores its token C', async () => {
    const emsp = await hostParty('EMSP')
    const cpo = peerParty()
    const requests = stub211Peer((request) => envelope(credentials211(request.method === 'POST' ? 'token-c' : 'token-c2', cpo), 1000, 200))
    const peer = await connectToPeer(env, { versions_url: `${PEER}/versions`, token_a: 'token-a', grants: [{ ...cpo, role: 'CPO' }], party: emsp })
    expect(peer).toMatchObject({ status: 'CONNECTED', version: '2.1.1', outbound_token: 'token-c', roles: [{ role: 'CPO', ...cpo }] })
    const post = requests.find((request) => request.method === 'POST')!
    expect(post.body).toEqual({ token: expect.any(String), url: 'http://localhost:8787/ocpi/versions', business_details: { name: 'Party EMSP' }, party_id: emsp.party_id, country_code: emsp.country_code })
    expect(post.authorization).toBe('Token token-a')
    for (const request of requests) expect([...request.headers.keys()].filter((name) => name.startsWith('ocpi-'))).toEqual([])
  })

  it('unregisters with a DELETE carrying the token as is', async () => {
    const emsp = await hostParty('EMSP')
    const cpo = peerParty()
    const requests = stub211Peer((request) => envelope(request.method === 'DELETE' ? undefined : credentials211('token-c', cpo)))
    const peer = await connectToPeer(env, { versions_url: `${PEER}/versions`, token_a: 'token-a', grants: [{ ...cpo, role: 'CPO' }], party: emsp })
    expect((await adminFetch(`/peers/${peer.id}`, { method: 'DELETE' })).status).toBeLessThan(300)
    expect(requests.find((request) => request.method === 'DELETE')).toMatchObject({ url: `${PEER}/2.1.1/credentials`, authorization: 'Token token-c' })
  })
})
