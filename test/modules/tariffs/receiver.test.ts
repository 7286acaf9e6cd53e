import { describe, expect, it } from 'vitest'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { json, tariffBody, uniqueParty } from './fixtures'

async function cpoPeer(version: '2.2.1' | '2.3.0' = '2.3.0') {
  const party = uniqueParty('BE')
  const peer = await registeredPeer({ version, roles: [{ role: 'CPO', ...party, business_details: { name: 'CPO' } }] })
  return { ...peer, party, path: (id: string) => `/ocpi/${version}/receiver/tariffs/${party.country_code}/${party.party_id}/${id}` }
}

const tariff = (party: { country_code: string; party_id: string }, id: string, fields: Record<string, unknown> = {}) =>
  ({ ...party, id, ...tariffBody(), last_updated: '2026-03-01T10:00:00Z', ...fields })

const call = async (path: string, options: Parameters<typeof ocpiFetch>[1]) => {
  const response = await ocpiFetch(path, options)
  return { status: response.status, body: await json<OcpiBody>(response) }
}

describe('Tariffs Receiver interface', () => {
  it('stores a pushed tariff and returns it on GET', async () => {
    const peer = await cpoPeer()
    const pushed = tariff(peer.party, 'T1')
    expect((await call(peer.path('T1'), { method: 'PUT', token: peer.token, body: pushed })).body.status_code).toBe(1000)
    const got = await call(peer.path('t1'), { token: peer.token }) // CiString: ids are case-insensitive
    expect(got.body).toMatchObject({ status_code: 1000, data: pushed })
  })

  it('never lets an older last_updated overwrite a newer tariff', async () => {
    const peer = await cpoPeer()
    await call(peer.path('T2'), { method: 'PUT', token: peer.token, body: tariff(peer.party, 'T2', { last_updated: '2026-03-02T00:00:00Z' }) })
    const older = await call(peer.path('T2'), { method: 'PUT', token: peer.token, body: tariff(peer.party, 'T2', { currency: 'USD', last_updated: '2026-03-01T00:00:00Z' }) })
    expect(older.body.status_code).toBe(1000)
    expect((await call(peer.path('T2'), { token: peer.token })).body.data).toMatchObject({ currency: 'EUR', last_updated: '2026-03-02T00:00:00Z' })
  })

  it('refuses ids that differ from the URL, parties the peer does not represent, and invalid fields, with the path', async () => {
    const peer = await cpoPeer()
    const other = uniqueParty('FR')
    const cases: Array<[string, unknown, string]> = [
      [peer.path('T3'), tariff(peer.party, 'OTHER'), 'id'],
      [peer.path('T3'), tariff(other, 'T3'), 'country_code'],
      [`/ocpi/2.3.0/receiver/tariffs/${other.country_code}/${other.party_id}/T3`, tariff(other, 'T3'), 'country_code'],
      [peer.path('T3'), tariff(peer.party, 'T3', { tax_included: 'MAYBE' }), 'tax_included'],
      [peer.path('T3'), tariff(peer.party, 'T3', { elements: [] }), 'elements'],
      [peer.path('T3'), { ...tariff(peer.party, 'T3'), last_updated: undefined }, 'last_updated'],
      [peer.path('T3'), tariff(peer.party, 'T3', { currency: 'USDC' }), 'currency'],
    ]
    for (const [path, body, field] of cases) {
      const result = await call(path, { method: 'PUT', token: peer.token, body })
      expect(result.body, `${field}`).toMatchObject({ status_code: 2001, data: { path: field } })
    }
    expect((await call(peer.path('T3'), { token: peer.token })).status).toBe(404)
  })

  it('refuses a tariff of a party the peer represents in another role than CPO', async () => {
    const party = uniqueParty('DE')
    const emsp = await registeredPeer({ roles: [{ role: 'EMSP', ...party, business_details: { name: 'MSP' } }] })
    const result = await call(`/ocpi/2.3.0/receiver/tariffs/${party.country_code}/${party.party_id}/T8`, { method: 'PUT', token: emsp.token, body: tariff(party, 'T8') })
    expect(result.body).toMatchObject({ status_code: 2001, data: { path: 'country_code' } })
  })

  it('accepts a non-ISO currency longer than three characters from a peer that opted in', async () => {
    const peer = await cpoPeer()
    await adminFetch(`/peers/${peer.id}/tariff-settings`, { method: 'PUT', body: { non_iso_currencies: true } })
    expect((await call(peer.path('T4'), { method: 'PUT', token: peer.token, body: tariff(peer.party, 'T4', { currency: 'USDC' }) })).body.status_code).toBe(1000)
  })

  it('deletes a tariff, then answers 2003 for it (404 on GET)', async () => {
    const peer = await cpoPeer()
    await call(peer.path('T5'), { method: 'PUT', token: peer.token, body: tariff(peer.party, 'T5') })
    expect((await call(peer.path('T5'), { method: 'DELETE', token: peer.token })).body.status_code).toBe(1000)
    expect(await call(peer.path('T5'), { token: peer.token })).toMatchObject({ status: 404, body: { status_code: 2003 } })
    expect((await call(peer.path('T5'), { method: 'DELETE', token: peer.token })).body.status_code).toBe(2003)
  })

  it('does not show one peer the tariffs another peer pushed', async () => {
    const owner = await cpoPeer()
    await call(owner.path('T6'), { method: 'PUT', token: owner.token, body: tariff(owner.party, 'T6') })
    const stranger = await cpoPeer()
    const peeking = await call(owner.path('T6'), { token: stranger.token })
    expect(peeking.body.status_code).toBe(2001)
    const deleting = await call(owner.path('T6'), { method: 'DELETE', token: stranger.token })
    expect(deleting.body.status_code).toBe(2001)
    expect((await call(owner.path('T6'), { token: owner.token })).body.status_code).toBe(1000)
  })

  it('stores a 2.2.1 push canonically (tax_included NO, PriceLimit) and lists it as received', async () => {
    const peer = await cpoPeer('2.2.1')
    const { tax_included: _dropped, ...pushed } = tariff(peer.party, 'T7', { min_price: { excl_vat: 1, incl_vat: 1.21 } })
    expect((await call(peer.path('T7'), { method: 'PUT', token: peer.token, body: pushed })).body.status_code).toBe(1000)
    const listed = await json(await adminFetch(`/tariffs?source=received&party=${peer.party.country_code}*${peer.party.party_id}`))
    expect(listed).toEqual([expect.objectContaining({ id: 'T7', tax_included: 'NO', min_price: { before_taxes: 1, after_taxes: 1.21 } })])
  })
})
