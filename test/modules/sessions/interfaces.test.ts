import { beforeAll, describe, expect, it } from 'vitest'
import started from '../../fixtures/spec/2.3.0/examples/session_example_1_simple_start.json'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { cpoWithEmspPeers, emspWithCpoPeers, fromHeaders, hostParty, roleOf, uniquePartyId } from '../tokens/fixtures'
import { present } from '../../present'

type Party = { country_code: string; party_id: string }

const sessionOf = (cpo: Party, emsp: Party, id: string, fields: Record<string, unknown> = {}) => ({
  ...started, ...cpo, id, cdr_token: { ...started.cdr_token, ...emsp, uid: `UID-${id}` }, ...fields,
})

describe('Sessions Receiver (eMSP side)', () => {
  let emsp: Party
  const cpo = { country_code: 'NL', party_id: uniquePartyId() }
  let cpoPeer: { id: string; token: string }
  let otherPeer: { id: string; token: string }
  const url = (id: string, party: Party = cpo) => `/ocpi/2.3.0/receiver/sessions/${party.country_code}/${party.party_id}/${id}`

  beforeAll(async () => {
    ;({ emsp, cpoPeer, otherPeer } = await emspWithCpoPeers(cpo))
  })

  it('stores a pushed session, answers without data, and serves it back to its CPO only', async () => {
    const session = sessionOf(cpo, emsp, 'S1')
    const put = await ocpiFetch(url('S1'), { token: cpoPeer.token, method: 'PUT', body: session })
    const body = await put.json<OcpiBody>()
    // status_codes.asciidoc: "201 Created when the object has been newly created in the server system", else 200.
    expect(put.status).toBe(201)
    expect(body.status_code).toBe(1000)
    expect(body).not.toHaveProperty('data')
    expect((await ocpiFetch(url('S1'), { token: cpoPeer.token, method: 'PUT', body: session })).status).toBe(200)
    const get = await ocpiFetch(url('S1'), { token: cpoPeer.token })
    expect((await get.json<OcpiBody>()).data).toEqual(session)
    const stranger = await ocpiFetch(url('S1'), { token: otherPeer.token })
    expect(stranger.status).toBe(404)
    expect((await stranger.json<OcpiBody>()).status_code).toBe(2003)
    expect((await ocpiFetch(url('NOPE'), { token: cpoPeer.token })).status).toBe(404)
  })

  it('refuses a session pushed by a peer that holds the party only as an eMSP: sessions belong to a CPO', async () => {
    const emspOnly = { country_code: 'NL', party_id: uniquePartyId() }
    const peer = await registeredPeer({ roles: [roleOf('EMSP', emspOnly)] })
    const response = await ocpiFetch(url('R1', emspOnly), { token: peer.token, method: 'PUT', body: sessionOf(emspOnly, emsp, 'R1') })
    expect(await response.json<OcpiBody>()).toMatchObject({ status_code: 2001 })
    expect((await adminFetch(`/sessions/${emspOnly.country_code}/${emspOnly.party_id}/R1?source=received`)).status).toBe(404)
  })

  it('refuses a push for a CPO the peer does not represent, ids differing from the URL, or a token party not served here', async () => {
    const session = sessionOf(cpo, emsp, 'S2')
    const foreign = await ocpiFetch(url('S2'), { token: otherPeer.token, method: 'PUT', body: session })
    expect(await foreign.json<OcpiBody>()).toMatchObject({ status_code: 2001 })
    const mismatch = await ocpiFetch(url('OTHER'), { token: cpoPeer.token, method: 'PUT', body: session })
    expect(await mismatch.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'id' } })
    const unserved = await ocpiFetch(url('S2'), { token: cpoPeer.token, method: 'PUT', body: sessionOf(cpo, { country_code: 'FR', party_id: 'ZZZ' }, 'S2') })
    expect(await unserved.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'cdr_token.party_id' } })
    const invalid = await ocpiFetch(url('S2'), { token: cpoPeer.token, method: 'PUT', body: { ...session, kwh: 'lots' } })
    expect(await invalid.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'kwh' } })
  })

  it('PATCH adds charging periods; an older PUT or PATCH never overwrites', async () => {
    const session = sessionOf(cpo, emsp, 'S3', { status: 'ACTIVE', last_updated: '2020-03-09T10:20:00Z' })
    await ocpiFetch(url('S3'), { token: cpoPeer.token, method: 'PUT', body: session })
    const period = { start_date_time: '2020-03-09T10:20:00Z', dimensions: [{ type: 'ENERGY', volume: 2.5 }] }
    const patch = await ocpiFetch(url('S3'), { token: cpoPeer.token, method: 'PATCH', body: { kwh: 2.5, charging_periods: [period], last_updated: '2020-03-09T10:30:00Z' } })
    expect((await patch.json<OcpiBody>()).status_code).toBe(1000)
    await ocpiFetch(url('S3'), { token: cpoPeer.token, method: 'PATCH', body: { kwh: 1, last_updated: '2020-03-09T10:25:00Z' } })
    await ocpiFetch(url('S3'), { token: cpoPeer.token, method: 'PUT', body: { ...session, kwh: 0.5, last_updated: '2020-03-09T10:21:00Z' } })
    const stored = (await (await ocpiFetch(url('S3'), { token: cpoPeer.token })).json<OcpiBody>()).data
    expect(stored).toMatchObject({ kwh: 2.5, charging_periods: [period], last_updated: '2020-03-09T10:30:00Z', status: 'ACTIVE' })
  })

  it('PATCH needs last_updated and an existing session', async () => {
    const missing = await ocpiFetch(url('S3'), { token: cpoPeer.token, method: 'PATCH', body: { kwh: 3 } })
    expect(await missing.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'last_updated' } })
    const unknown = await ocpiFetch(url('NEVER-PUT'), { token: cpoPeer.token, method: 'PATCH', body: { kwh: 3, last_updated: '2020-03-09T10:30:00Z' } })
    expect(await unknown.json<OcpiBody>()).toMatchObject({ status_code: 2003 })
  })

  it('reads 2.2.1 sessions with excl_vat/incl_vat', async () => {
    const session = sessionOf(cpo, emsp, 'S4', { total_cost: { excl_vat: 2, incl_vat: 2.42 } })
    await ocpiFetch(url('S4').replace('2.3.0', '2.2.1'), { token: cpoPeer.token, method: 'PUT', body: session })
    const stored = await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/S4?source=received`)
    expect(await stored.json<any>()).toMatchObject({ total_cost: { before_taxes: 2, taxes: [{ name: 'VAT', amount: 0.42 }] } })
  })
})

describe('Sessions Sender (CPO side)', () => {
  let cpo: Party
  const emspA = { country_code: 'DE', party_id: uniquePartyId() }
  const emspB = { country_code: 'DE', party_id: uniquePartyId() }
  let peerA: { id: string; token: string }
  let peerB: { id: string; token: string }

  beforeAll(async () => {
    ;({ cpo, peerA, peerB } = await cpoWithEmspPeers('NL', emspA, emspB))
    for (const [emsp, id, minute] of [[emspA, 'A1', 10], [emspA, 'A2', 20], [emspB, 'B1', 15]] as const) {
      const response = await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/${id}`, {
        method: 'PUT', body: sessionOf(cpo, emsp, id, { status: 'ACTIVE', last_updated: `2026-01-01T10:${minute}:00Z` }),
      })
      expect(response.status, await response.clone().text()).toBe(201)
    }
  })

  it('lists only sessions of tokens of the parties the peer represents, date-paged', async () => {
    const response = await ocpiFetch('/ocpi/2.3.0/sender/sessions?date_from=2026-01-01T00:00:00Z&limit=1', { token: peerA.token })
    const body = await response.json<OcpiBody<any[]>>()
    expect(body.data!.map((session) => session.id)).toEqual(['A1'])
    expect(response.headers.get('X-Total-Count')).toBe('2')
    const next = await ocpiFetch(new URL(present(/<([^>]+)>/.exec(response.headers.get('Link') ?? '')?.[1], 'the next link')).pathname + new URL(present(/<([^>]+)>/.exec(response.headers.get('Link') ?? '')?.[1], 'the next link')).search, { token: peerA.token })
    expect((await next.json<OcpiBody<any[]>>()).data!.map((session) => session.id)).toEqual(['A2'])
    const others = await ocpiFetch('/ocpi/2.3.0/sender/sessions', { token: peerB.token })
    expect((await others.json<OcpiBody<any[]>>()).data!.map((session) => session.id)).toEqual(['B1'])
    const later = await ocpiFetch('/ocpi/2.3.0/sender/sessions?date_from=2026-01-01T10:12:00Z&date_to=2026-01-01T10:20:00Z', { token: peerA.token })
    expect((await later.json<OcpiBody<any[]>>()).data).toEqual([])
  })

  it('a hub sees the sessions of every party it routes for, narrowed by OCPI-from', async () => {
    const hub = await registeredPeer({ roles: [roleOf('HUB', { country_code: 'DE', party_id: uniquePartyId() })] })
    const all = await ocpiFetch(`/ocpi/2.3.0/sender/sessions`, { token: hub.token, headers: { 'OCPI-to-country-code': cpo.country_code, 'OCPI-to-party-id': cpo.party_id } })
    expect((await all.json<OcpiBody<any[]>>()).data!.map((session) => session.id).sort()).toEqual(['A1', 'A2', 'B1'])
    const narrowed = await ocpiFetch(`/ocpi/2.3.0/sender/sessions`, { token: hub.token, headers: { ...fromHeaders(emspB), 'OCPI-to-country-code': cpo.country_code, 'OCPI-to-party-id': cpo.party_id } })
    expect((await narrowed.json<OcpiBody<any[]>>()).data!.map((session) => session.id)).toEqual(['B1'])
  })

  it('a hub naming its own hub party in OCPI-from ("GET All via Hubs") is served like a hub', async () => {
    const hubParty = { country_code: 'DE', party_id: uniquePartyId() }
    const hub = await registeredPeer({ roles: [roleOf('HUB', hubParty)] })
    const response = await ocpiFetch(`/ocpi/2.3.0/sender/sessions`, { token: hub.token, headers: { ...fromHeaders(hubParty), 'OCPI-to-country-code': cpo.country_code, 'OCPI-to-party-id': cpo.party_id } })
    expect((await response.json<OcpiBody<any[]>>()).data!.map((session) => session.id).sort()).toEqual(['A1', 'A2', 'B1'])
  })

  it('tells a peer whose roles see no sessions why its list is empty', async () => {
    const cpoOnly = await registeredPeer({ roles: [roleOf('CPO', { country_code: 'DE', party_id: uniquePartyId() })] })
    const body = await (await ocpiFetch('/ocpi/2.3.0/sender/sessions', { token: cpoOnly.token })).json<OcpiBody<any[]>>()
    expect(body).toMatchObject({ status_code: 1000, data: [], status_message: "Sessions are shared with the token's eMSP and hub peers only" })
    expect((await (await ocpiFetch('/ocpi/2.3.0/sender/sessions', { token: peerA.token })).json<OcpiBody>()).status_message).toBe('Success')
  })

  it('refuses OCPI-from naming a party the peer does not represent', async () => {
    const response = await ocpiFetch('/ocpi/2.3.0/sender/sessions', { token: peerA.token, headers: fromHeaders(emspB) })
    expect(await response.json<OcpiBody>()).toMatchObject({ status_code: 2001 })
  })

  it('sends 2.2.1 peers 2.2.1 prices', async () => {
    await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/A1`, { method: 'PATCH', body: { total_cost: { before_taxes: 1, taxes: [{ name: 'VAT', amount: 0.21 }] }, last_updated: '2026-01-01T10:11:00Z' } })
    const response = await ocpiFetch('/ocpi/2.2.1/sender/sessions', { token: peerA.token })
    expect((await response.json<OcpiBody<any[]>>()).data![0]).toMatchObject({ id: 'A1', total_cost: { excl_vat: 1, incl_vat: 1.21 } })
  })

  it('charging_preferences: another party\'s or an unknown session is unknown; an EVSE without the capability answers 404/2001', async () => {
    const preferences = { profile_type: 'FAST', energy_need: 20 }
    const foreign = await ocpiFetch('/ocpi/2.3.0/sender/sessions/B1/charging_preferences', { token: peerA.token, method: 'PUT', body: preferences })
    expect(foreign.status).toBe(404)
    expect((await foreign.json<OcpiBody>()).status_code).toBe(2003)
    const unknown = await ocpiFetch('/ocpi/2.3.0/sender/sessions/NOPE/charging_preferences', { token: peerA.token, method: 'PUT', body: preferences })
    expect((await unknown.json<OcpiBody>()).status_code).toBe(2003)
    const incapable = await ocpiFetch('/ocpi/2.3.0/sender/sessions/A1/charging_preferences', { token: peerA.token, method: 'PUT', body: preferences })
    expect(incapable.status).toBe(404)
    expect((await incapable.json<OcpiBody>()).status_code).toBe(2001)
    const invalid = await ocpiFetch('/ocpi/2.3.0/sender/sessions/A1/charging_preferences', { token: peerA.token, method: 'PUT', body: { profile_type: 'TURBO' } })
    expect(await invalid.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'profile_type' } })
  })
})

describe('Sessions management API', () => {
  let cpo: Party
  const emsp = { country_code: 'DE', party_id: uniquePartyId() }

  beforeAll(async () => {
    cpo = await hostParty('CPO', 'NL')
  })

  it('writes only for a hosted CPO, fills ids and last_updated, and refuses an older write with 409', async () => {
    const { country_code, party_id, id, last_updated, ...body } = sessionOf(cpo, emsp, 'M1')
    const unknown = await adminFetch(`/sessions/NL/${uniquePartyId()}/M1`, { method: 'PUT', body })
    expect(unknown.status).toBe(404)
    const put = await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/M1`, { method: 'PUT', body })
    expect(put.status).toBe(201)
    const written = await put.json<any>()
    expect(written).toMatchObject({ ...cpo, id: 'M1' })
    expect((await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/M1`, { method: 'PUT', body })).status).toBe(200)
    const older = await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/M1`, { method: 'PUT', body: { ...body, last_updated: '2001-01-01T00:00:00Z' } })
    expect(older.status).toBe(409)
    const patch = await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/M1`, { method: 'PATCH', body: { status: 'COMPLETED', end_date_time: '2026-01-01T12:00:00Z' } })
    expect(await patch.json<any>()).toMatchObject({ status: 'COMPLETED', kwh: 0 })
    const missing = await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/M404`, { method: 'PATCH', body: { status: 'COMPLETED' } })
    expect(missing.status).toBe(404)
  })

  it('lists by owner and token party', async () => {
    const list = await adminFetch(`/sessions?source=own&party=${cpo.country_code}*${cpo.party_id}&token_party=${emsp.country_code}*${emsp.party_id}`)
    expect(list.headers.get('X-Total-Count')).toBe('1')
    expect((await list.json<any[]>()).map((session) => session.id)).toEqual(['M1'])
    const bad = await adminFetch('/sessions?party=nope')
    expect(bad.status).toBe(400)
  })
})

describe('pushes of own sessions', () => {
  it('go to the peer representing the token\'s eMSP only, addressed to that party; new charging periods go out as a PUT', async () => {
    const { env } = await import('cloudflare:workers')
    const cpo = await hostParty('CPO', 'NL')
    const emsp = { country_code: 'DE', party_id: uniquePartyId() }
    const endpoints = (identifier: string) => [{ identifier, role: 'RECEIVER' as const, url: 'http://127.0.0.1:9/ocpi/2.3.0/sessions' }]
    const tokenPeer = await registeredPeer({ roles: [roleOf('EMSP', emsp)], fields: { endpoints: endpoints('sessions') } })
    const otherPeer = await registeredPeer({ roles: [roleOf('EMSP', { country_code: 'DE', party_id: uniquePartyId() })], fields: { endpoints: endpoints('sessions') } })
    const path = `/sessions/${cpo.country_code}/${cpo.party_id}/P1`
    await new Promise((resolve) => setTimeout(resolve, 1_100)) // publish caches the connected peers for a second
    await adminFetch(path, { method: 'PUT', body: sessionOf(cpo, emsp, 'P1', { status: 'ACTIVE', last_updated: '2026-02-01T10:00:00Z' }) })
    await adminFetch(path, { method: 'PATCH', body: { charging_periods: [{ start_date_time: '2026-02-01T10:00:00Z', dimensions: [{ type: 'ENERGY', volume: 1 }] }], last_updated: '2026-02-01T10:05:00Z' } })
    const outbox = (peerId: string) => env.PEER_OUTBOX.get(env.PEER_OUTBOX.idFromName(peerId))
    const queued = await outbox(tokenPeer.id).list()
    expect(queued.length).toBeGreaterThanOrEqual(1)
    for (const push of queued) {
      expect(push).toMatchObject({ module: 'sessions', method: 'PUT', path: [cpo.country_code, cpo.party_id, 'P1'], to: emsp })
    }
    expect(await outbox(otherPeer.id).list()).toEqual([])
  })
})
