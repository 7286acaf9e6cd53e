import { env } from 'cloudflare:workers'
import { eq, like } from 'drizzle-orm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { credentialsTokens, peers } from '../../src/db/schema'
import { hashToken } from '../../src/ocpi/auth'
import { connectToPeer, recheckOfflinePeers, refreshPeer, rotateStaleCredentials } from '../../src/peers/registration'
import { adminFetch, db, ocpiFetch, registeredPeer, type OcpiBody } from '../ocpi/fixtures'
import { present } from '../present'
import { uniquePartyId } from '../party-ids'

const PEER = 'https://peer.test/ocpi'
const envelope = (data: unknown, status_code = 1000, status = 200) => Response.json({ data, status_code, timestamp: new Date().toISOString() }, { status })

/** Stands in for a peer platform offering 2.3.0, answering credentials requests with `credentials`. */
function stubPeer(credentials: (request: Request, body: any) => Response) {
  const requests: { method: string; url: string; body: any }[] = []
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    const text = await request.text()
    const body = text ? JSON.parse(text) : undefined
    requests.push({ method: request.method, url: request.url, body })
    if (request.url === `${PEER}/versions`) return envelope([{ version: '2.3.0', url: `${PEER}/2.3.0` }])
    if (request.url === `${PEER}/2.3.0`) {
      return envelope({ version: '2.3.0', endpoints: [
        { identifier: 'credentials', role: 'SENDER', url: `${PEER}/2.3.0/credentials` },
        { identifier: 'hubclientinfo', role: 'RECEIVER', url: `${PEER}/2.3.0/hubclientinfo` },
      ] })
    }
    return credentials(request, body)
  })
  return requests
}
const peerCredentials = (token: string) => ({ token, url: `${PEER}/versions`, roles: [{ role: 'EMSP', country_code: 'DE', party_id: 'PEE', business_details: { name: 'Peer' } }] })

async function hostParty(role = 'CPO') {
  const party = { country_code: 'NL', party_id: uniquePartyId(), role, business_details: { name: `Party ${role}` } }
  await adminFetch('/parties', { method: 'POST', body: party })
  return party
}

// Peers a test connected would otherwise be sent real credentials PUTs when a later test hosts a party (B8.2).
afterEach(async () => {
  vi.restoreAllMocks()
  await db().update(peers).set({ status: 'SUSPENDED' }).where(like(peers.versions_url, `${PEER}%`))
})

describe('connectToPeer', () => {
  it('stores nothing when the peer refuses our POST', async () => {
    await hostParty()
    stubPeer(() => envelope(undefined, 3001))
    const before = await db().select({ id: peers.id }).from(peers)
    await expect(connectToPeer(env, { versions_url: `${PEER}/versions`, token_a: 'token-a' })).rejects.toMatchObject({ status_code: 3001 })
    expect(await db().select({ id: peers.id }).from(peers)).toEqual(before)
  })

  it('stores the token C the peer returns and sends it on the next call', async () => {
    await hostParty()
    const requests = stubPeer((request) => envelope(peerCredentials(request.method === 'POST' ? 'token-c' : 'token-c2'), 1000, request.method === 'POST' ? 201 : 200))
    const peer = await connectToPeer(env, { versions_url: `${PEER}/versions`, token_a: 'token-a' })
    expect(peer).toMatchObject({ status: 'CONNECTED', version: '2.3.0', outbound_token: 'token-c', initiated_by: 'us' })
    expect(requests.find((request) => request.method === 'POST')!.body).toMatchObject({ url: 'http://localhost:8787/ocpi/versions', roles: expect.any(Array) })
  })
})

describe('credentials POST', () => {
  it('lets only one of two concurrent POSTs with the same token A register; the other gets 405', async () => {
    await hostParty()
    stubPeer(() => envelope(undefined, 2000, 404))
    const invite = await (await adminFetch('/peers/invite', { method: 'POST', body: {} })).json<{ peer_id: string; token_a: string }>()
    const post = (token: string) => ocpiFetch('/ocpi/2.3.0/credentials', { token: invite.token_a, method: 'POST', body: peerCredentials(token) })
    const responses = await Promise.all([post('first'), post('second')])
    expect(responses.map((response) => response.status).sort()).toEqual([201, 405])
    const winner = await responses.find((response) => response.status === 201)!.json<OcpiBody>()
    const peer = present((await db().select().from(peers).where(eq(peers.id, invite.peer_id)))[0], 'the peer')
    const tokens = await db().select().from(credentialsTokens).where(eq(credentialsTokens.peer_id, invite.peer_id))
    expect(tokens).toEqual([expect.objectContaining({ kind: 'C', token_hash: await hashToken(winner.data.token) })])
    expect(peer.status).toBe('CONNECTED')
    expect(['first', 'second']).toContain(peer.outbound_token)
  })
})

describe('credentials GET', () => {
  it('returns the token presented, and hub_party_id in 2.3.0 only when a HUB party is hosted', async () => {
    const hub = await hostParty('HUB')
    const { token } = await registeredPeer()
    const v230 = await (await ocpiFetch('/ocpi/2.3.0/credentials', { token })).json<OcpiBody>()
    expect(v230.data).toMatchObject({ token, url: 'http://localhost:8787/ocpi/versions' })
    expect(v230.data.hub_party_id).toMatch(/^[A-Z]{2}[A-Z0-9]{3}$/)
    expect(v230.data.roles).toContainEqual(expect.objectContaining({ role: 'HUB', party_id: hub.party_id }))
    const v221 = await (await ocpiFetch('/ocpi/2.2.1/credentials', { token })).json<OcpiBody>()
    expect(v221.data).not.toHaveProperty('hub_party_id')
  })
})

describe('cron credentials renewal', () => {
  it('rotates credentials older than CREDENTIALS_MAX_AGE_DAYS, keeps the old token for the grace period, purges expired tokens', async () => {
    const longAgo = Date.now() - 60 * 24 * 3600 * 1000
    const { id, token } = await registeredPeer({
      fields: { versions_url: `${PEER}/versions`, endpoints: [{ identifier: 'credentials', role: 'SENDER', url: `${PEER}/2.3.0/credentials` }], credentials_rotated_at: longAgo },
    })
    await db().insert(credentialsTokens).values({ token_hash: await hashToken(`expired-${id}`), peer_id: id, kind: 'C', created_at: longAgo, expires_at: longAgo + 1000 })
    const requests = stubPeer(() => envelope(peerCredentials(`renewed-${id}`)))
    await rotateStaleCredentials(env)

    const put = requests.find((request) => request.method === 'PUT')!
    expect(put.url).toBe(`${PEER}/2.3.0/credentials`)
    const peer = present((await db().select().from(peers).where(eq(peers.id, id)))[0], 'the peer')
    expect(peer.outbound_token).toBe(`renewed-${id}`)
    expect(peer.credentials_rotated_at).toBeGreaterThan(longAgo)
    const tokens = await db().select().from(credentialsTokens).where(eq(credentialsTokens.peer_id, id))
    expect(tokens).toHaveLength(2)
    const old = tokens.find((row) => row.expires_at !== null)!
    expect(old.token_hash).toBe(await hashToken(token))
    expect(old.expires_at! - Date.now()).toBeGreaterThan(3500 * 1000)
    vi.restoreAllMocks()
    expect((await ocpiFetch('/ocpi/versions', { token })).status).toBe(200)
    expect((await ocpiFetch('/ocpi/versions', { token: put.body.token })).status).toBe(200)
  })
})

describe('cron credentials renewal between two platforms', () => {
  it('leaves the renewal to the side that initiated the registration, renewing itself only a day late', async () => {
    const maxAge = 30 * 24 * 3600 * 1000
    const endpoints = [{ identifier: 'credentials', role: 'SENDER' as const, url: `${PEER}/2.3.0/credentials` }]
    const justStale = await registeredPeer({ fields: { versions_url: `${PEER}/versions`, endpoints, initiated_by: 'them', credentials_rotated_at: Date.now() - maxAge - 3600_000 } })
    const initiated = await registeredPeer({ fields: { versions_url: `${PEER}/versions`, endpoints, initiated_by: 'us', credentials_rotated_at: Date.now() - maxAge - 3600_000 } })
    const requests = stubPeer(() => envelope(peerCredentials('renewed')))
    await rotateStaleCredentials(env)
    const renewed = await db().select({ id: peers.id, token: peers.outbound_token }).from(peers).where(like(peers.versions_url, `${PEER}%`))
    expect(renewed).toContainEqual({ id: initiated.id, token: 'renewed' })
    expect(renewed).toContainEqual({ id: justStale.id, token: 'token-we-present' })
    expect(requests.filter((request) => request.method === 'PUT')).toHaveLength(1)
  })
})

describe('refresh (B8.3)', () => {
  it('marks an unreachable peer OFFLINE, and the cron recheck brings it back CONNECTED with its new endpoints', async () => {
    const { id } = await registeredPeer({
      fields: { versions_url: `${PEER}/versions`, endpoints: [{ identifier: 'credentials', role: 'SENDER', url: `${PEER}/2.3.0/credentials` }] },
    })
    vi.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('connection refused'))
    await expect(refreshPeer(env, id)).rejects.toMatchObject({ status_code: 3001 })
    let [peer] = await db().select().from(peers).where(eq(peers.id, id))
    expect(peer).toMatchObject({ status: 'OFFLINE', last_error: expect.stringContaining('connection refused') })
    vi.restoreAllMocks()

    stubPeer(() => envelope(undefined, 2000, 404))
    await recheckOfflinePeers(env)
    ;[peer] = await db().select().from(peers).where(eq(peers.id, id))
    expect(peer).toMatchObject({ status: 'CONNECTED', last_error: null })
    expect(peer?.endpoints.map((endpoint) => endpoint.identifier)).toEqual(['credentials', 'hubclientinfo'])
  })
})
