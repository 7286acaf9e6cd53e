import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakePeer } from './fake-peer'
import { a, b, grantsOf, unique, type Platform } from './harness'
import { present } from '../present'

// Tariffs between two real platforms: a hosts a CPO, b an eMSP. Owner writes on a reach b by push (PUT, DELETE),
// a peer pulls a's tariffs with the token a issued, multi-currency variants respect the per-peer opt-in, and the
// x-driver-tariffs extension carries a driver's tariff from b (eMSP) to a (CPO).

async function hostParty(platform: Platform, role: 'CPO' | 'EMSP') {
  const party = { country_code: 'NL', party_id: unique('').slice(0, 3) }
  await platform.admin('POST', '/parties', { ...party, role, business_details: { name: `${platform.name} ${role}` } })
  return party
}

const energyTariff = (price: number, fields: Record<string, unknown> = {}) => ({
  currency: 'EUR',
  type: 'REGULAR',
  elements: [{ price_components: [{ type: 'ENERGY', price, vat: 21, step_size: 1 }] }],
  tax_included: 'NO',
  ...fields,
})

describe.each(['2.2.1', '2.3.0'] as const)('tariffs from CPO platform a to eMSP platform b over %s', (version) => {
  let cpo: { country_code: string; party_id: string }
  let emsp: { country_code: string; party_id: string }
  let peerOfBOnA: string
  const fake = new FakePeer({ versions: [version] })

  const receivedOnB = async () => (await b.admin<{ id: string; currency: string }[]>('GET', `/tariffs?source=received&party=${cpo.country_code}*${cpo.party_id}&limit=1000`))
  const receivedIds = async () => (await receivedOnB()).map((tariff) => tariff.id).sort()

  beforeAll(async () => {
    await fake.start()
    cpo = await hostParty(a, 'CPO')
    emsp = await hostParty(b, 'EMSP')
    // Both sides agree to the x-driver-tariffs custom module (version_information_endpoint, "Custom Modules").
    const extensions = ['x-driver-tariffs']
    const invite = await a.admin('POST', '/peers/invite', { name: `b over ${version}`, extensions, grants: await grantsOf(b) })
    const connected = await b.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version, extensions, grants: await grantsOf(a) })
    expect(connected).toMatchObject({ version, status: 'CONNECTED' })
    peerOfBOnA = invite.peer_id
  })
  afterAll(() => fake.stop())

  it('pushes an owner write to b, and the delete after it', async () => {
    const id = unique('AC-')
    await a.admin('PUT', `/tariffs/${cpo.country_code}/${cpo.party_id}/${id}`, energyTariff(0.35, { last_updated: '2026-01-01T00:00:00Z' }))
    await expect.poll(receivedOnB, { timeout: 20_000 }).toContainEqual(expect.objectContaining({ id, currency: 'EUR', tax_included: 'NO', last_updated: '2026-01-01T00:00:00Z' }))
    const single = await b.admin('GET', `/tariffs/${cpo.country_code}/${cpo.party_id}/${id}`)
    expect(single.elements).toEqual(energyTariff(0.35).elements)

    await a.admin('DELETE', `/tariffs/${cpo.country_code}/${cpo.party_id}/${id}`)
    await expect.poll(async () => (await b.adminRaw('GET', `/tariffs/${cpo.country_code}/${cpo.party_id}/${id}`)).status, { timeout: 20_000 }).toBe(404)
  })

  it('serves a paged pull to a peer holding the token a issued, in the negotiated version', async () => {
    const ids = [unique('P1-'), unique('P2-'), unique('P3-')]
    for (const id of ids) await a.admin('PUT', `/tariffs/${cpo.country_code}/${cpo.party_id}/${id}`, energyTariff(0.59, { min_price: { before_taxes: 1, after_taxes: 1.21 } }))
    const invite = await a.admin('POST', '/peers/invite', { name: 'puller' })
    const registered = await a.ocpi('POST', `/ocpi/${version}/credentials`, { token: invite.token_a, body: fake.credentials(fake.issueToken()) })
    expect(registered.body.status_code).toBe(1000)
    const token = registered.body.data.token as string
    const headers = { 'OCPI-to-country-code': cpo.country_code, 'OCPI-to-party-id': cpo.party_id }

    const first = await a.ocpi('GET', `/ocpi/${version}/sender/tariffs?limit=2`, { token, headers })
    expect(first.body.status_code).toBe(1000)
    expect(first.headers.get('X-Total-Count')).toBe('3')
    expect(first.body.data).toHaveLength(2)
    const next = present(/<([^>]+)>; rel="next"/.exec(first.headers.get('Link') ?? '')?.[1], 'the next link')
    const second = await a.ocpi('GET', next, { token, headers })
    const pulled = [...first.body.data, ...second.body.data]
    expect(pulled.map((tariff: { id: string }) => tariff.id).sort()).toEqual([...ids].sort())
    expect(pulled[0].min_price).toEqual(version === '2.2.1' ? { excl_vat: 1, incl_vat: 1.21 } : { before_taxes: 1, after_taxes: 1.21 })
    expect('tax_included' in pulled[0]).toBe(version === '2.3.0')
  })

  it('publishes a non-ISO currency variant to b only while b opts in', async () => {
    const id = unique('MC-')
    const variants = [
      { currency: 'BTC', elements: [{ price_components: [{ type: 'ENERGY', price: 0.0000041, step_size: 1 }] }] },
      { currency: 'CHF', elements: [{ price_components: [{ type: 'ENERGY', price: 0.33, vat: 8.1, step_size: 1 }] }] },
    ]
    const path = `/tariffs/${cpo.country_code}/${cpo.party_id}/${id}`
    await a.admin('PUT', path, energyTariff(0.35, { currency_variants: variants }))
    // Pushes to one peer are delivered in order: once the CHF variant (queued after BTC) is there, BTC was skipped.
    await expect.poll(receivedIds, { timeout: 20_000 }).toEqual(expect.arrayContaining([id, `${id}~CHF`]))
    expect(await receivedIds()).not.toContain(`${id}~BTC`)

    // Opting in delivers the non-ISO tariffs already published; opting out deletes them at the peer.
    await a.admin('PUT', `/peers/${peerOfBOnA}/tariff-settings`, { non_iso_currencies: true })
    try {
      await expect.poll(receivedIds, { timeout: 20_000 }).toContain(`${id}~BTC`)
      expect((await receivedOnB()).find((tariff) => tariff.id === `${id}~BTC`)).toMatchObject({ currency: 'BTC', tariff_group_id: id })
    } finally {
      // b is connected to a once per version: opting out again keeps the other version's run honest.
      await a.admin('PUT', `/peers/${peerOfBOnA}/tariff-settings`, { non_iso_currencies: false })
    }
    await expect.poll(receivedIds, { timeout: 20_000 }).not.toContain(`${id}~BTC`)
  })

  it('carries a driver tariff with pre-paid limits from b (eMSP) to a (CPO) over x-driver-tariffs', async () => {
    const tokenUid = unique('DRV')
    const driverTariff = {
      currency: 'EUR',
      tax_included: 'YES',
      tariff_alt_text: [{ language: 'en', text: '0.49 EUR/kWh, billed by your provider' }],
      elements: [{ price_components: [{ type: 'ENERGY', price: 0.49, vat: 21, step_size: 1 }] }],
      prepaid_limits: { max_cost: { before_taxes: 16.53, after_taxes: 20 }, max_kwh: 40, max_duration: 7200 },
    }
    await b.admin('PUT', `/driver-tariffs/${emsp.country_code}/${emsp.party_id}/${tokenUid}`, driverTariff)
    const receivedOnA = () => a.admin<{ token_uid: string }[]>('GET', `/driver-tariffs?source=received&party=${emsp.country_code}*${emsp.party_id}`)
    await expect.poll(receivedOnA, { timeout: 20_000 }).toContainEqual(expect.objectContaining({ token_uid: tokenUid, ...driverTariff }))

    await b.admin('DELETE', `/driver-tariffs/${emsp.country_code}/${emsp.party_id}/${tokenUid}`)
    await expect.poll(receivedOnA, { timeout: 20_000 }).not.toContainEqual(expect.objectContaining({ token_uid: tokenUid }))
  })
})
