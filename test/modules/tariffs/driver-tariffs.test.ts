import { afterEach, describe, expect, it } from 'vitest'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { purgeTestOutboxes } from '../../push/fixtures'
import { holdingPeer, hostParty, json, uniqueParty } from './fixtures'

afterEach(() => purgeTestOutboxes())

const agreed = ['x-driver-tariffs']

const driverTariff = (fields: Record<string, unknown> = {}) => ({
  currency: 'EUR',
  tax_included: 'YES',
  tariff_alt_text: [{ language: 'en', text: '0.49 EUR/kWh incl. VAT, billed by your provider' }],
  elements: [{ price_components: [{ type: 'ENERGY', price: 0.49, vat: 21, step_size: 1 }] }],
  prepaid_limits: { max_cost: { before_taxes: 16.53, after_taxes: 20 }, max_kwh: 40, max_duration: 7200 },
  ...fields,
})

describe('x-driver-tariffs: eMSP side (owner, Sender)', () => {
  it('stores an owner write, pushes it to CPO peers only, and serves it to CPO peers paged', async () => {
    const emsp = await hostParty('EMSP', 'DE')
    const cpoPeer = await holdingPeer({ roles: [{ role: 'CPO', country_code: 'NL', party_id: 'CPX' }], receivers: ['x-driver-tariffs'], extensions: agreed })
    const emspPeer = await holdingPeer({ roles: [{ role: 'EMSP', country_code: 'FR', party_id: 'MSX' }], receivers: ['x-driver-tariffs'], extensions: agreed })
    // Lists the receiver, but x-driver-tariffs was never agreed with it: nothing is sent to it.
    const unagreedCpoPeer = await holdingPeer({ roles: [{ role: 'CPO', country_code: 'NL', party_id: 'CPZ' }], receivers: ['x-driver-tariffs'] })
    const path = `/driver-tariffs/${emsp.country_code}/${emsp.party_id}/TOKEN1`

    const written = await adminFetch(path, { method: 'PUT', body: driverTariff() })
    expect(written.status).toBe(200)
    expect(await json(written)).toMatchObject({ ...emsp, token_uid: 'TOKEN1', prepaid_limits: { max_kwh: 40 } })
    expect(await cpoPeer.queued()).toMatchObject([{ module: 'x-driver-tariffs', method: 'PUT', path: [emsp.country_code, emsp.party_id, 'TOKEN1'], to: { country_code: 'NL', party_id: 'CPX' } }])
    expect(await emspPeer.queued()).toEqual([])
    expect(await unagreedCpoPeer.queued()).toEqual([])

    const cpoRoles = [{ role: 'CPO' as const, country_code: 'NL', party_id: 'CPY', business_details: { name: 'CPO' } }]
    const cpoToken = (await registeredPeer({ roles: cpoRoles, extensions: agreed })).token
    const headers = { 'OCPI-to-country-code': emsp.country_code, 'OCPI-to-party-id': emsp.party_id }
    const page = await ocpiFetch('/ocpi/2.3.0/sender/x-driver-tariffs?limit=10', { token: cpoToken, headers })
    expect((await json<OcpiBody>(page)).data).toEqual([expect.objectContaining({ token_uid: 'TOKEN1', currency: 'EUR' })])
    expect(page.headers.get('X-Total-Count')).toBe('1')

    const mspToken = (await registeredPeer({ extensions: agreed })).token
    expect((await json<OcpiBody>(await ocpiFetch('/ocpi/2.3.0/sender/x-driver-tariffs', { token: mspToken, headers }))).status_code).toBe(2000)
    const unagreed = await ocpiFetch('/ocpi/2.3.0/sender/x-driver-tariffs', { token: (await registeredPeer({ roles: cpoRoles })).token, headers })
    expect(unagreed.status).toBe(404)
    expect((await json<OcpiBody>(unagreed)).status_code).toBe(2000)

    await cpoPeer.purge()
    expect(await json(await adminFetch(path, { method: 'DELETE' }))).toEqual({ deleted: 'TOKEN1' })
    expect(await cpoPeer.queued()).toMatchObject([{ method: 'DELETE', path: [emsp.country_code, emsp.party_id, 'TOKEN1'] }])
    expect((await adminFetch(path)).status).toBe(404)
  })

  it('refuses a driver tariff with nothing to display, and writes for a party that is not a hosted eMSP', async () => {
    const emsp = await hostParty('EMSP', 'DE')
    const blank = await adminFetch(`/driver-tariffs/${emsp.country_code}/${emsp.party_id}/T`, { method: 'PUT', body: driverTariff({ elements: undefined, tariff_alt_text: [] }) })
    expect(await json(blank)).toMatchObject({ error: { code: 2001, path: 'elements' } })
    const cpo = await hostParty('CPO')
    expect((await adminFetch(`/driver-tariffs/${cpo.country_code}/${cpo.party_id}/T`, { method: 'PUT', body: driverTariff() })).status).toBe(404)
  })

  it('is listed in version details by its x- identifier, as Sender and Receiver, only to peers that agreed to it', async () => {
    const token = (await registeredPeer({ extensions: agreed })).token
    const details = await json<OcpiBody>(await ocpiFetch('/ocpi/2.3.0/details', { token }))
    expect(details.data.endpoints).toEqual(expect.arrayContaining([
      expect.objectContaining({ identifier: 'x-driver-tariffs', role: 'SENDER' }),
      expect.objectContaining({ identifier: 'x-driver-tariffs', role: 'RECEIVER' }),
    ]))
    const identifiers = (body: OcpiBody) => body.data.endpoints.map((endpoint: { identifier: string }) => endpoint.identifier)
    expect(identifiers(details).filter((identifier: string) => identifier.startsWith('x-'))).toEqual(['x-driver-tariffs', 'x-driver-tariffs'])
    const unagreed = await json<OcpiBody>(await ocpiFetch('/ocpi/2.3.0/details', { token: (await registeredPeer()).token }))
    expect(identifiers(unagreed)).toEqual(expect.arrayContaining(['credentials', 'tariffs']))
    expect(identifiers(unagreed).filter((identifier: string) => identifier.startsWith('x-'))).toEqual([])
  })
})

describe('x-driver-tariffs: CPO side (Receiver)', () => {
  async function emspPeer() {
    const party = uniqueParty('DE')
    const peer = await registeredPeer({ roles: [{ role: 'EMSP', ...party, business_details: { name: 'MSP' } }], extensions: agreed })
    return { ...peer, party, path: (uid: string) => `/ocpi/2.3.0/receiver/x-driver-tariffs/${party.country_code}/${party.party_id}/${uid}` }
  }
  const body = (party: { country_code: string; party_id: string }, uid: string, fields: Record<string, unknown> = {}) =>
    ({ ...party, token_uid: uid, ...driverTariff(), last_updated: '2026-02-01T12:00:00Z', ...fields })

  it('stores, serves, keeps the newer copy, lists received, and deletes', async () => {
    const peer = await emspPeer()
    const put = async (fields: Record<string, unknown>) => json<OcpiBody>(await ocpiFetch(peer.path('UID1'), { method: 'PUT', token: peer.token, body: body(peer.party, 'UID1', fields) }))
    expect((await put({})).status_code).toBe(1000)
    expect((await put({ currency: 'USD', last_updated: '2026-01-01T00:00:00Z' })).status_code).toBe(1000)
    expect((await json<OcpiBody>(await ocpiFetch(peer.path('UID1'), { token: peer.token }))).data).toMatchObject({ currency: 'EUR', prepaid_limits: { max_duration: 7200 } })

    const received = await json(await adminFetch(`/driver-tariffs?source=received&party=${peer.party.country_code}*${peer.party.party_id}`))
    expect(received).toEqual([expect.objectContaining({ token_uid: 'UID1' })])

    expect((await json<OcpiBody>(await ocpiFetch(peer.path('UID1'), { method: 'DELETE', token: peer.token }))).status_code).toBe(1000)
    const gone = await ocpiFetch(peer.path('UID1'), { token: peer.token })
    expect(gone.status).toBe(404)
    expect((await json<OcpiBody>(gone)).status_code).toBe(2003)
  })

  it('refuses a token_uid that differs from the URL and invalid limits, with the path', async () => {
    const peer = await emspPeer()
    const mismatch = await json<OcpiBody>(await ocpiFetch(peer.path('UID2'), { method: 'PUT', token: peer.token, body: body(peer.party, 'OTHER') }))
    expect(mismatch).toMatchObject({ status_code: 2001, data: { path: 'token_uid' } })
    const negative = await json<OcpiBody>(await ocpiFetch(peer.path('UID2'), { method: 'PUT', token: peer.token, body: body(peer.party, 'UID2', { prepaid_limits: { max_kwh: -1 } }) }))
    expect(negative).toMatchObject({ status_code: 2001, data: { path: 'prepaid_limits.max_kwh' } })
  })
})
