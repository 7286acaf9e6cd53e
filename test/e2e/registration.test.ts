import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FakePeer } from './fake-peer'
import { a, b, grantsOf, unique, type Platform } from './harness'

// Registration between two real platforms in both directions, and, against a scripted peer that shows the tokens
// exchanged, every credentials rule (credentials.asciidoc, transport_and_format "Authorization header").

async function hostParty(platform: Platform, role: 'CPO' | 'EMSP') {
  const party = { country_code: 'NL', party_id: unique('').slice(0, 3), role, business_details: { name: `${platform.name} ${role}` } }
  await platform.admin('POST', '/parties', party)
  return { role, country_code: party.country_code, party_id: party.party_id }
}

const peerIds = async (platform: Platform) => (await platform.admin<{ peer_id: string }[]>('GET', '/peers')).map((peer) => peer.peer_id)

// A fresh scripted peer per test: background credentials PUTs (B8.2) to peers of earlier tests never reach this one.
let fake: FakePeer
beforeEach(async () => {
  fake = await new FakePeer().start()
})
afterEach(() => fake.stop())

describe.each(['2.2.1', '2.3.0'] as const)('registration over %s', (version) => {
  let partyA: Awaited<ReturnType<typeof hostParty>>
  let partyB: Awaited<ReturnType<typeof hostParty>>
  beforeAll(async () => {
    partyA = await hostParty(a, 'CPO')
    partyB = await hostParty(b, 'EMSP')
  })

  /** The fake registers with `a` (a invited it); returns the token C `a` issued and the peer id on `a`. */
  async function fakeRegistersWithA() {
    const invite = await a.admin('POST', '/peers/invite', { name: 'fake' })
    const fakeToken = fake.issueToken()
    const response = await a.ocpi('POST', `/ocpi/${version}/credentials`, { token: invite.token_a, body: fake.credentials(fakeToken) })
    expect(response.status).toBe(201)
    expect(response.body.status_code).toBe(1000)
    return { peerId: invite.peer_id as string, tokenA: invite.token_a as string, tokenC: response.body.data.token as string, response }
  }

  it('a invites, b connects: both sides CONNECTED with the version, roles and endpoints; new parties reach the peer (B8.2)', async () => {
    const invite = await a.admin('POST', '/peers/invite', { name: 'platform b', grants: await grantsOf(b) })
    expect(invite.versions_url).toBe(a.versionsUrl)
    const connected = await b.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version, grants: await grantsOf(a) })
    expect(connected).toMatchObject({ version, status: 'CONNECTED' })
    expect(connected.roles).toContainEqual(expect.objectContaining(partyA))

    const onA = await a.admin('GET', `/peers/${invite.peer_id}`)
    expect(onA).toMatchObject({ status: 'CONNECTED', version, initiated_by: 'them', versions_url: b.versionsUrl })
    expect(onA.roles).toContainEqual(expect.objectContaining(partyB))
    expect(onA.endpoints).toContainEqual({ identifier: 'credentials', role: 'SENDER', url: `${b.url}/ocpi/${version}/credentials` })
    // b hosts no HUB party: it offers the hubclientinfo Receiver, and no Sender listing its connections (docs/security.md).
    expect(onA.endpoints).toContainEqual({ identifier: 'hubclientinfo', role: 'RECEIVER', url: `${b.url}/ocpi/${version}/receiver/hubclientinfo` })
    expect(onA.endpoints).not.toContainEqual(expect.objectContaining({ identifier: 'hubclientinfo', role: 'SENDER' }))
    expect(onA.outbox).toMatchObject({ depth: expect.any(Number) })
    expect(JSON.stringify(onA)).not.toContain(invite.token_a)

    const onB = await b.admin('GET', `/peers/${connected.peer_id}`)
    expect(onB).toMatchObject({ status: 'CONNECTED', version, initiated_by: 'us', versions_url: a.versionsUrl })
    expect(onB.endpoints).toContainEqual({ identifier: 'credentials', role: 'SENDER', url: `${a.url}/ocpi/${version}/credentials` })

    // A party a hosts later reaches b by a credentials PUT (B8.2) and waits there for b's operator (docs/security.md).
    const later = await hostParty(a, 'EMSP')
    await expect.poll(async () => (await b.admin('GET', `/peers/${connected.peer_id}`)).pending_roles, { timeout: 15_000 }).toContainEqual(expect.objectContaining(later))
    expect((await b.admin('GET', `/peers/${connected.peer_id}`)).roles).not.toContainEqual(expect.objectContaining(later))
    const approved = await b.admin('POST', `/peers/${connected.peer_id}/roles/approve`, { roles: [later] })
    expect(approved.roles).toContainEqual(expect.objectContaining(later))
  })

  it('b invites, a connects, then a unregisters: both sides end the connection', async () => {
    const invite = await b.admin('POST', '/peers/invite', { grants: await grantsOf(a) })
    const connected = await a.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version, grants: await grantsOf(b) })
    expect(connected).toMatchObject({ version, status: 'CONNECTED' })
    const onB = await b.admin('GET', `/peers/${invite.peer_id}`)
    expect(onB).toMatchObject({ status: 'CONNECTED', version })
    expect(onB.roles).toContainEqual(expect.objectContaining(partyA))

    const unregistered = await a.admin('DELETE', `/peers/${connected.peer_id}`)
    expect(unregistered).toMatchObject({ status: 'SUSPENDED', last_error: null })
    expect(await b.admin('GET', `/peers/${invite.peer_id}`)).toMatchObject({ status: 'SUSPENDED' })
    const clientInfo = await b.admin<{ country_code: string; party_id: string; status: string }[]>('GET', '/hubclientinfo?source=own&limit=1000')
    expect(clientInfo).toContainEqual(expect.objectContaining({ ...partyA, status: 'SUSPENDED' }))
  })

  it('token A opens only versions, details and credentials, and dies with the registration; a second POST is 405', async () => {
    const invite = await a.admin('POST', '/peers/invite', {})
    expect((await a.ocpi('GET', '/ocpi/versions', { token: invite.token_a })).status).toBe(200)
    expect((await a.ocpi('GET', `/ocpi/${version}/details`, { token: invite.token_a })).status).toBe(200)
    expect((await a.ocpi('GET', `/ocpi/${version}/sender/hubclientinfo`, { token: invite.token_a })).status).toBe(401)
    const put = await a.ocpi('PUT', `/ocpi/${version}/credentials`, { token: invite.token_a, body: fake.credentials(fake.issueToken()) })
    expect(put.status).toBe(405)

    const post = await a.ocpi('POST', `/ocpi/${version}/credentials`, { token: invite.token_a, body: fake.credentials(fake.issueToken()) })
    expect(post.status).toBe(201)
    expect(post.body.data).toMatchObject({ url: a.versionsUrl, roles: expect.arrayContaining([expect.objectContaining({ role: 'CPO' })]) })
    if (version === '2.2.1') expect(post.body.data).not.toHaveProperty('hub_party_id')
    const tokenC = post.body.data.token
    expect(tokenC).not.toBe(invite.token_a)

    expect((await a.ocpi('GET', '/ocpi/versions', { token: invite.token_a })).status).toBe(401)
    expect((await a.ocpi('POST', `/ocpi/${version}/credentials`, { token: invite.token_a, body: fake.credentials(fake.issueToken()) })).status).toBe(401)
    const again = await a.ocpi('POST', `/ocpi/${version}/credentials`, { token: tokenC, body: fake.credentials(fake.issueToken()) })
    expect(again.status).toBe(405)
    const get = await a.ocpi('GET', `/ocpi/${version}/credentials`, { token: tokenC })
    expect(get.body.data).toMatchObject({ token: tokenC, url: a.versionsUrl })
    expect(await a.admin('GET', `/peers/${invite.peer_id}`)).toMatchObject({ status: 'CONNECTED', version, roles: [expect.objectContaining(fake.role)] })
  })

  it('renewal: the new token works at once, the old one for the grace period, and the peer got the new one', async () => {
    const { peerId, tokenC } = await fakeRegistersWithA()
    const before = await a.admin('GET', `/peers/${peerId}`)
    const renewed = await a.admin('POST', `/peers/${peerId}/renew`)
    expect(renewed).toMatchObject({ status: 'CONNECTED', version, last_error: null })
    expect(renewed.credentials_rotated_at >= before.credentials_rotated_at).toBe(true)
    const newToken = fake.platformToken!
    expect(newToken).not.toBe(tokenC)
    expect(fake.received.at(-1)).toMatchObject({ method: 'PUT', path: `/${version}/credentials` })
    expect((await a.ocpi('GET', '/ocpi/versions', { token: newToken })).status).toBe(200)
    expect((await a.ocpi('GET', '/ocpi/versions', { token: tokenC })).status).toBe(200)
  })

  it('the peer renews: PUT rotates the token it uses and re-fetches its endpoints', async () => {
    const { peerId, tokenC } = await fakeRegistersWithA()
    const put = await a.ocpi('PUT', `/ocpi/${version}/credentials`, { token: tokenC, body: fake.credentials(fake.issueToken()) })
    expect(put.status).toBe(200)
    expect(put.body.data.token).not.toBe(tokenC)
    expect((await a.ocpi('GET', `/ocpi/${version}/credentials`, { token: put.body.data.token })).status).toBe(200)
    expect((await a.ocpi('GET', `/ocpi/${version}/credentials`, { token: tokenC })).status).toBe(200)
    expect(await a.admin('GET', `/peers/${peerId}`)).toMatchObject({ status: 'CONNECTED', version })
  })

  it('unregistration from either side kills the tokens', async () => {
    const first = await fakeRegistersWithA()
    await a.admin('POST', `/peers/${first.peerId}/renew`)
    const ourTokenAtFake = fake.platformToken!
    fake.deleted = false
    expect(await a.admin('DELETE', `/peers/${first.peerId}`)).toMatchObject({ status: 'SUSPENDED' })
    expect(fake.deleted).toBe(true)
    for (const token of [first.tokenC, ourTokenAtFake]) expect((await a.ocpi('GET', '/ocpi/versions', { token })).status).toBe(401)

    const second = await fakeRegistersWithA()
    const deleted = await a.ocpi('DELETE', `/ocpi/${version}/credentials`, { token: second.tokenC })
    expect(deleted.status).toBe(200)
    expect(deleted.body.status_code).toBe(1000)
    expect((await a.ocpi('GET', '/ocpi/versions', { token: second.tokenC })).status).toBe(401)
    expect(await a.admin('GET', `/peers/${second.peerId}`)).toMatchObject({ status: 'SUSPENDED' })
  })

  it('when we register with a peer, we keep the token C it returned and use it afterwards', async () => {
    const tokenA = fake.issueToken('token-a')
    const connected = await b.admin('POST', '/peers/connect', { versions_url: fake.versionsUrl, token_a: tokenA, version })
    expect(connected).toMatchObject({ version, status: 'CONNECTED', roles: [expect.objectContaining(fake.role)] })
    fake.validTokens.delete(tokenA) // A real peer throws token A away after registration.
    expect(await b.admin('POST', `/peers/${connected.peer_id}/renew`)).toMatchObject({ status: 'CONNECTED', last_error: null })
    expect(await b.admin('POST', `/peers/${connected.peer_id}/refresh`)).toMatchObject({ status: 'CONNECTED', version })
  })
})

describe('updating to another version (credentials.asciidoc, "Updating to a newer version")', () => {
  it('the peer switches with a PUT on the other version\'s credentials endpoint', async () => {
    await hostParty(a, 'CPO')
    const invite = await a.admin('POST', '/peers/invite', {})
    const post = await a.ocpi('POST', '/ocpi/2.2.1/credentials', { token: invite.token_a, body: fake.credentials(fake.issueToken()) })
    expect(await a.admin('GET', `/peers/${invite.peer_id}`)).toMatchObject({ version: '2.2.1' })
    const put = await a.ocpi('PUT', '/ocpi/2.3.0/credentials', { token: post.body.data.token, body: fake.credentials(fake.issueToken()) })
    expect(put.body.status_code).toBe(1000)
    const peer = await a.admin('GET', `/peers/${invite.peer_id}`)
    expect(peer).toMatchObject({ version: '2.3.0', status: 'CONNECTED' })
    expect(peer.endpoints).toContainEqual(expect.objectContaining({ identifier: 'credentials', url: expect.stringContaining('/2.3.0/credentials') }))
  })

  it('we switch a connection with renew {version}: both platforms move', async () => {
    await hostParty(a, 'CPO')
    await hostParty(b, 'EMSP')
    const invite = await a.admin('POST', '/peers/invite', { grants: await grantsOf(b) })
    const connected = await b.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version: '2.2.1', grants: await grantsOf(a) })
    expect(await b.admin('POST', `/peers/${connected.peer_id}/renew`, { version: '2.3.0' })).toMatchObject({ version: '2.3.0', status: 'CONNECTED' })
    const onA = await a.admin('GET', `/peers/${invite.peer_id}`)
    expect(onA).toMatchObject({ version: '2.3.0', status: 'CONNECTED' })
    expect(onA.endpoints).toContainEqual({ identifier: 'credentials', role: 'SENDER', url: `${b.url}/ocpi/2.3.0/credentials` })
  })
})

describe('bad input', () => {
  beforeAll(() => hostParty(a, 'CPO'))

  it('connect to an unreachable versions URL: 3001 and nothing stored', async () => {
    const before = await peerIds(a)
    const response = await a.adminRaw('POST', '/peers/connect', { versions_url: 'http://127.0.0.1:9/ocpi/versions', token_a: 'whatever' })
    expect(response.status).toBe(502)
    expect(response.body.error.code).toBe(3001)
    expect(await peerIds(a)).toEqual(before)
  })

  it('no mutual version: 3002; no mutual module: 3003; nothing stored', async () => {
    const before = await peerIds(a)
    const old = await new FakePeer({ versions: ['2.0'] }).start()
    const bare = await new FakePeer({ modules: [] }).start()
    try {
      const noVersion = await a.adminRaw('POST', '/peers/connect', { versions_url: old.versionsUrl, token_a: old.issueToken() })
      expect(noVersion.body.error.code).toBe(3002)
      const noModule = await a.adminRaw('POST', '/peers/connect', { versions_url: bare.versionsUrl, token_a: bare.issueToken() })
      expect(noModule.body.error.code).toBe(3003)
      expect(old.received.some((request) => request.method === 'POST')).toBe(false)
      expect(bare.received.some((request) => request.method === 'POST')).toBe(false)
    } finally {
      await Promise.all([old.stop(), bare.stop()])
    }
    expect(await peerIds(a)).toEqual(before)
  })

  it('a peer that cannot be reached back during its POST gets 3001 and stays PENDING with token A valid', async () => {
    const invite = await a.admin('POST', '/peers/invite', {})
    const body = { token: 'unreachable-token', url: 'http://127.0.0.1:9/versions', roles: [fake.role] }
    const response = await a.ocpi('POST', '/ocpi/2.3.0/credentials', { token: invite.token_a, body })
    expect(response.status).toBe(200)
    expect(response.body.status_code).toBe(3001)
    expect(await a.admin('GET', `/peers/${invite.peer_id}`)).toMatchObject({ status: 'PENDING', version: null, roles: [] })
    expect((await a.ocpi('GET', '/ocpi/versions', { token: invite.token_a })).status).toBe(200)
  })

  it('malformed JSON on credentials POST: HTTP 400 with 2001; a missing field: 2001 with its path', async () => {
    const invite = await a.admin('POST', '/peers/invite', {})
    const malformed = await a.ocpi('POST', '/ocpi/2.2.1/credentials', { token: invite.token_a, body: '{"token": ' })
    expect(malformed.status).toBe(400)
    expect(malformed.body.status_code).toBe(2001)
    const missing = await a.ocpi('POST', '/ocpi/2.2.1/credentials', { token: invite.token_a, body: { token: 'x', url: fake.versionsUrl } })
    expect(missing.status).toBe(200)
    expect(missing.body).toMatchObject({ status_code: 2001, data: { path: 'roles' } })
  })

  it('admin: unknown peer is 404, bad connect body is 400 with the path', async () => {
    expect((await a.adminRaw('GET', '/peers/nope')).status).toBe(404)
    const bad = await a.adminRaw('POST', '/peers/connect', { versions_url: 'not a url', token_a: 'x' })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({ code: 2001, path: 'versions_url' })
  })
})
