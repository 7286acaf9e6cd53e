import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakePeer } from './fake-peer'
import { cdrOf, partyId } from './driver-records'
import { a, b, grantsOf, unique } from './harness'

// Sessions and CDRs between two real platforms: a hosts a CPO, b an eMSP whose driver charges at a. a pushes the
// session (PUT, then PATCHes) and posts the CDR to b through its outbox; b stores them as received.

const poll = { timeout: 20_000, interval: 250 }

describe.each(['2.2.1', '2.3.0'] as const)('sessions and CDRs from CPO platform a to eMSP platform b over %s', (version) => {
  const cpo = { country_code: 'NL', party_id: partyId() }
  const emsp = { country_code: 'DE', party_id: partyId() }
  const sessionId = unique('S')
  const cdr_token = { ...emsp, uid: unique('RFID'), type: 'RFID', contract_id: `${emsp.country_code}-${emsp.party_id}-C${unique('')}` }
  const session = {
    start_date_time: '2026-03-01T10:00:00Z', kwh: 0, cdr_token, auth_method: 'WHITELIST', location_id: 'LOC1', evse_uid: 'EVSE1',
    connector_id: '1', currency: 'EUR', status: 'ACTIVE', last_updated: '2026-03-01T10:00:00Z',
  }
  const sessionPath = `/sessions/${cpo.country_code}/${cpo.party_id}/${sessionId}`
  const receivedSession = () => b.adminRaw('GET', `${sessionPath}?source=received`)
  const otherEmsp = new FakePeer({ modules: ['sessions'], role: { role: 'EMSP', country_code: 'DE', party_id: partyId() } })
  let otherEmspToken: string

  beforeAll(async () => {
    await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'E2E CPO' } })
    await b.admin('POST', '/parties', { ...emsp, role: 'EMSP', business_details: { name: 'E2E eMSP' } })
    const invite = await a.admin('POST', '/peers/invite', { name: `b over ${version}`, grants: await grantsOf(b) })
    expect(await b.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version, grants: await grantsOf(a) })).toMatchObject({ version, status: 'CONNECTED' })

    // Another eMSP, registered with a, that must never see b's driver's session.
    await otherEmsp.start()
    const otherInvite = await a.admin('POST', '/peers/invite', { name: 'other eMSP' })
    const registration = await a.ocpi('POST', `/ocpi/${version}/credentials`, { token: otherInvite.token_a, body: otherEmsp.credentials(otherEmsp.issueToken()) })
    expect(registration.body, JSON.stringify(registration.body)).toMatchObject({ status_code: 1000 })
    otherEmspToken = registration.body.data.token
  })
  afterAll(() => otherEmsp.stop())

  it('pushes a session written on a to b', async () => {
    expect((await a.adminRaw('PUT', sessionPath, session)).status).toBe(201)
    await expect.poll(async () => (await receivedSession()).body, poll).toMatchObject({ ...cpo, id: sessionId, status: 'ACTIVE', cdr_token })
  })

  it('pushes a new charging period as a PATCH that b adds to the session', async () => {
    const period = { start_date_time: '2026-03-01T10:00:00Z', dimensions: [{ type: 'ENERGY', volume: 3.5 }], tariff_id: 'T1' }
    await a.admin('PATCH', sessionPath, { kwh: 3.5, charging_periods: [period], total_cost: { before_taxes: 1.4, taxes: [{ name: 'VAT', amount: 0.29 }] }, last_updated: '2026-03-01T10:15:00Z' })
    await expect.poll(async () => (await receivedSession()).body, poll).toMatchObject({
      kwh: 3.5, charging_periods: [period], total_cost: { before_taxes: 1.4, taxes: [{ name: 'VAT', amount: 0.29 }] }, last_updated: '2026-03-01T10:15:00Z',
    })
  })

  it('never shows the session to another eMSP pulling from a', async () => {
    const list = await a.ocpi('GET', `/ocpi/${version}/sender/sessions`, { token: otherEmspToken })
    expect(list.body.status_code).toBe(1000)
    expect(list.body.data.map((item: { id: string }) => item.id)).not.toContain(sessionId)
  })

  it('posts the CDR written on a to b', async () => {
    const cdrId = unique('CDR')
    const cdr = cdrOf(cpo, cdr_token, sessionId, cdrId)
    expect((await a.adminRaw('POST', `/cdrs/${cpo.country_code}/${cpo.party_id}`, cdr)).status).toBe(201)
    await a.admin('PATCH', sessionPath, { status: 'COMPLETED', end_date_time: '2026-03-01T10:30:00Z', kwh: 7, last_updated: '2026-03-01T10:31:00Z' })
    await expect.poll(async () => (await b.adminRaw('GET', `/cdrs/${cpo.country_code}/${cpo.party_id}/${cdrId}?source=received`)).body, poll)
      .toMatchObject({ id: cdrId, session_id: sessionId, total_cost: { before_taxes: 2.8, taxes: [{ name: 'VAT', amount: 0.59 }] }, cdr_token })
    await expect.poll(async () => (await receivedSession()).body?.status, poll).toBe('COMPLETED')
    const list = await b.admin('GET', `/cdrs?source=received&token_party=${emsp.country_code}*${emsp.party_id}`)
    expect(list.map((item: { id: string }) => item.id)).toEqual([cdrId])
  })
})

describe('the CDRs receiver of b, as a CPO client sees it', () => {
  const emsp = { country_code: 'DE', party_id: partyId() }
  const cpo = new FakePeer({ modules: ['cdrs'], role: { role: 'CPO', country_code: 'NL', party_id: partyId() } })
  let token: string

  beforeAll(async () => {
    await b.admin('POST', '/parties', { ...emsp, role: 'EMSP', business_details: { name: 'E2E eMSP' } })
    await cpo.start()
    const invite = await b.admin('POST', '/peers/invite', { name: 'scripted CPO' })
    const registration = await b.ocpi('POST', '/ocpi/2.3.0/credentials', { token: invite.token_a, body: cpo.credentials(cpo.issueToken()) })
    expect(registration.body, JSON.stringify(registration.body)).toMatchObject({ status_code: 1000 })
    token = registration.body.data.token
  })
  afterAll(() => cpo.stop())

  it('answers a POST with 201 and a Location where the CDR can be read back', async () => {
    const cdr = {
      country_code: cpo.role.country_code, party_id: cpo.role.party_id, id: unique('CDR'), start_date_time: '2026-03-01T10:00:00Z', end_date_time: '2026-03-01T11:00:00Z',
      cdr_token: { ...emsp, uid: unique('U'), type: 'APP_USER', contract_id: 'DE-XYZ-C1' }, auth_method: 'COMMAND',
      cdr_location: {
        id: 'L', address: 'A 1', city: 'Berlin', country: 'DEU', coordinates: { latitude: '52.520008', longitude: '13.404954' }, evse_uid: 'E', evse_id: 'DE*ABC*E1',
        connector_id: '1', connector_standard: 'IEC_62196_T2_COMBO', connector_format: 'CABLE', connector_power_type: 'DC',
      },
      currency: 'EUR', charging_periods: [{ start_date_time: '2026-03-01T10:00:00Z', dimensions: [{ type: 'TIME', volume: 1 }] }],
      total_cost: { before_taxes: 10 }, total_energy: 40, total_time: 1, last_updated: '2026-03-01T11:01:00Z',
    }
    const post = await b.ocpi('POST', '/ocpi/2.3.0/receiver/cdrs', { token, body: cdr })
    expect(post.status).toBe(201)
    expect(post.body.status_code).toBe(1000)
    const location = post.headers.get('Location')!
    expect(location.startsWith(`${b.url}/ocpi/2.3.0/receiver/cdrs/`)).toBe(true)
    const get = await b.ocpi('GET', location, { token })
    expect(get.status).toBe(200)
    expect(get.body.data).toEqual(cdr)
  })
})
