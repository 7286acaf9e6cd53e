import { env } from 'cloudflare:workers'
import { and, eq, inArray } from 'drizzle-orm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { auditLog, credentialsTokens, hubClientInfo, peerRoles, peers } from '../../src/db/schema'
import { hashToken } from '../../src/ocpi/auth'
import type { Role as RoleName } from '../../src/ocpi/types'
import { connectToPeer, renewCredentials } from '../../src/peers/registration'
import { adminFetch, db, ocpiFetch, registeredPeer, type OcpiBody } from '../ocpi/fixtures'
import { present } from '../present'
import { uniquePartyId } from '../party-ids'

// The role-grant rule (docs/security.md, "Role grants"): a peer's roles are granted by the operator or, on a first
// registration, taken only where nobody holds the party; never self-declared.

const PEER = 'https://grants.test/ocpi'
const envelope = (data: unknown, status_code = 1000, status = 200) => Response.json({ data, status_code, timestamp: new Date().toISOString() }, { status })
const partyId = () => uniquePartyId()
const role = (role: RoleName, country_code: string, party_id: string) => ({ role, country_code, party_id, business_details: { name: `${role} ${party_id}` } })
type Role = ReturnType<typeof role>

/** A peer platform at PEER offering 2.3.0 with a hubclientinfo receiver; credentials requests are answered by `credentials`. */
function stubPeer(credentials: (request: Request) => Response = () => envelope(undefined, 2000, 404)) {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init)
    if (request.url === `${PEER}/versions`) return envelope([{ version: '2.3.0', url: `${PEER}/2.3.0` }])
    if (request.url === `${PEER}/2.3.0`) {
      return envelope({ version: '2.3.0', endpoints: [
        { identifier: 'credentials', role: 'SENDER', url: `${PEER}/2.3.0/credentials` },
        { identifier: 'hubclientinfo', role: 'RECEIVER', url: `${PEER}/2.3.0/hubclientinfo` },
      ] })
    }
    return credentials(request)
  })
}
afterEach(async () => {
  vi.restoreAllMocks()
  await db().update(peers).set({ status: 'SUSPENDED' }).where(eq(peers.versions_url, `${PEER}/versions`))
})

const credentials = (token: string, roles: Role[]) => ({ token, url: `${PEER}/versions`, roles })
const invite = async (body: Record<string, unknown> = {}) => (await adminFetch('/peers/invite', { method: 'POST', body })).json<{ peer_id: string; token_a: string }>()
const register = (tokenA: string, roles: Role[], token = `their-${crypto.randomUUID()}`) =>
  ocpiFetch('/ocpi/2.3.0/credentials', { token: tokenA, method: 'POST', body: credentials(token, roles) })
const update = (tokenC: string, roles: Role[], token = `their-${crypto.randomUUID()}`) =>
  ocpiFetch('/ocpi/2.3.0/credentials', { token: tokenC, method: 'PUT', body: credentials(token, roles) })
const peerView = async (peerId: string) => (await adminFetch(`/peers/${peerId}`)).json<{ status: string; roles: Role[]; pending_roles: Role[] }>()
const rolesIndex = async (peerId: string) => db().select().from(peerRoles).where(eq(peerRoles.peer_id, peerId))
const audit = async (peerId: string) => (await db().select().from(auditLog).where(eq(auditLog.subject, peerId))).map((row) => row.action)

async function hostParty(roleName: RoleName = 'CPO') {
  const party = role(roleName, 'NL', partyId())
  expect((await adminFetch('/parties', { method: 'POST', body: party })).status).toBe(201)
  return party
}

/** Expects a refused registration: 2001 naming the role, the peer still PENDING with token A, nothing stored. */
async function expectRefusedPost(response: Response, peerId: string, refused: Role) {
  const body = await response.json<OcpiBody>()
  expect(body.status_code).toBe(2001)
  expect(body.status_message).toContain(`${refused.role} ${refused.country_code}*${refused.party_id}`)
  const [peer] = await db().select().from(peers).where(eq(peers.id, peerId))
  expect(peer).toMatchObject({ status: 'PENDING', roles: [], outbound_token: null })
  expect((await db().select().from(credentialsTokens).where(eq(credentialsTokens.peer_id, peerId))).map((row) => row.kind)).toEqual(['A'])
  expect(await rolesIndex(peerId)).toEqual([])
  expect(await audit(peerId)).toContain('peer.role.refused')
}

describe('least disclosure: the hubclientinfo Sender', () => {
  it('is neither listed nor served while this platform hosts no HUB party', async () => {
    const { token } = await registeredPeer()
    const details = await (await ocpiFetch('/ocpi/2.3.0/details', { token })).json<OcpiBody>()
    expect(details.data.endpoints).not.toContainEqual(expect.objectContaining({ identifier: 'hubclientinfo', role: 'SENDER' }))
    expect(details.data.endpoints).toContainEqual(expect.objectContaining({ identifier: 'hubclientinfo', role: 'RECEIVER' }))
    const list = await ocpiFetch('/ocpi/2.3.0/sender/hubclientinfo', { token })
    expect(list.status).toBe(404)

    await hostParty('HUB')
    const withHub = await (await ocpiFetch('/ocpi/2.3.0/details', { token })).json<OcpiBody>()
    expect(withHub.data.endpoints).toContainEqual(expect.objectContaining({ identifier: 'hubclientinfo', role: 'SENDER' }))
    expect((await ocpiFetch('/ocpi/2.3.0/sender/hubclientinfo', { token })).status).toBe(200)
  })
})

describe('credentials POST: which roles a peer gets', () => {
  it('refuses a party another registered peer holds, naming the role; nothing is stored', async () => {
    await hostParty()
    stubPeer()
    const taken = role('CPO', 'DE', partyId())
    await registeredPeer({ roles: [taken] })
    const { peer_id, token_a } = await invite({ name: 'thief' })
    await expectRefusedPost(await register(token_a, [role('EMSP', 'DE', partyId()), taken]), peer_id, taken)
    expect((await register(token_a, [role('EMSP', 'DE', partyId())])).status).toBe(201)
  })

  it('refuses the same hub registering a second time under another peer, so pushes never go out twice', async () => {
    await hostParty()
    stubPeer()
    const hub = role('HUB', 'DE', partyId())
    const first = await invite({ grants: [{ country_code: hub.country_code, party_id: hub.party_id, role: 'HUB' }] })
    expect((await register(first.token_a, [hub])).status).toBe(201)
    const second = await invite()
    await expectRefusedPost(await register(second.token_a, [hub]), second.peer_id, hub)
  })

  it('refuses a party this platform hosts', async () => {
    const hosted = await hostParty()
    stubPeer()
    const { peer_id, token_a } = await invite()
    await expectRefusedPost(await register(token_a, [{ ...hosted, role: 'EMSP' }]), peer_id, { ...hosted, role: 'EMSP' })
  })

  it('parks HUB as pending without a grant; the operator approves it, and every step is audited', async () => {
    await hostParty()
    stubPeer()
    const hub = role('HUB', 'DE', partyId())
    const emsp = role('EMSP', 'DE', partyId())
    const { peer_id, token_a } = await invite()
    const response = await register(token_a, [emsp, hub])
    expect(response.status).toBe(201)
    let view = await peerView(peer_id)
    expect(view.status).toBe('CONNECTED')
    expect(view.roles).toEqual([emsp])
    expect(view.pending_roles).toEqual([expect.objectContaining(hub)])
    expect((await rolesIndex(peer_id)).map((row) => row.role)).toEqual(['EMSP'])
    const clientInfo = await db().select().from(hubClientInfo).where(eq(hubClientInfo.party_id, hub.party_id))
    expect(clientInfo).toEqual([])

    const approved = await adminFetch(`/peers/${peer_id}/roles/approve`, { method: 'POST', body: {} })
    expect(approved.status).toBe(200)
    view = await peerView(peer_id)
    expect(view.roles).toEqual([emsp, hub])
    expect(view.pending_roles).toEqual([])
    expect((await rolesIndex(peer_id)).map((row) => row.role).sort()).toEqual(['EMSP', 'HUB'])
    expect(await audit(peer_id)).toEqual(expect.arrayContaining(['peer.role.granted', 'peer.role.pending', 'peer.role.approved']))
  })

  it('refuses roles outside the grants stated at invite, and grants HUB and a held party when the operator says so', async () => {
    await hostParty()
    stubPeer()
    const hub = role('HUB', 'DE', partyId())
    const taken = role('CPO', 'DE', partyId())
    await registeredPeer({ roles: [taken] })
    const { peer_id, token_a } = await invite({ grants: [{ country_code: hub.country_code, party_id: hub.party_id, role: 'HUB' }, { country_code: 'de', party_id: taken.party_id.toLowerCase(), role: 'CPO' }] })
    const outside = role('EMSP', 'DE', partyId())
    await expectRefusedPost(await register(token_a, [hub, outside]), peer_id, outside)
    expect((await register(token_a, [hub, taken])).status).toBe(201)
    expect((await peerView(peer_id)).roles).toEqual([hub, taken])
  })

  it('refuses a grant with a role this platform does not know (admin 400 with the path)', async () => {
    const response = await adminFetch('/peers/invite', { method: 'POST', body: { grants: [{ country_code: 'DE', party_id: 'ABC', role: 'ROOT' }] } })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { path: 'grants.0.role' } })
  })

  it('answers a POST with HTTP 200 instead of 201 when the operator chose it for this peer', async () => {
    await hostParty()
    stubPeer()
    const { token_a } = await invite({ credentials_post_status: 200 })
    const response = await register(token_a, [role('EMSP', 'DE', partyId())])
    expect(response.status).toBe(200)
    expect((await response.json<OcpiBody>()).status_code).toBe(1000)
  })
})

describe('credentials POST: concurrent registration with one token A', () => {
  it('lets exactly one of ten POSTs register; the losers write no roles and no ClientInfo', async () => {
    await hostParty()
    stubPeer()
    const { peer_id, token_a } = await invite()
    const claims = Array.from({ length: 10 }, () => [role('EMSP', 'DE', partyId())])
    const responses = await Promise.all(claims.map((roles) => register(token_a, roles)))
    expect(responses.map((response) => response.status).sort()).toEqual([201, ...Array(9).fill(405)])
    const winner = present(claims[responses.findIndex((response) => response.status === 201)], 'the winning claim')
    expect((await rolesIndex(peer_id)).map((row) => row.party_id)).toEqual([present(winner[0], 'the winning role').party_id])
    expect((await peerView(peer_id)).roles).toEqual(winner)
    const everyParty = claims.flat().map((claimed) => claimed.party_id)
    const clientInfo = await db().select().from(hubClientInfo).where(and(eq(hubClientInfo.country_code, 'DE'), inArray(hubClientInfo.party_id, everyParty)))
    expect(clientInfo.map((row) => row.party_id)).toEqual([present(winner[0], 'the winning role').party_id])
    expect((await audit(peer_id)).filter((action) => action === 'credentials.registered')).toHaveLength(1)
  })
})

describe('credentials PUT: role changes follow the same rule', () => {
  async function registered(roles: Role[]) {
    await hostParty()
    stubPeer()
    const { peer_id, token_a } = await invite()
    const response = await register(token_a, roles)
    expect(response.status).toBe(201)
    return { peerId: peer_id, tokenC: (await response.json<OcpiBody>()).data.token as string }
  }

  it('parks a new party as pending; the operator can reject it', async () => {
    const first = role('EMSP', 'DE', partyId())
    const { peerId, tokenC } = await registered([first])
    const added = role('EMSP', 'DE', partyId())
    const response = await update(tokenC, [first, added])
    expect((await response.json<OcpiBody>()).status_code).toBe(1000)
    let view = await peerView(peerId)
    expect(view.roles).toEqual([first])
    expect(view.pending_roles).toEqual([expect.objectContaining(added)])
    expect(await rolesIndex(peerId)).toHaveLength(1)

    expect((await adminFetch(`/peers/${peerId}/roles/reject`, { method: 'POST', body: { roles: [{ country_code: 'DE', party_id: added.party_id, role: 'EMSP' }] } })).status).toBe(200)
    view = await peerView(peerId)
    expect(view.pending_roles).toEqual([])
    expect(view.roles).toEqual([first])
    expect(await audit(peerId)).toContain('peer.role.rejected')
  })

  it("refuses another peer's party, HUB-free: 2001, the token is not rotated and the roles stay", async () => {
    const first = role('EMSP', 'DE', partyId())
    const { peerId, tokenC } = await registered([first])
    const taken = role('CPO', 'DE', partyId())
    await registeredPeer({ roles: [taken] })
    const before = present((await db().select().from(peers).where(eq(peers.id, peerId)))[0], 'the peer before')
    const response = await update(tokenC, [first, taken])
    const body = await response.json<OcpiBody>()
    expect(body.status_code).toBe(2001)
    expect(body.status_message).toContain(`CPO DE*${taken.party_id}`)
    const [after] = await db().select().from(peers).where(eq(peers.id, peerId))
    expect(after).toMatchObject({ roles: [first], pending_roles: [], outbound_token: before.outbound_token })
    const tokens = await db().select().from(credentialsTokens).where(eq(credentialsTokens.peer_id, peerId))
    expect(tokens).toEqual([expect.objectContaining({ token_hash: await hashToken(tokenC), expires_at: null })])
  })

  it('drops a role the peer no longer sends', async () => {
    const [kept, dropped] = [role('EMSP', 'DE', partyId()), role('CPO', 'DE', partyId())]
    const { peerId, tokenC } = await registered([kept, dropped])
    expect((await (await update(tokenC, [kept])).json<OcpiBody>()).status_code).toBe(1000)
    expect((await peerView(peerId)).roles).toEqual([kept])
    expect((await rolesIndex(peerId)).map((row) => row.party_id)).toEqual([kept.party_id])
  })
})

describe('we register with a peer (connect)', () => {
  it('refuses a peer answering with a party another peer holds, and stores nothing', async () => {
    await hostParty()
    const taken = role('CPO', 'DE', partyId())
    await registeredPeer({ roles: [taken] })
    stubPeer((request) => (request.method === 'POST' ? envelope(credentials('their-c', [taken]), 1000, 201) : envelope(undefined)))
    const before = await db().select({ id: peers.id }).from(peers)
    await expect(connectToPeer(env, { versions_url: `${PEER}/versions`, token_a: 'their-a' })).rejects.toMatchObject({ status_code: 2001 })
    expect(await db().select({ id: peers.id }).from(peers)).toEqual(before)
  })

  it("renews with a peer whose answer names another peer's party: the renewal stands, that party is not taken", async () => {
    const own = role('EMSP', 'DE', partyId())
    const taken = role('CPO', 'DE', partyId())
    await registeredPeer({ roles: [taken] })
    const { id } = await registeredPeer({
      roles: [own], fields: { versions_url: `${PEER}/versions`, endpoints: [{ identifier: 'credentials', role: 'SENDER', url: `${PEER}/2.3.0/credentials` }] },
    })
    stubPeer((request) => (request.method === 'PUT' ? envelope(credentials('renewed', [own, taken])) : envelope(undefined)))
    const renewed = await renewCredentials(env, id)
    expect(renewed).toMatchObject({ outbound_token: 'renewed', roles: [own], pending_roles: [] })
    expect(await audit(id)).toContain('peer.role.refused')
  })

  it('accepts the HTTP 200 some peers answer our POST with, as well as 201', async () => {
    await hostParty()
    const own = role('CPO', 'DE', partyId())
    stubPeer((request) => (request.method === 'POST' ? envelope(credentials('their-c', [own]), 1000, 200) : envelope(undefined)))
    const peer = await connectToPeer(env, { versions_url: `${PEER}/versions`, token_a: 'their-a' })
    expect(peer).toMatchObject({ status: 'CONNECTED', roles: [own] })
  })
})
