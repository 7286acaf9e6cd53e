import { beforeAll, describe, expect, it } from 'vitest'
import cdr221Example from '../../fixtures/spec/2.2.1/examples/cdr_example.json'
import { adminFetch, ocpiFetch, type OcpiBody } from '../../ocpi/fixtures'
import { cpoWithEmspPeers, emspWithCpoPeers, uniquePartyId } from '../tokens/fixtures'
import { cdrOf, type Party } from './fixtures'

const pathOf = (url: string) => {
  const parsed = new URL(url)
  return parsed.pathname + parsed.search
}

describe('CDRs Receiver (eMSP side)', () => {
  let emsp: Party
  const cpo = { country_code: 'BE', party_id: uniquePartyId() }
  let cpoPeer: { id: string; token: string }
  let otherPeer: { id: string; token: string }

  beforeAll(async () => {
    ;({ emsp, cpoPeer, otherPeer } = await emspWithCpoPeers(cpo))
  })

  it('POST creates: 201, a Location to GET it back from, no data', async () => {
    const cdr = cdrOf(cpo, emsp, 'C1')
    const post = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: cpoPeer.token, method: 'POST', body: cdr })
    const body = await post.json<OcpiBody>()
    expect(post.status).toBe(201)
    expect(body.status_code).toBe(1000)
    expect(body).not.toHaveProperty('data')
    const location = post.headers.get('Location')!
    expect(location).toMatch(new RegExp(`/ocpi/2\\.3\\.0/receiver/cdrs/${cpo.country_code}/${cpo.party_id}/C1$`))
    const get = await ocpiFetch(pathOf(location), { token: cpoPeer.token })
    expect(get.status).toBe(200)
    expect((await get.json<OcpiBody>()).data).toEqual(cdr)
  })

  it('a peer never reads another CPO\'s CDR, and an unknown CDR is 404/2003', async () => {
    const stranger = await ocpiFetch(`/ocpi/2.3.0/receiver/cdrs/${cpo.country_code}/${cpo.party_id}/C1`, { token: otherPeer.token })
    expect(stranger.status).toBe(404)
    expect((await stranger.json<OcpiBody>()).status_code).toBe(2003)
    const unknown = await ocpiFetch(`/ocpi/2.3.0/receiver/cdrs/${cpo.country_code}/${cpo.party_id}/NOPE`, { token: cpoPeer.token })
    expect(unknown.status).toBe(404)
  })

  it('a retried identical POST is acknowledged (200, same Location); a changed one is refused', async () => {
    const cdr = cdrOf(cpo, emsp, 'C2')
    const first = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: cpoPeer.token, method: 'POST', body: cdr })
    const again = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: cpoPeer.token, method: 'POST', body: cdr })
    expect(again.status).toBe(200)
    expect(again.headers.get('Location')).toBe(first.headers.get('Location'))
    const changed = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: cpoPeer.token, method: 'POST', body: { ...cdr, total_energy: 99 } })
    expect(await changed.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'id' } })
    const stored = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/C2?source=received`)
    expect(await stored.json<any>()).toMatchObject({ total_energy: 15.342 })
  })

  it('refuses CDRs of a CPO the peer does not represent, invalid ones, and tokens of parties not served here', async () => {
    const foreign = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: otherPeer.token, method: 'POST', body: cdrOf(cpo, emsp, 'C3') })
    expect(await foreign.json<OcpiBody>()).toMatchObject({ status_code: 2001 })
    const invalid = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: cpoPeer.token, method: 'POST', body: cdrOf(cpo, emsp, 'C3', { charging_periods: [] }) })
    expect(await invalid.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'charging_periods' } })
    const unserved = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: cpoPeer.token, method: 'POST', body: cdrOf(cpo, { country_code: 'FR', party_id: 'ZZZ' }, 'C3') })
    expect(await unserved.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'cdr_token.party_id' } })
    expect((await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: cpoPeer.token, method: 'POST', body: '{' })).status).toBe(400)
  })

  it('takes 2.2.1 CDRs and answers with a 2.2.1 Location', async () => {
    const cdr = { ...cdr221Example, ...cpo, id: 'C4', cdr_token: { ...cdr221Example.cdr_token, ...emsp } }
    const post = await ocpiFetch('/ocpi/2.2.1/receiver/cdrs', { token: cpoPeer.token, method: 'POST', body: cdr })
    expect(post.status).toBe(201)
    const get = await ocpiFetch(pathOf(post.headers.get('Location')!), { token: cpoPeer.token })
    expect((await get.json<OcpiBody>()).data).toEqual(cdr)
    const canonical = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/C4?source=received`)).json<any>()
    expect(canonical.total_cost).toEqual({ before_taxes: 4, taxes: [{ name: 'VAT', amount: 0.4 }] })
  })
})

describe('CDRs Sender (CPO side) and management API', () => {
  let cpo: Party
  const emspA = { country_code: 'DE', party_id: uniquePartyId() }
  const emspB = { country_code: 'DE', party_id: uniquePartyId() }
  let peerA: { id: string; token: string }
  let peerB: { id: string; token: string }

  beforeAll(async () => {
    ;({ cpo, peerA, peerB } = await cpoWithEmspPeers('BE', emspA, emspB, '2.2.1'))
  })

  it('creates own CDRs for hosted CPOs only, once', async () => {
    const { country_code, party_id, last_updated, ...body } = cdrOf(cpo, emspA, 'A1')
    const created = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body })
    expect(created.status, await created.clone().text()).toBe(201)
    expect(await created.json<any>()).toMatchObject({ ...cpo, id: 'A1', last_updated: expect.any(String) })
    expect((await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body })).status).toBe(409)
    expect((await adminFetch(`/cdrs/BE/${uniquePartyId()}`, { method: 'POST', body })).status).toBe(404)
    const invalid = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body: { ...body, id: 'A9', total_cost: undefined } })
    expect(await invalid.json<any>()).toMatchObject({ error: { code: 2001, path: 'total_cost' } })
    for (const [emsp, id, minute] of [[emspA, 'A2', 20], [emspB, 'B1', 15]] as const) {
      const response = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body: cdrOf(cpo, emsp, id, { last_updated: `2026-01-01T10:${minute}:00Z` }) })
      expect(response.status).toBe(201)
    }
  })

  it('a peer pulls only CDRs of tokens of the parties it represents, in its version', async () => {
    const listA = await ocpiFetch('/ocpi/2.3.0/sender/cdrs', { token: peerA.token })
    expect((await listA.json<OcpiBody<any[]>>()).data!.map((cdr) => cdr.id).sort()).toEqual(['A1', 'A2'])
    expect(listA.headers.get('X-Total-Count')).toBe('2')
    const listB = await ocpiFetch('/ocpi/2.2.1/sender/cdrs', { token: peerB.token })
    const cdrsB = (await listB.json<OcpiBody<any[]>>()).data!
    expect(cdrsB.map((cdr) => cdr.id)).toEqual(['B1'])
    expect(cdrsB[0].total_cost).toEqual({ excl_vat: 4, incl_vat: 4.4 })
    const paged = await ocpiFetch('/ocpi/2.3.0/sender/cdrs?date_from=2026-01-01T10:20:00Z&limit=1', { token: peerA.token })
    expect((await paged.json<OcpiBody<any[]>>()).data!.map((cdr) => cdr.id)).toEqual(['A2'])
  })

  it('lists own CDRs by token party for the operator', async () => {
    const list = await adminFetch(`/cdrs?party=${cpo.country_code}*${cpo.party_id}&token_party=${emspB.country_code}*${emspB.party_id}`)
    expect((await list.json<any[]>()).map((cdr) => cdr.id)).toEqual(['B1'])
  })
})
