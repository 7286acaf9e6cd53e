import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import started from '../../fixtures/spec/2.3.0/examples/session_example_1_simple_start.json'
import cdrExample from '../../fixtures/spec/2.3.0/examples/cdr_example.json'
import session211 from '../../fixtures/spec/2.1.1/examples/session_example_1_simple_start.json'
import { cdrTo211 } from '../../../src/ocpi/objects/v211/cdr'
import type { CDR } from '../../../src/ocpi/objects/cdr'
import { invalidatePushPeers, peerOutbox } from '../../../src/push/publish'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { fakePeer, purgeTestOutboxes, testOutbox, type ReceivedPush } from '../../push/fixtures'
import { hostParty, roleOf, toHeaders, uniquePartyId } from '../tokens/fixtures'
import { putOwn, sampleLocation } from '../locations/fixtures'

// Sessions and CDRs over OCPI 2.1.1 (mod_sessions.md, mod_cdrs.md of 2.1.1): objects without their party, the
// connection's one party in their place, the Location embedded in a Session, no routing headers.

type Party = { country_code: string; party_id: string }

const sessionOf = (cpo: Party, emsp: Party, id: string, fields: Record<string, unknown> = {}) => ({
  ...started, ...cpo, id, location_id: 'LOC211', evse_uid: 'LOC211-E1', connector_id: '1',
  cdr_token: { ...started.cdr_token, ...emsp, uid: `UID-${id}`, contract_id: `C-${id}` }, ...fields,
})
const cdrOf = (cpo: Party, emsp: Party, id: string, fields: Record<string, unknown> = {}) => ({
  ...cdrExample, ...cpo, id, cdr_token: { ...cdrExample.cdr_token, ...emsp, uid: `UID-${id}`, contract_id: `C-${id}` }, ...fields,
})

describe('sessions and CDRs sent to a 2.1.1 eMSP (we are the CPO)', () => {
  let cpo: Party
  let other: Party
  const emsp = { country_code: 'DE', party_id: uniquePartyId() }
  let peer: { id: string; token: string }

  beforeAll(async () => {
    cpo = await hostParty('CPO', 'NL')
    other = await hostParty('CPO', 'NL')
    peer = await registeredPeer({ roles: [roleOf('EMSP', emsp)], version: '2.1.1', fields: { own_party: cpo } })
    await putOwn(sampleLocation(cpo, 'LOC211', { name: 'Station 211' }))
    for (const [party, id] of [[cpo, 'S211'], [other, 'O211']] as const) {
      const response = await adminFetch(`/sessions/${party.country_code}/${party.party_id}/${id}`, { method: 'PUT', body: sessionOf(party, emsp, id, { status: 'ACTIVE' }) })
      expect(response.status, await response.clone().text()).toBe(201)
    }
    for (const [party, id] of [[cpo, 'C211'], [other, 'X211']] as const) {
      const { country_code: _c, party_id: _p, last_updated: _l, ...body } = cdrOf(party, emsp, id)
      const response = await adminFetch(`/cdrs/${party.country_code}/${party.party_id}`, { method: 'POST', body })
      expect(response.status, await response.clone().text()).toBe(201)
    }
  })

  it('lists sessions and CDRs in the 2.1.1 details', async () => {
    const body = await (await ocpiFetch('/ocpi/2.1.1/details', { token: peer.token })).json<OcpiBody<{ endpoints: { identifier: string; url: string }[] }>>()
    const byModule = Object.fromEntries(body.data!.endpoints.map((endpoint) => [endpoint.identifier, endpoint.url]))
    expect(byModule.sessions).toMatch(/\/ocpi\/2\.1\.1\/sender\/sessions$/)
    expect(byModule.cdrs).toMatch(/\/ocpi\/2\.1\.1\/sender\/cdrs$/)
  })

  it('serves the connection\'s CPO party\'s sessions in the 2.1.1 shape with the stored Location embedded, whatever routing headers say', async () => {
    const response = await ocpiFetch('/ocpi/2.1.1/sender/sessions', { token: peer.token, headers: toHeaders(other) })
    const body = await response.json<OcpiBody<any[]>>()
    expect(body.status_code, JSON.stringify(body)).toBe(1000)
    expect(body.data!.map((session) => session.id)).toEqual(['S211'])
    const [session] = body.data!
    expect(session).toMatchObject({ id: 'S211', auth_id: 'C-S211', start_datetime: started.start_date_time, status: 'ACTIVE' })
    expect(session.location).toMatchObject({ id: 'LOC211', name: 'Station 211', evses: [{ uid: 'LOC211-E1', connectors: [{ id: '1' }] }] })
    for (const field of ['country_code', 'party_id', 'cdr_token', 'location_id', 'start_date_time']) expect(session).not.toHaveProperty(field)
  })

  it('serves the connection\'s CPO party\'s CDRs in the 2.1.1 shape', async () => {
    const body = await (await ocpiFetch('/ocpi/2.1.1/sender/cdrs', { token: peer.token })).json<OcpiBody<any[]>>()
    expect(body.status_code, JSON.stringify(body)).toBe(1000)
    expect(body.data!.map((cdr) => cdr.id)).toEqual(['C211'])
    expect(body.data![0]).toMatchObject({ auth_id: 'C-C211', stop_date_time: cdrExample.end_date_time, location: { id: cdrExample.cdr_location.id } })
    for (const field of ['country_code', 'party_id', 'cdr_token', 'cdr_location', 'end_date_time']) expect(body.data![0]).not.toHaveProperty(field)
  })
})

describe('pushes to a 2.1.1 eMSP', () => {
  let restore: (() => void) | undefined
  afterEach(async () => {
    await purgeTestOutboxes()
    restore?.()
  })

  async function delivered(peerId: string, received: ReceivedPush[]) {
    const outbox = peerOutbox(env, peerId)
    for (let runs = 0; runs < 20 && (await runDurableObjectAlarm(outbox)); runs++);
    return received.filter((push) => new URL(push.url).host === 'emsp211.example.com')
  }

  it('carry the 2.1.1 Session with its stored Location and the 2.1.1 CDR, without routing headers', async () => {
    const fake = fakePeer()
    restore = fake.restore
    const cpo = await hostParty('CPO', 'NL')
    const emsp = { country_code: 'DE', party_id: uniquePartyId() }
    const base = 'https://emsp211.example.com/ocpi/emsp/2.1.1'
    const peer = await registeredPeer({
      roles: [roleOf('EMSP', emsp)], version: '2.1.1',
      fields: { own_party: cpo, endpoints: [{ identifier: 'sessions', role: 'RECEIVER', url: `${base}/sessions` }, { identifier: 'cdrs', role: 'RECEIVER', url: `${base}/cdrs` }] },
    })
    testOutbox(peer.id)
    invalidatePushPeers()
    await putOwn(sampleLocation(cpo, 'LOC211', { name: 'Pushed 211' }))
    const put = await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/P211`, { method: 'PUT', body: sessionOf(cpo, emsp, 'P211', { status: 'ACTIVE' }) })
    expect(put.status, await put.clone().text()).toBe(201)
    const { country_code: _c, party_id: _p, last_updated: _l, ...cdr } = cdrOf(cpo, emsp, 'PC211')
    expect((await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body: cdr })).status).toBe(201)
    const pushes = await delivered(peer.id, fake.received)
    expect(pushes.length, JSON.stringify(fake.received.map((push) => push.url))).toBeGreaterThanOrEqual(2)
    const session = pushes.find((push) => push.url === `${base}/sessions/${cpo.country_code}/${cpo.party_id}/P211`)
    expect(session?.method).toBe('PUT')
    expect(session?.body).toMatchObject({ id: 'P211', auth_id: 'C-P211', location: { id: 'LOC211', name: 'Pushed 211' } })
    expect(session?.body).not.toHaveProperty('cdr_token')
    expect(session?.headers.get('OCPI-to-party-id')).toBeNull()
    const posted = pushes.find((push) => push.url === `${base}/cdrs`)
    expect(posted?.body).toMatchObject({ id: 'PC211', auth_id: 'C-PC211', stop_date_time: cdrExample.end_date_time })
    expect(posted?.body).not.toHaveProperty('cdr_location')
  })
})

describe('sessions and CDRs pushed by a 2.1.1 CPO (we are the eMSP)', () => {
  let emsp: Party
  const cpo = { country_code: 'BE', party_id: uniquePartyId() }
  let peer: { id: string; token: string }

  beforeAll(async () => {
    emsp = await hostParty('EMSP', 'DE')
    peer = await registeredPeer({ roles: [roleOf('CPO', cpo)], version: '2.1.1', fields: { own_party: emsp } })
  })

  it('stores a 2.1.1 Session for the CPO in the URL, its token of our eMSP party on the connection, and PATCHes it', async () => {
    const url = `/ocpi/2.1.1/receiver/sessions/${cpo.country_code}/${cpo.party_id}/101`
    const put = await ocpiFetch(url, { token: peer.token, method: 'PUT', body: session211 })
    expect(await put.json<OcpiBody>()).toMatchObject({ status_code: 1000 })
    expect(put.status).toBe(201)
    const patch = await ocpiFetch(url, { token: peer.token, method: 'PATCH', body: { kwh: 5, status: 'ACTIVE' } })
    expect(await patch.json<OcpiBody>()).toMatchObject({ status_code: 1000 })
    const stored = await (await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/101?source=received`)).json<any>()
    expect(stored).toMatchObject({
      ...cpo, id: '101', kwh: 5, status: 'ACTIVE', location_id: 'LOC1', evse_uid: '3256', connector_id: '1',
      cdr_token: { ...emsp, contract_id: session211.auth_id },
    })
    const back = await (await ocpiFetch(url, { token: peer.token })).json<OcpiBody<any>>()
    expect(back.data).toMatchObject({ id: '101', auth_id: session211.auth_id, start_datetime: session211.start_datetime })
  })

  it('stores a POSTed 2.1.1 CDR and answers with its Location', async () => {
    // The spec's own 2.1.1 CDR example is not valid JSON (a trailing comma): the 2.3.0 example in the 2.1.1 shape instead.
    const cdr211 = cdrTo211(cdrOf(cpo, { country_code: 'XX', party_id: 'XXX' }, '12345') as CDR)
    const response = await ocpiFetch('/ocpi/2.1.1/receiver/cdrs', { token: peer.token, method: 'POST', body: cdr211 })
    expect(await response.json<OcpiBody>()).toMatchObject({ status_code: 1000 })
    expect(response.status).toBe(201)
    expect(response.headers.get('Location')).toMatch(new RegExp(`/ocpi/2\\.1\\.1/receiver/cdrs/${cpo.country_code}/${cpo.party_id}/12345$`))
    const stored = await (await ocpiFetch(new URL(response.headers.get('Location')!).pathname, { token: peer.token })).json<OcpiBody<any>>()
    expect(stored.data).toMatchObject({ id: '12345', auth_id: cdr211.auth_id, stop_date_time: cdr211.stop_date_time })
    const kept = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/12345?source=received`)).json<any>()
    expect(kept, JSON.stringify(kept)).toMatchObject({ ...cpo, cdr_token: { ...emsp, contract_id: 'C-12345' } })
  })
})
