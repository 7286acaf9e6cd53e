import { afterEach, describe, expect, it } from 'vitest'
import { publishedTariffs, variantProblem, type HostedTariff } from '../../../src/modules/tariffs/variants'
import { adminFetch } from '../../ocpi/fixtures'
import { purgeTestOutboxes } from '../../push/fixtures'
import { holdingPeer, hostParty, json, tariffBody } from './fixtures'

afterEach(() => purgeTestOutboxes())

const energy = (price: number) => [{ price_components: [{ type: 'ENERGY' as const, price, step_size: 1 }] }]
const variants = [
  { currency: 'CHF', elements: energy(0.33) },
  { currency: 'btc', elements: energy(0.0000041), tariff_alt_text: [{ language: 'en', text: '0.0000041 BTC per kWh' }] },
]

describe('publishedTariffs', () => {
  const base = { country_code: 'NL', party_id: 'ECO', id: 'AC', ...tariffBody(), tax_included: 'NO', last_updated: '2026-01-01T00:00:00Z' } as HostedTariff

  it('publishes one OCPI Tariff per currency, linked by tariff_group_id, with upper-cased codes in the ids', () => {
    const published = publishedTariffs({ ...base, currency_variants: variants })
    expect(published.map(({ id, currency, tariff_group_id }) => ({ id, currency, tariff_group_id }))).toEqual([
      { id: 'AC', currency: 'EUR', tariff_group_id: 'AC' },
      { id: 'AC~CHF', currency: 'CHF', tariff_group_id: 'AC' },
      { id: 'AC~BTC', currency: 'BTC', tariff_group_id: 'AC' },
    ])
    expect(published[2]).toMatchObject({ elements: energy(0.0000041), tariff_alt_text: variants[1]?.tariff_alt_text, last_updated: base.last_updated })
    expect(published[0]).not.toHaveProperty('currency_variants')
  })

  it('publishes a tariff without variants as it is, without a group', () => {
    expect(publishedTariffs(base)).toEqual([base])
  })

  it('refuses variant ids over 36 characters and a currency offered twice', () => {
    expect(variantProblem({ ...base, id: 'X'.repeat(33), currency_variants: [{ currency: 'USDC', elements: energy(1) }] })).toMatchObject({ path: 'currency_variants.0.currency' })
    expect(variantProblem({ ...base, currency_variants: [{ currency: 'eur', elements: energy(1) }] })).toMatchObject({ message: 'currency EUR is offered twice' })
  })
})

describe('multi-currency publication', () => {
  it('pushes ISO variants to every receiver and non-ISO ones only to peers that opted in; removed variants are deleted', async () => {
    const cpo = await hostParty('CPO')
    const msp = { role: 'EMSP' as const, country_code: 'DE', party_id: 'MSP' }
    const plain = await holdingPeer({ roles: [msp], receivers: ['tariffs'] })
    const optedIn = await holdingPeer({ roles: [msp], receivers: ['tariffs'] })
    await adminFetch(`/peers/${optedIn.id}/tariff-settings`, { method: 'PUT', body: { non_iso_currencies: true } })
    const path = `/tariffs/${cpo.country_code}/${cpo.party_id}/AC`

    const written = await adminFetch(path, { method: 'PUT', body: tariffBody({ currency_variants: variants }) })
    expect(written.status).toBe(200)
    const pushed = async (peer: typeof plain) => (await peer.queued()).map(({ method, path }) => `${method} ${path.at(-1)}`)
    expect(await pushed(plain)).toEqual(['PUT AC', 'PUT AC~CHF'])
    expect(await pushed(optedIn)).toEqual(['PUT AC', 'PUT AC~CHF', 'PUT AC~BTC'])
    expect((await plain.queued())[0]).toMatchObject({ object_key: `tariffs/${cpo.country_code}/${cpo.party_id}/AC`, to: { country_code: 'DE', party_id: 'MSP' } })
    await Promise.all([plain.purge(), optedIn.purge()])

    expect(await json(await adminFetch(path))).toMatchObject({ id: 'AC', currency: 'EUR', currency_variants: [{ currency: 'CHF' }, { currency: 'BTC' }] })
    const directWrite = await adminFetch(`${path}~BTC`, { method: 'PUT', body: tariffBody({ currency: 'BTC' }) })
    expect(directWrite.status).toBe(400)

    await adminFetch(path, { method: 'PUT', body: tariffBody({ currency_variants: [variants[0]] }) })
    expect(await pushed(optedIn)).toEqual(['PUT AC', 'PUT AC~CHF', 'DELETE AC~BTC'])
    expect(await pushed(plain)).toEqual(['PUT AC', 'PUT AC~CHF'])
    await Promise.all([plain.purge(), optedIn.purge()])

    const deleted = await adminFetch(path, { method: 'DELETE' })
    expect(await json(deleted)).toEqual({ deleted: ['AC', 'AC~CHF'] })
    expect(await pushed(plain)).toEqual(['DELETE AC', 'DELETE AC~CHF'])
    expect((await adminFetch(path)).status).toBe(404)
  })

  it('delivers the non-ISO tariffs to a peer when it opts in, and deletes them at the peer when it opts out', async () => {
    const cpo = await hostParty('CPO')
    const peer = await holdingPeer({ roles: [{ role: 'EMSP', country_code: 'DE', party_id: 'MSP' }], receivers: ['tariffs'] })
    await adminFetch(`/tariffs/${cpo.country_code}/${cpo.party_id}/OPT`, { method: 'PUT', body: tariffBody({ currency_variants: variants }) })
    const ofThisCpo = async () => (await peer.queued()).filter(({ path }) => path[1] === cpo.party_id).map(({ method, path }) => `${method} ${path.at(-1)}`)
    expect(await ofThisCpo()).toEqual(['PUT OPT', 'PUT OPT~CHF'])
    await peer.purge()

    const settings = `/peers/${peer.id}/tariff-settings`
    expect(await json(await adminFetch(settings, { method: 'PUT', body: { non_iso_currencies: true } }))).toEqual({ peer_id: peer.id, non_iso_currencies: true })
    expect(await ofThisCpo()).toEqual(['PUT OPT~BTC'])
    await peer.purge()
    await adminFetch(settings, { method: 'PUT', body: { non_iso_currencies: true } })
    expect(await ofThisCpo()).toEqual([])

    await adminFetch(settings, { method: 'PUT', body: { non_iso_currencies: false } })
    expect(await ofThisCpo()).toEqual(['DELETE OPT~BTC'])
    expect(await json(await adminFetch(settings))).toEqual({ peer_id: peer.id, non_iso_currencies: false })
    expect((await adminFetch('/peers/no-such-peer/tariff-settings')).status).toBe(404)
  })

  it('refuses a variant id that is already another tariff', async () => {
    const cpo = await hostParty('CPO')
    const base = `/tariffs/${cpo.country_code}/${cpo.party_id}`
    expect((await adminFetch(`${base}/COL~BTC`, { method: 'PUT', body: tariffBody({ currency: 'BTC' }) })).status).toBe(200)
    const clash = await adminFetch(`${base}/COL`, { method: 'PUT', body: tariffBody({ currency_variants: [variants[1]] }) })
    expect(clash.status).toBe(400)
    expect(await json(clash)).toMatchObject({ error: { code: 2001, path: 'currency_variants.0.currency' } })
    expect(await json(await adminFetch(`${base}/COL~BTC`))).toMatchObject({ id: 'COL~BTC', currency: 'BTC' })
  })

  it('pushes to the peer in its own version and not to peers without a tariffs receiver', async () => {
    const cpo = await hostParty('CPO')
    const old = await holdingPeer({ roles: [{ role: 'NSP', country_code: 'NL', party_id: 'NAV' }], receivers: ['tariffs'], version: '2.2.1' })
    const noReceiver = await holdingPeer({ roles: [{ role: 'EMSP', country_code: 'DE', party_id: 'MSP' }], receivers: ['locations'] })
    const cpoOnly = await holdingPeer({ roles: [{ role: 'CPO', country_code: 'BE', party_id: 'CPX' }], receivers: ['tariffs'] })
    await adminFetch(`/tariffs/${cpo.country_code}/${cpo.party_id}/V`, { method: 'PUT', body: tariffBody() })
    expect(await old.queued()).toMatchObject([{ method: 'PUT', to: { country_code: 'NL', party_id: 'NAV' } }])
    expect(await noReceiver.queued()).toEqual([])
    expect(await cpoOnly.queued()).toEqual([])
  })
})

describe('owner writes', () => {
  it('refuses an owner write older than the stored tariff with HTTP 409, as locations and sessions do', async () => {
    const cpo = await hostParty('CPO')
    const path = `/tariffs/${cpo.country_code}/${cpo.party_id}/ORDER1`
    expect((await adminFetch(path, { method: 'PUT', body: tariffBody({ last_updated: '2026-02-01T00:00:00Z' }) })).status).toBe(200)
    const older = await adminFetch(path, { method: 'PUT', body: tariffBody({ last_updated: '2026-01-01T00:00:00Z' }) })
    expect(older.status).toBe(409)
    expect(await json(older)).toMatchObject({ error: { code: 2001, path: 'last_updated' } })
    expect(await json(await adminFetch(path))).toMatchObject({ last_updated: '2026-02-01T00:00:00Z' })
  })
})
