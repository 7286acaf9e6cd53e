import { beforeAll, describe, expect, it } from 'vitest'
import tariff211 from '../../fixtures/spec/2.1.1/examples/tariff_1_simple_2hour.json'
import { ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { hostParty, roleOf, uniquePartyId } from '../tokens/fixtures'
import { tariffBody } from './fixtures'

// The Tariffs Receiver of OCPI 2.1.1 has PATCH, "the same as the PUT method, except that the fields/objects that have
// to be updated have to be present" (mod_tariffs.md of 2.1.1, 2.2.3); 2.2 made it n/a, so 2.2.1 and 2.3.0 answer a
// PATCH as an unknown endpoint. We never send one: tariff pushes are PUT and DELETE (src/modules/tariffs/push.ts).

type Party = { country_code: string; party_id: string }

/** The body of the spec's example "Change Tariff to 2,50" (mod_tariffs.md of 2.1.1, 2.2.3). */
const changeTo250 = { elements: [{ price_components: [{ type: 'TIME', price: 2.50, step_size: 300 }] }] }

describe('tariffs PATCHed by a 2.1.1 CPO (we are the eMSP)', () => {
  const cpo: Party = { country_code: 'BE', party_id: uniquePartyId() }
  let peer: { token: string }
  const url = (id: string) => `/ocpi/2.1.1/receiver/tariffs/${cpo.country_code}/${cpo.party_id}/${id}`
  const call = async (method: string, id: string, body?: unknown) => {
    const response = await ocpiFetch(url(id), { token: peer.token, method, ...(body === undefined ? {} : { body }) })
    return { status: response.status, body: await response.json<OcpiBody<any>>() }
  }

  beforeAll(async () => {
    const emsp = await hostParty('EMSP', 'DE')
    peer = await registeredPeer({ roles: [roleOf('CPO', cpo)], version: '2.1.1', fields: { own_party: emsp } })
  })

  it('applies the fields of a PATCH to the stored tariff and keeps the others', async () => {
    expect((await call('PUT', '12', { ...tariff211, tariff_alt_url: 'https://cpo.example.com/tariffs/12' })).body.status_code).toBe(1000)
    const before = Date.now()
    expect(await call('PATCH', '12', changeTo250)).toMatchObject({ status: 200, body: { status_code: 1000 } })
    const stored = (await call('GET', '12')).body.data
    expect(stored).toMatchObject({ id: '12', currency: 'EUR', tariff_alt_url: 'https://cpo.example.com/tariffs/12', elements: changeTo250.elements })
    // No last_updated in the PATCH: the time it was received.
    expect(Date.parse(stored.last_updated)).toBeGreaterThanOrEqual(before - 1000)
  })

  it('ignores a PATCH older than the stored tariff, as a PUT', async () => {
    await call('PUT', 'T-OLD', { ...tariff211, id: 'T-OLD', last_updated: '2026-03-02T00:00:00Z' })
    expect((await call('PATCH', 'T-OLD', { ...changeTo250, last_updated: '2026-03-01T00:00:00Z' })).body.status_code).toBe(1000)
    expect((await call('GET', 'T-OLD')).body.data).toMatchObject({ elements: tariff211.elements, last_updated: '2026-03-02T00:00:00Z' })
  })

  it('refuses an invalid PATCH with the field path and changes nothing', async () => {
    await call('PUT', 'T-BAD', { ...tariff211, id: 'T-BAD' })
    const cases: Array<[unknown, string]> = [
      [{ elements: [] }, 'elements'],
      [{ elements: [{ price_components: [{ type: 'TIME', price: 'free', step_size: 300 }] }] }, 'elements.0.price_components.0.price'],
      [{ id: 'OTHER' }, 'id'],
      [{ currency: 'EURO' }, 'currency'],
    ]
    for (const [patch, path] of cases) {
      expect((await call('PATCH', 'T-BAD', patch)).body, path).toMatchObject({ status_code: 2001, data: { path } })
    }
    expect((await call('PATCH', 'T-BAD', [changeTo250])).body).toMatchObject({ status_code: 2001, status_message: 'The PATCH body must be a JSON object' })
    expect((await call('GET', 'T-BAD')).body.data).toMatchObject({ id: 'T-BAD', currency: 'EUR', elements: tariff211.elements, last_updated: tariff211.last_updated })
  })

  it('answers a PATCH of a tariff it does not hold from this peer with 2003', async () => {
    expect(await call('PATCH', 'NONE', changeTo250)).toMatchObject({ status: 404, body: { status_code: 2003 } })
  })
})

describe.each(['2.2.1', '2.3.0'] as const)('a tariff PATCH over %s, where the spec has none', (version) => {
  it('is answered as an unknown endpoint and changes nothing', async () => {
    const cpo = { country_code: 'BE', party_id: uniquePartyId() }
    const peer = await registeredPeer({ version, roles: [roleOf('CPO', cpo)] })
    const path = `/ocpi/${version}/receiver/tariffs/${cpo.country_code}/${cpo.party_id}/T1`
    const tariff = { ...cpo, id: 'T1', ...tariffBody(), last_updated: '2026-03-01T10:00:00Z' }
    expect((await (await ocpiFetch(path, { token: peer.token, method: 'PUT', body: tariff })).json<OcpiBody>()).status_code).toBe(1000)
    const patched = await ocpiFetch(path, { token: peer.token, method: 'PATCH', body: changeTo250 })
    expect(patched.status).toBe(404)
    expect(await patched.json<OcpiBody>()).toMatchObject({ status_code: 2000 })
    expect((await (await ocpiFetch(path, { token: peer.token })).json<OcpiBody<any>>()).data).toMatchObject({ elements: tariff.elements })
  })
})
