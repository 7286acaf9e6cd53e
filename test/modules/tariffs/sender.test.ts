import { afterEach, describe, expect, it } from 'vitest'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { purgeTestOutboxes } from '../../push/fixtures'
import { hostParty, json, tariffBody } from './fixtures'
import { present } from '../../present'

afterEach(() => purgeTestOutboxes())

const to = (party: { country_code: string; party_id: string }) => ({ 'OCPI-to-country-code': party.country_code, 'OCPI-to-party-id': party.party_id })

async function putTariff(party: { country_code: string; party_id: string }, id: string, fields: Record<string, unknown> = {}) {
  const response = await adminFetch(`/tariffs/${party.country_code}/${party.party_id}/${id}`, { method: 'PUT', body: tariffBody(fields) })
  expect(response.status, await response.clone().text()).toBe(200)
  return json(response)
}

describe('Tariffs Sender interface', () => {
  it('pages own tariffs of the addressed CPO in last_updated order, with X-Total-Count, X-Limit and a keyset Link', async () => {
    const cpo = await hostParty('CPO')
    const emsp = await registeredPeer()
    for (const [index, id] of ['T3', 'T1', 'T2'].entries()) await putTariff(cpo, id, { last_updated: `2026-01-0${index + 1}T00:00:00Z` })

    const first = await ocpiFetch('/ocpi/2.3.0/sender/tariffs?limit=2', { token: emsp.token, headers: to(cpo) })
    const firstBody = await json<OcpiBody>(first)
    expect(firstBody.status_code).toBe(1000)
    expect(firstBody.data.map((tariff: { id: string }) => tariff.id)).toEqual(['T3', 'T1'])
    expect(first.headers.get('X-Total-Count')).toBe('3')
    expect(first.headers.get('X-Limit')).toBe('2')
    const next = present(/<([^>]+)>; rel="next"/.exec(first.headers.get('Link') ?? '')?.[1], 'the next link')
    expect(next).toContain('cursor=')

    const second = await ocpiFetch(new URL(next).pathname + new URL(next).search, { token: emsp.token, headers: to(cpo) })
    expect((await json<OcpiBody>(second)).data.map((tariff: { id: string }) => tariff.id)).toEqual(['T2'])
    expect(second.headers.get('Link')).toBeNull()
  })

  it('filters by date_from (inclusive) and date_to (exclusive)', async () => {
    const cpo = await hostParty('CPO')
    const emsp = await registeredPeer()
    await putTariff(cpo, 'OLD', { last_updated: '2025-01-01T00:00:00Z' })
    await putTariff(cpo, 'MID', { last_updated: '2025-06-01T00:00:00Z' })
    await putTariff(cpo, 'NEW', { last_updated: '2025-12-01T00:00:00Z' })
    const response = await ocpiFetch('/ocpi/2.3.0/sender/tariffs?date_from=2025-06-01T00:00:00Z&date_to=2025-12-01T00:00:00Z', { token: emsp.token, headers: to(cpo) })
    expect((await json<OcpiBody>(response)).data.map((tariff: { id: string }) => tariff.id)).toEqual(['MID'])
    expect(response.headers.get('X-Total-Count')).toBe('1')
  })

  it('serves 2.2.1 peers the 2.2.1 shape', async () => {
    const cpo = await hostParty('CPO')
    const emsp = await registeredPeer({ version: '2.2.1' })
    await putTariff(cpo, 'CAP', { max_price: { before_taxes: 10, after_taxes: 12.1 } })
    const body = await json<OcpiBody>(await ocpiFetch('/ocpi/2.2.1/sender/tariffs', { token: emsp.token, headers: to(cpo) }))
    expect(body.data).toEqual([expect.objectContaining({ id: 'CAP', max_price: { excl_vat: 10, incl_vat: 12.1 } })])
    expect(body.data[0]).not.toHaveProperty('tax_included')
  })

  it('shows non-ISO currency variants only to peers that opted in, in the list, the total and single GETs', async () => {
    const cpo = await hostParty('CPO')
    const plain = await registeredPeer()
    const optedIn = await registeredPeer()
    await adminFetch(`/peers/${optedIn.id}/tariff-settings`, { method: 'PUT', body: { non_iso_currencies: true } })
    await putTariff(cpo, 'MULTI', {
      currency_variants: [
        { currency: 'CHF', elements: [{ price_components: [{ type: 'ENERGY', price: 0.33, vat: 8.1, step_size: 1 }] }] },
        { currency: 'BTC', elements: [{ price_components: [{ type: 'ENERGY', price: 0.0000041, step_size: 1 }] }] },
      ],
    })
    const idsFor = async (token: string) => {
      const response = await ocpiFetch('/ocpi/2.3.0/sender/tariffs', { token, headers: to(cpo) })
      return { ids: (await json<OcpiBody>(response)).data.map((tariff: { id: string }) => tariff.id).sort(), total: response.headers.get('X-Total-Count') }
    }
    expect(await idsFor(plain.token)).toEqual({ ids: ['MULTI', 'MULTI~CHF'], total: '2' })
    expect(await idsFor(optedIn.token)).toEqual({ ids: ['MULTI', 'MULTI~BTC', 'MULTI~CHF'], total: '3' })

    const hidden = await ocpiFetch(`/ocpi/2.3.0/sender/tariffs/${cpo.country_code}/${cpo.party_id}/MULTI~BTC`, { token: plain.token })
    expect(hidden.status).toBe(404)
    expect((await json<OcpiBody>(hidden)).status_code).toBe(2003)
    const shown = await json<OcpiBody>(await ocpiFetch(`/ocpi/2.3.0/sender/tariffs/${cpo.country_code}/${cpo.party_id}/MULTI~BTC`, { token: optedIn.token }))
    expect(shown.data).toMatchObject({ id: 'MULTI~BTC', currency: 'BTC', tariff_group_id: 'MULTI' })
  })

  it('sends tariff_group_id only to peers that agreed the multi-currency extension (2.2.1 defines no such field)', async () => {
    const cpo = await hostParty('CPO')
    const plain = await registeredPeer({ version: '2.2.1' })
    const optedIn = await registeredPeer({ version: '2.2.1' })
    await adminFetch(`/peers/${optedIn.id}/tariff-settings`, { method: 'PUT', body: { non_iso_currencies: true } })
    await putTariff(cpo, 'GROUPED', { currency_variants: [{ currency: 'CHF', elements: [{ price_components: [{ type: 'ENERGY', price: 0.33, vat: 8.1, step_size: 1 }] }] }] })
    const listed = async (token: string) => (await json<OcpiBody>(await ocpiFetch('/ocpi/2.2.1/sender/tariffs', { token, headers: to(cpo) }))).data as Record<string, unknown>[]
    for (const tariff of await listed(plain.token)) expect(tariff).not.toHaveProperty('tariff_group_id')
    expect((await listed(optedIn.token)).map((tariff) => tariff.tariff_group_id)).toEqual(['GROUPED', 'GROUPED'])
    const single = await json<OcpiBody>(await ocpiFetch(`/ocpi/2.2.1/sender/tariffs/${cpo.country_code}/${cpo.party_id}/GROUPED~CHF`, { token: plain.token }))
    expect(single.data).not.toHaveProperty('tariff_group_id')
  })

  it('never re-shares tariffs received from other peers', async () => {
    const cpoPeer = await registeredPeer({ roles: [{ role: 'CPO', country_code: 'BE', party_id: 'RCV', business_details: { name: 'CPO' } }] })
    const put = await ocpiFetch('/ocpi/2.3.0/receiver/tariffs/BE/RCV/FOREIGN', {
      method: 'PUT', token: cpoPeer.token, body: { country_code: 'BE', party_id: 'RCV', id: 'FOREIGN', ...tariffBody(), last_updated: '2026-01-01T00:00:00Z' },
    })
    expect((await json<OcpiBody>(put)).status_code).toBe(1000)
    const emsp = await registeredPeer()
    const body = await json<OcpiBody>(await ocpiFetch('/ocpi/2.3.0/sender/tariffs?limit=1000', { token: emsp.token }))
    expect(body.data.map((tariff: { id: string }) => tariff.id)).not.toContain('FOREIGN')
  })

  it('answers 4001 for an OCPI-to party not hosted here', async () => {
    const emsp = await registeredPeer()
    const body = await json<OcpiBody>(await ocpiFetch('/ocpi/2.3.0/sender/tariffs', { token: emsp.token, headers: to({ country_code: 'XX', party_id: 'NOP' }) }))
    expect(body.status_code).toBe(4001)
  })
})
