import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cdrOf, cdrTokenOf, driverToken, partyId } from './driver-records'
import { FakePeer } from './fake-peer'
import { a, unique } from './harness'
import { present } from '../present'

// A registered peer that tries to take what is not its own (docs/security.md): other peers' parties, parties the
// platform hosts, HUB, other parties' sessions, CDRs and tokens. Each attempt fails the way the role-grant rule says,
// and nothing changes on platform a.

const version = '2.3.0'
const poll = { timeout: 20_000, interval: 250 }
const cpoA = { country_code: 'NL', party_id: partyId() }
const emspA = { country_code: 'NL', party_id: partyId() }
const victimEmsp = new FakePeer({ versions: [version], modules: ['tokens', 'sessions', 'cdrs'], role: { role: 'EMSP', country_code: 'DE', party_id: partyId() } })
const victimCpo = new FakePeer({ versions: [version], modules: ['sessions'], role: { role: 'CPO', country_code: 'DE', party_id: partyId() } })
const mallory = new FakePeer({ versions: [version], modules: ['tokens', 'sessions', 'cdrs'], role: { role: 'EMSP', country_code: 'DE', party_id: partyId() } })
type Role = { role: string; country_code: string; party_id: string; business_details?: { name: string } }
const withDetails = (role: Role) => ({ business_details: { name: `${role.role} ${role.party_id}` }, ...role })

async function invite(body: Record<string, unknown> = {}) {
  return a.admin<{ peer_id: string; token_a: string }>('POST', '/peers/invite', { name: unique('hostile '), ...body })
}
const post = (tokenA: string, peer: FakePeer, roles: Role[]) =>
  a.ocpi('POST', `/ocpi/${version}/credentials`, { token: tokenA, body: { token: peer.issueToken(), url: peer.versionsUrl, roles: roles.map(withDetails) } })

async function register(peer: FakePeer, roles: Role[] = [peer.role]) {
  const { peer_id, token_a } = await invite()
  const response = await post(token_a, peer, roles)
  expect(response.body, JSON.stringify(response.body)).toMatchObject({ status_code: 1000 })
  return { peerId: peer_id, token: response.body.data.token as string }
}

/** A refused registration leaves the peer PENDING with no roles, and its token A still opens the versions. */
async function expectNothingRegistered(peerId: string, tokenA: string) {
  expect(await a.admin('GET', `/peers/${peerId}`)).toMatchObject({ status: 'PENDING', roles: [], pending_roles: [] })
  expect((await a.ocpi('GET', '/ocpi/versions', { token: tokenA })).status).toBe(200)
}

const blockedCard = driverToken({ country_code: victimEmsp.role.country_code, party_id: victimEmsp.role.party_id })
const tokenPath = `/ocpi/${version}/receiver/tokens/${blockedCard.country_code}/${blockedCard.party_id}/${blockedCard.uid}?type=RFID`
const sessionId = unique('S')
const cdrId = unique('CDR')
let victim: { peerId: string; token: string }
let malloryOnA: { peerId: string; token: string }

beforeAll(async () => {
  await a.admin('POST', '/parties', { ...cpoA, role: 'CPO', business_details: { name: 'Hostile test CPO' } })
  await a.admin('POST', '/parties', { ...emspA, role: 'EMSP', business_details: { name: 'Hostile test eMSP' } })
  await Promise.all([victimEmsp.start(), victimCpo.start(), mallory.start()])
  victim = await register(victimEmsp)
  await register(victimCpo)
  // The victim eMSP blocks a card at a's CPO: NEVER, not valid.
  const blocked = await a.ocpi('PUT', tokenPath, {
    token: victim.token, body: { ...blockedCard, valid: false, whitelist: 'NEVER', last_updated: '2026-01-10T10:00:00Z' },
    headers: { 'OCPI-to-country-code': cpoA.country_code, 'OCPI-to-party-id': cpoA.party_id },
  })
  expect(blocked.body, JSON.stringify(blocked.body)).toMatchObject({ status_code: 1000 })
  // a's CPO charges the victim's driver: the session and CDR belong to the victim eMSP.
  expect((await a.adminRaw('PUT', `/sessions/${cpoA.country_code}/${cpoA.party_id}/${sessionId}`, {
    start_date_time: '2026-03-01T10:00:00Z', kwh: 0, cdr_token: cdrTokenOf(blockedCard), auth_method: 'WHITELIST',
    location_id: 'LOC1', evse_uid: 'EVSE1', connector_id: '1', currency: 'EUR', status: 'ACTIVE', last_updated: '2026-03-01T10:00:00Z',
  })).status).toBe(201)
  expect((await a.adminRaw('POST', `/cdrs/${cpoA.country_code}/${cpoA.party_id}`, cdrOf(cpoA, blockedCard, sessionId, cdrId))).status).toBe(201)
})
afterAll(() => Promise.all([victimEmsp.stop(), victimCpo.stop(), mallory.stop()]))

describe('role claims at registration', () => {
  it("refuses another peer's party with 2001 naming the role; nothing is registered", async () => {
    const { peer_id, token_a } = await invite()
    const response = await post(token_a, mallory, [mallory.role, victimEmsp.role])
    expect(response.body.status_code).toBe(2001)
    expect(response.body.status_message).toContain(`EMSP ${victimEmsp.role.country_code}*${victimEmsp.role.party_id}`)
    await expectNothingRegistered(peer_id, token_a)
  })

  it('refuses a party the platform hosts', async () => {
    const { peer_id, token_a } = await invite()
    const response = await post(token_a, mallory, [mallory.role, { role: 'CPO', ...cpoA }])
    expect(response.body.status_code).toBe(2001)
    expect(response.body.status_message).toContain(`CPO ${cpoA.country_code}*${cpoA.party_id}`)
    await expectNothingRegistered(peer_id, token_a)
  })

  it('parks HUB as pending: the peer registers with its own party only', async () => {
    const hub = { role: 'HUB', country_code: 'DE', party_id: partyId() }
    const { peer_id, token_a } = await invite()
    const response = await post(token_a, mallory, [mallory.role, hub])
    expect(response.body.status_code).toBe(1000)
    malloryOnA = { peerId: peer_id, token: response.body.data.token }
    const view = await a.admin('GET', `/peers/${peer_id}`)
    expect(view.roles).toEqual([withDetails(mallory.role)])
    expect(view.pending_roles).toEqual([expect.objectContaining(hub)])
  })

  it('lets exactly one of ten concurrent POSTs with one token A register, and only its roles are stored', async () => {
    const { peer_id, token_a } = await invite()
    const claims = Array.from({ length: 10 }, () => [{ role: 'EMSP', country_code: 'DE', party_id: partyId() }])
    const responses = await Promise.all(claims.map((roles) => post(token_a, mallory, roles)))
    const statuses = responses.map((response) => response.status).sort()
    expect(statuses).toEqual([201, ...Array(9).fill(405)])
    const winner = present(claims[responses.findIndex((response) => response.status === 201)], 'the winning claim')
    expect((await a.admin('GET', `/peers/${peer_id}`)).roles).toEqual(winner.map(withDetails))
    const clientInfo = await a.admin<{ party_id: string }[]>('GET', '/hubclientinfo?source=own&limit=1000')
    const losers = claims.flat().map((role) => role.party_id).filter((party) => party !== present(winner[0], 'the winning role').party_id)
    expect(clientInfo.filter((row) => losers.includes(row.party_id))).toEqual([])
  })
})

describe("cross-party reads: the victim's data stays out of reach", () => {
  const victimHeaders = { 'OCPI-from-country-code': victimEmsp.role.country_code, 'OCPI-from-party-id': victimEmsp.role.party_id }

  it('sessions and CDRs: not in the lists, and naming the victim as OCPI-from is 2001', async () => {
    for (const module of ['sessions', 'cdrs']) {
      const list = await a.ocpi('GET', `/ocpi/${version}/sender/${module}?limit=1000`, { token: malloryOnA.token })
      expect(list.body.status_code).toBe(1000)
      expect(JSON.stringify(list.body.data)).not.toContain(blockedCard.uid)
      const impersonated = await a.ocpi('GET', `/ocpi/${version}/sender/${module}?limit=1000`, { token: malloryOnA.token, headers: victimHeaders })
      expect(impersonated.body.status_code).toBe(2001)
      expect(JSON.stringify(impersonated.body)).not.toContain(blockedCard.uid)
    }
  })

  it("the victim's token, by id: refused", async () => {
    const response = await a.ocpi('GET', tokenPath, { token: malloryOnA.token })
    expect(response.body.status_code).not.toBe(1000)
    expect(JSON.stringify(response.body)).not.toContain(blockedCard.contract_id)
  })

  it("a new session of the victim's driver goes to the victim, never to the attacker", async () => {
    const newSession = unique('S')
    expect((await a.adminRaw('PUT', `/sessions/${cpoA.country_code}/${cpoA.party_id}/${newSession}`, {
      start_date_time: '2026-03-02T10:00:00Z', kwh: 0, cdr_token: cdrTokenOf(blockedCard), auth_method: 'WHITELIST', location_id: 'LOC1', evse_uid: 'EVSE1',
      connector_id: '1', currency: 'EUR', status: 'ACTIVE', last_updated: '2026-03-02T10:00:00Z',
    })).status).toBe(201)
    await expect.poll(() => victimEmsp.received.some((request) => request.path.includes(newSession)), poll).toBe(true)
    expect(mallory.received.some((request) => request.path.includes(newSession))).toBe(false)
  })
})

describe('cross-party writes: refused, nothing changed', () => {
  it('overwriting the blocked card as ALWAYS is 2001 and the card stays blocked', async () => {
    const response = await a.ocpi('PUT', tokenPath, {
      token: malloryOnA.token, body: { ...blockedCard, valid: true, whitelist: 'ALWAYS', last_updated: '2026-02-10T10:00:00Z' },
      headers: { 'OCPI-to-country-code': cpoA.country_code, 'OCPI-to-party-id': cpoA.party_id },
    })
    expect(response.body.status_code).toBe(2001)
    const stored = await a.admin('GET', `/tokens/${blockedCard.country_code}/${blockedCard.party_id}/${blockedCard.uid}?type=RFID&source=received`)
    expect(stored).toMatchObject({ valid: false, whitelist: 'NEVER', last_updated: '2026-01-10T10:00:00Z' })
  })

  it("pushing a session for another peer's CPO party is 2001 and nothing is stored", async () => {
    const id = unique('FORGED')
    const owner = { country_code: victimCpo.role.country_code, party_id: victimCpo.role.party_id }
    const response = await a.ocpi('PUT', `/ocpi/${version}/receiver/sessions/${owner.country_code}/${owner.party_id}/${id}`, {
      token: malloryOnA.token, headers: { 'OCPI-to-country-code': emspA.country_code, 'OCPI-to-party-id': emspA.party_id },
      body: { ...owner, id, start_date_time: '2026-03-01T10:00:00Z', kwh: 0, cdr_token: cdrTokenOf(driverToken(emspA)), auth_method: 'WHITELIST', location_id: 'LOC1',
        evse_uid: 'EVSE1', connector_id: '1', currency: 'EUR', status: 'ACTIVE', last_updated: '2026-03-01T10:00:00Z' },
    })
    expect(response.body.status_code).toBe(2001)
    expect((await a.adminRaw('GET', `/sessions/${owner.country_code}/${owner.party_id}/${id}?source=received`)).status).toBe(404)
  })
})

describe('credentials PUT adding parties', () => {
  it("refuses another peer's party: 2001, roles and token unchanged", async () => {
    const before = await a.admin('GET', `/peers/${malloryOnA.peerId}`)
    const response = await a.ocpi('PUT', `/ocpi/${version}/credentials`, {
      token: malloryOnA.token, body: { token: mallory.issueToken(), url: mallory.versionsUrl, roles: [mallory.role, withDetails(victimCpo.role)] },
    })
    expect(response.body.status_code).toBe(2001)
    const after = await a.admin('GET', `/peers/${malloryOnA.peerId}`)
    expect(after).toMatchObject({ roles: before.roles, pending_roles: before.pending_roles, credentials_rotated_at: before.credentials_rotated_at })
    expect((await a.ocpi('GET', `/ocpi/${version}/sender/sessions`, { token: malloryOnA.token })).body.status_code).toBe(1000)
  })

  it('parks a new free party as pending, and a push for it is refused until the operator approves', async () => {
    const added = { role: 'CPO', country_code: 'DE', party_id: partyId() }
    const response = await a.ocpi('PUT', `/ocpi/${version}/credentials`, {
      token: malloryOnA.token, body: { token: mallory.issueToken(), url: mallory.versionsUrl, roles: [mallory.role, withDetails(added)] },
    })
    expect(response.body.status_code).toBe(1000)
    malloryOnA.token = response.body.data.token
    const view = await a.admin('GET', `/peers/${malloryOnA.peerId}`)
    expect(view.roles).toEqual([withDetails(mallory.role)])
    expect(view.pending_roles).toEqual(expect.arrayContaining([expect.objectContaining(added)]))

    const id = unique('PENDING')
    const push = () => a.ocpi('PUT', `/ocpi/${version}/receiver/sessions/${added.country_code}/${added.party_id}/${id}`, {
      token: malloryOnA.token, headers: { 'OCPI-to-country-code': emspA.country_code, 'OCPI-to-party-id': emspA.party_id },
      body: { country_code: added.country_code, party_id: added.party_id, id, start_date_time: '2026-03-01T10:00:00Z', kwh: 0, cdr_token: cdrTokenOf(driverToken(emspA)),
        auth_method: 'WHITELIST', location_id: 'LOC1', evse_uid: 'EVSE1', connector_id: '1', currency: 'EUR', status: 'ACTIVE', last_updated: '2026-03-01T10:00:00Z' },
    })
    expect((await push()).body.status_code).toBe(2001)
    expect((await a.adminRaw('GET', `/sessions/${added.country_code}/${added.party_id}/${id}?source=received`)).status).toBe(404)

    await a.admin('POST', `/peers/${malloryOnA.peerId}/roles/approve`, { roles: [added] })
    expect((await push()).body.status_code).toBe(1000)
  })
})
