import { describe, expect, it } from 'vitest'
import tariffExample from '../fixtures/spec/2.3.0/examples/tariff_12_025kwh_min_price.json'
import { sharedOnlyWithRoles } from '../../src/peers/shared-with'
import { finishJob } from '../jobs/fixtures'
import { sampleLocation } from '../modules/locations/fixtures'
import { hostParty, roleOf, toHeaders, uniquePartyId } from '../modules/tokens/fixtures'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../ocpi/fixtures'

// A pull that returns nothing because of who the caller is says so in status_message (docs/interop.md), so an empty
// list is never mistaken for a platform without data; a list that is empty because nothing is stored says nothing.

const pull = async (path: string, token: string, headers?: Record<string, string>) => (await ocpiFetch(path, { token, headers })).json<OcpiBody<unknown[]>>()

describe('sharedOnlyWithRoles', () => {
  it('names the roles that receive the data, and nothing for a peer holding one of them', () => {
    expect(sharedOnlyWithRoles({ roles: [{ role: 'EMSP' }] }, 'Tokens', ['CPO', 'HUB'])).toBe('Tokens are shared with CPO and hub peers only')
    expect(sharedOnlyWithRoles({ roles: [{ role: 'CPO' }] }, 'CDRs', ['EMSP', 'HUB'], "the token's ")).toBe("CDRs are shared with the token's eMSP and hub peers only")
    expect(sharedOnlyWithRoles({ roles: [{ role: 'NSP' }] }, 'X', ['EMSP', 'NSP', 'HUB'])).toBeUndefined()
  })
})

describe('lists empty because of the caller', () => {
  it('locations and tariffs: the CPO\'s sharing policy grants the peer nothing', async () => {
    const cpo = await hostParty('CPO', 'NL')
    const peer = await registeredPeer({ roles: [roleOf('EMSP', { country_code: 'DE', party_id: uniquePartyId() })] })
    const location = sampleLocation(cpo, 'L1')
    location.evses![0]!.connectors[0]!.tariff_ids = ['T1'] // a tariff follows the locations that use it
    expect((await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/L1`, { method: 'PUT', body: location })).status).toBeLessThan(300)
    expect((await adminFetch(`/tariffs/${cpo.country_code}/${cpo.party_id}/T1`, { method: 'PUT', body: { ...tariffExample, ...cpo, id: 'T1' } })).status).toBeLessThan(300)
    const shown = await pull('/ocpi/2.3.0/sender/locations', peer.token, toHeaders(cpo))
    expect(shown.data).toHaveLength(1)
    expect(shown.status_message ?? '').not.toMatch(/shared with/)

    const policy = await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: { default: 'all', roles: { EMSP: 'none' } } })
    await finishJob((await policy.json<{ job_id: string }>()).job_id)
    const hidden = await pull('/ocpi/2.3.0/sender/locations', peer.token, toHeaders(cpo))
    expect(hidden).toMatchObject({ status_code: 1000, data: [], status_message: "Locations are shared with the peers and roles the CPO's sharing policy names only" })
    const tariffs = await pull('/ocpi/2.3.0/sender/tariffs', peer.token, toHeaders(cpo))
    expect(tariffs).toMatchObject({ status_code: 1000, data: [], status_message: "Tariffs are shared with the peers and roles the CPO's sharing policy names only" })
  })

  it('says nothing when the list is empty only because nothing is stored', async () => {
    const cpo = await hostParty('CPO', 'NL')
    const peer = await registeredPeer({ roles: [roleOf('EMSP', { country_code: 'DE', party_id: uniquePartyId() })] })
    for (const module of ['locations', 'tariffs', 'sessions', 'cdrs']) {
      const empty = await pull(`/ocpi/2.3.0/sender/${module}`, peer.token, toHeaders(cpo))
      expect(empty.data, module).toEqual([])
      expect(empty.status_message ?? '', module).not.toMatch(/shared with/)
    }
  })

  it('sessions and CDRs: a peer that is not an eMSP or hub', async () => {
    const cpo = await hostParty('CPO', 'NL')
    const peer = await registeredPeer({ roles: [roleOf('CPO', { country_code: 'DE', party_id: uniquePartyId() })] })
    expect(await pull('/ocpi/2.3.0/sender/sessions', peer.token, toHeaders(cpo))).toMatchObject({ data: [], status_message: "Sessions are shared with the token's eMSP and hub peers only" })
    expect(await pull('/ocpi/2.3.0/sender/cdrs', peer.token, toHeaders(cpo))).toMatchObject({ data: [], status_message: "CDRs are shared with the token's eMSP and hub peers only" })
  })

  it('tokens: refused to a peer that is not a CPO or hub, with the same wording', async () => {
    const emsp = await hostParty('EMSP', 'NL')
    const peer = await registeredPeer({ roles: [roleOf('EMSP', { country_code: 'DE', party_id: uniquePartyId() })] })
    expect(await pull('/ocpi/2.3.0/sender/tokens', peer.token, toHeaders(emsp))).toMatchObject({ status_code: 2000, status_message: 'Tokens are shared with CPO and hub peers only' })
  })
})
