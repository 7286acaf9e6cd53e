import { eq } from 'drizzle-orm'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { locationTariffRefs } from '../../../src/db/schema'
import type { Location } from '../../../src/ocpi/objects/location'
import { putPolicy } from '../../../src/modules/locations/policy-store'
import { adminFetch, db, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { purgeTestOutboxes } from '../../push/fixtures'
import { putOwn, sampleConnector, sampleEvse, sampleLocation } from '../locations/fixtures'
import { present } from '../../present'
import { holdingPeer, hostParty, json, tariffBody } from './fixtures'

// docs/tariffs.md, "Who sees which tariff": a tariff follows the locations that use it.

afterEach(() => purgeTestOutboxes())

type Party = { country_code: string; party_id: string }
const to = (party: Party) => ({ 'OCPI-to-country-code': party.country_code, 'OCPI-to-party-id': party.party_id })

/** A location whose only connector uses `tariffIds`. */
function locationUsing(party: Party, id: string, tariffIds: string[], last_updated = '2026-01-01T10:00:00Z'): Location {
  const location = sampleLocation(party, id, {}, last_updated)
  return { ...location, evses: [{ ...sampleEvse(party, id, last_updated), connectors: [{ ...sampleConnector(last_updated), tariff_ids: tariffIds }] }] }
}

async function putTariff(party: Party, id: string, fields: Record<string, unknown> = {}) {
  const response = await adminFetch(`/tariffs/${party.country_code}/${party.party_id}/${id}`, { method: 'PUT', body: tariffBody(fields) })
  expect(response.status, await response.clone().text()).toBe(200)
}

const refsOf = async (party: Party, locationId: string) =>
  (await db().select({ tariff_key: locationTariffRefs.tariff_key }).from(locationTariffRefs)
    .where(eq(locationTariffRefs.location_key, `${party.country_code}*${party.party_id}*${locationId}`.toUpperCase()))).map((row) => row.tariff_key).sort()

describe('the index of tariff references follows every write of own locations', () => {
  it('is set on PUT, replaced on a connector PATCH, and untouched by an older PUT that does not apply', async () => {
    const cpo = await hostParty('CPO')
    const key = (id: string) => `${cpo.country_code}*${cpo.party_id}*${id}`
    const twoConnectors = locationUsing(cpo, 'IDX1', ['ta', 'TB'], '2026-02-01T10:00:00Z')
    const evse = present(twoConnectors.evses?.[0], 'the EVSE')
    const connector = present(evse.connectors[0], 'the connector')
    // The same tariff on two connectors is one reference.
    await putOwn({ ...twoConnectors, evses: [{ ...evse, connectors: [...evse.connectors, { ...connector, id: '2', tariff_ids: ['TA'] }] }] })
    expect(await refsOf(cpo, 'IDX1')).toEqual([key('TA'), key('TB')])

    const patch = await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/IDX1/IDX1-E1/1`, { method: 'PATCH', body: { tariff_ids: ['TC'], last_updated: '2026-02-02T10:00:00Z' } })
    expect(patch.status, await patch.clone().text()).toBeLessThan(300)
    expect(await refsOf(cpo, 'IDX1')).toEqual([key('TA'), key('TC')]) // connector 2 still uses TA

    await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/IDX1`, { method: 'PUT', body: locationUsing(cpo, 'IDX1', ['OLD'], '2026-01-01T10:00:00Z') })
    expect(await refsOf(cpo, 'IDX1')).toEqual([key('TA'), key('TC')])
  })
})

describe('tariff visibility follows the sharing policy of the locations using the tariff', () => {
  let cpo: Party
  let seer: { id: string; token: string }
  let blind: { id: string; token: string }

  beforeAll(async () => {
    cpo = await hostParty('CPO')
    seer = await registeredPeer()
    blind = await registeredPeer()
    await putOwn(locationUsing(cpo, 'SHOWN', ['TA']))
    await putOwn(locationUsing(cpo, 'HIDDEN', ['TA', 'TB']))
    await putTariff(cpo, 'TA', { last_updated: '2026-01-01T00:00:00Z' })
    await putTariff(cpo, 'TB', { last_updated: '2026-01-02T00:00:00Z', currency_variants: [{ currency: 'USD', elements: tariffBody().elements }] })
    await putTariff(cpo, 'ADHOC', { type: 'AD_HOC_PAYMENT', last_updated: '2026-01-03T00:00:00Z' })
    await putPolicy(db(), cpo, { default: 'all', peers: { [blind.id]: ['SHOWN'] } })
  })

  const list = async (peer: { token: string }) => {
    const response = await ocpiFetch('/ocpi/2.3.0/sender/tariffs', { token: peer.token, headers: to(cpo) })
    return { ids: (await json<OcpiBody>(response)).data.map((tariff: { id: string }) => tariff.id), total: response.headers.get('X-Total-Count') }
  }
  const single = async (peer: { token: string }, id: string) =>
    (await ocpiFetch(`/ocpi/2.3.0/sender/tariffs/${cpo.country_code}/${cpo.party_id}/${encodeURIComponent(id)}`, { token: peer.token })).status

  it('lists a tariff used at a visible location, or at none; hides one used only where the peer may not look', async () => {
    expect(await list(seer)).toEqual({ ids: ['TA', 'TB', 'TB~USD', 'ADHOC'], total: '4' })
    // TA is also used at HIDDEN, but SHOWN is enough; TB and its currency variant are used only at HIDDEN.
    expect(await list(blind)).toEqual({ ids: ['TA', 'ADHOC'], total: '2' })
  })

  it('answers a hidden tariff\'s single GET as unknown (2003, HTTP 404)', async () => {
    expect(await single(seer, 'TB')).toBe(200)
    expect(await single(blind, 'TB')).toBe(404)
    expect(await single(blind, 'TB~USD')).toBe(404)
    expect(await single(blind, 'TA')).toBe(200)
    expect(await single(blind, 'ADHOC')).toBe(200)
  })

  it('follows the locations: when SHOWN starts using TB, the blind peer sees TB', async () => {
    await putOwn(locationUsing(cpo, 'SHOWN', ['TA', 'TB'], '2026-01-05T10:00:00Z'))
    expect((await list(blind)).ids).toEqual(['TA', 'TB', 'TB~USD', 'ADHOC'])
    await putOwn(locationUsing(cpo, 'SHOWN', ['TA'], '2026-01-06T10:00:00Z'))
    expect((await list(blind)).ids).toEqual(['TA', 'ADHOC'])
  })

  /**
   * A CPO whose location L1 uses tariff T (ad-hoc tariff ADHOC is used nowhere), written after its policy hides
   * everything from `hidden`; two holding peers, so a test reads exactly what each was pushed.
   */
  async function pushScenario(tariffId: string) {
    const owner = await hostParty('CPO')
    const roles = (party_id: string) => [{ role: 'EMSP' as const, country_code: 'DE', party_id }]
    const seeing = await holdingPeer({ roles: roles('SEE'), receivers: ['tariffs'] })
    const hidden = await holdingPeer({ roles: roles('NOT'), receivers: ['tariffs'] })
    await putPolicy(db(), owner, { default: 'all', peers: { [hidden.id]: 'none' } })
    await putOwn(locationUsing(owner, 'L1', [tariffId]))
    await putTariff(owner, tariffId)
    await putTariff(owner, `${tariffId}ADHOC`)
    const pushed = async (peer: typeof seeing) => (await peer.queued()).filter((push) => push.path[1] === owner.party_id).map((push) => `${push.method} ${push.path[2]}`)
    return { owner, seeing, hidden, pushed }
  }

  it('pushes (PUT and DELETE) a tariff only to the peers that may see it', async () => {
    const { owner, seeing, hidden, pushed } = await pushScenario('PT')
    expect(await pushed(seeing)).toEqual(['PUT PT', 'PUT PTADHOC'])
    expect(await pushed(hidden)).toEqual(['PUT PTADHOC'])

    expect((await adminFetch(`/tariffs/${owner.country_code}/${owner.party_id}/PT`, { method: 'DELETE' })).status).toBe(200)
    expect(await pushed(seeing)).toEqual(['PUT PT', 'PUT PTADHOC', 'DELETE PT'])
    expect(await pushed(hidden)).toEqual(['PUT PTADHOC'])
  })

  it('on a sharing policy change, pushes the tariffs a peer now sees and deletes those it no longer does', async () => {
    const { owner, seeing, hidden, pushed } = await pushScenario('QT')
    await Promise.all([seeing.purge(), hidden.purge()])
    const changed = await adminFetch(`/policies/${owner.country_code}/${owner.party_id}`, { method: 'PUT', body: { default: 'all', peers: { [seeing.id]: 'none' } } })
    expect(changed.status, await changed.clone().text()).toBeLessThan(300)
    // The ad-hoc tariff is used nowhere: both kept seeing it, so neither gets it again.
    expect(await pushed(seeing)).toEqual(['DELETE QT'])
    expect(await pushed(hidden)).toEqual(['PUT QT'])
  })
})
