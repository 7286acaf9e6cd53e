import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { partyId } from './driver-records'
import { FakePeer } from './fake-peer'
import { a, b } from './harness'

// version_information_endpoint, "Custom Modules": custom moduleIDs only with parties there is an agreement with. Platform
// b (eMSP) is joined by a scripted CPO that lists x-driver-tariffs and x-gdpr receivers; b agrees to nothing at first,
// then to x-driver-tariffs through the management API.

const customIdentifiers = (details: { data: { endpoints: { identifier: string }[] } }) =>
  [...new Set(details.data.endpoints.map((endpoint) => endpoint.identifier).filter((identifier) => identifier.startsWith('x-')))]

describe.each(['2.2.1', '2.3.0'] as const)('custom module agreements over %s', (version) => {
  const cpo = new FakePeer({ versions: [version], modules: ['hubclientinfo', 'x-driver-tariffs', 'x-gdpr'], role: { role: 'CPO', country_code: 'NL', party_id: partyId() } })
  const emsp = { country_code: 'DE', party_id: partyId() }
  let peerId: string
  let token: string

  beforeAll(async () => {
    await cpo.start()
    await b.admin('POST', '/parties', { ...emsp, role: 'EMSP', business_details: { name: 'Agreement eMSP' } })
    const invite = await b.admin('POST', '/peers/invite', { name: `scripted CPO (agreements over ${version})` })
    peerId = invite.peer_id
    const registration = await b.ocpi('POST', `/ocpi/${version}/credentials`, { token: invite.token_a, body: cpo.credentials(cpo.issueToken()) })
    expect(registration.body, JSON.stringify(registration.body)).toMatchObject({ status_code: 1000 })
    token = registration.body.data.token
  })
  afterAll(async () => {
    await b.adminRaw('DELETE', `/peers/${peerId}`)
    await cpo.stop()
  })

  const driverTariffPath = (uid: string) => `/driver-tariffs/${emsp.country_code}/${emsp.party_id}/${uid}`
  const driverTariff = { currency: 'EUR', tax_included: 'YES', elements: [{ price_components: [{ type: 'ENERGY', price: 0.49, vat: 21, step_size: 1 }] }] }
  const pushedUids = () => cpo.received.filter((request) => request.path.includes('/x-driver-tariffs/')).map((request) => request.path.split('/').pop())

  it('lists no custom module to a peer without an agreement, and answers its custom routes as unknown (404)', async () => {
    expect(customIdentifiers((await b.ocpi('GET', `/ocpi/${version}/details`, { token })).body)).toEqual([])
    const refused = await b.ocpi('GET', `/ocpi/${version}/sender/x-driver-tariffs`, { token })
    expect(refused.status).toBe(404)
    expect(refused.body.status_code).toBe(2000)
    // Standard modules are unaffected.
    expect((await b.ocpi('GET', `/ocpi/${version}/sender/tokens`, { token, headers: { 'OCPI-to-country-code': emsp.country_code, 'OCPI-to-party-id': emsp.party_id } })).status).toBe(200)
  })

  it('pushes to the peer\'s custom receiver only once the extension is agreed', async () => {
    await b.admin('PUT', driverTariffPath('BEFORE1'), driverTariff)
    expect(await b.admin('GET', `/peers/${peerId}`)).toMatchObject({ extensions: [] })

    const agreed = await b.admin('PUT', `/peers/${peerId}/extensions`, { extensions: ['x-driver-tariffs'] })
    expect(agreed).toMatchObject({ peer_id: peerId, extensions: ['x-driver-tariffs'] })
    await b.admin('PUT', driverTariffPath('AFTER1'), driverTariff)
    // One FIFO queue per peer: once AFTER1 arrived, BEFORE1 would have arrived before it had it been queued.
    await expect.poll(pushedUids, { timeout: 20_000 }).toContain('AFTER1')
    expect(pushedUids()).not.toContain('BEFORE1')
  })

  it('lists and serves exactly the agreed custom modules to the peer', async () => {
    expect(customIdentifiers((await b.ocpi('GET', `/ocpi/${version}/details`, { token })).body)).toEqual(['x-driver-tariffs'])
    const page = await b.ocpi('GET', `/ocpi/${version}/sender/x-driver-tariffs`, { token, headers: { 'OCPI-to-country-code': emsp.country_code, 'OCPI-to-party-id': emsp.party_id } })
    expect(page.body.status_code).toBe(1000)
    expect((await b.ocpi('POST', `/ocpi/${version}/receiver/x-gdpr/${emsp.country_code}/${emsp.party_id}/T1/access`, { token })).status).toBe(404)
  })

  it('refuses an extension the platform does not implement, with the path', async () => {
    const unknown = await b.adminRaw('PUT', `/peers/${peerId}/extensions`, { extensions: ['x-driver-tariffs', 'x-made-up'] })
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 2001, path: 'extensions.1' } } })
    const atConnect = await a.adminRaw('POST', '/peers/connect', { versions_url: cpo.versionsUrl, token_a: 'unused', extensions: ['locations'] })
    expect(atConnect).toMatchObject({ status: 400, body: { error: { code: 2001, path: 'extensions.0' } } })
  })
})
