import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { invalidatePushPeers } from '../../../src/push/publish'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { deliverQueued, fakePeer, purgeTestOutboxes, type ReceivedPush } from '../../push/fixtures'
import { hostParty, roleOf, uniquePartyId } from '../tokens/fixtures'
import { cdrOf, cdrsReceiver, type Party } from './fixtures'

// CDR.cost_breakdown (docs/extensions/cdr-cost-breakdown.md): sent, served and kept only with peers that agreed.

const AGREED = ['x-cdr-cost-breakdown']

const costBreakdown = {
  transaction_type: 'EXPENSE', tax_included: 'NO',
  charging_periods: [{
    start_date_time: '2015-06-29T21:39:09Z', end_date_time: '2015-06-29T23:37:32Z', tariff_id: '12',
    dimensions: [{ type: 'TIME', unit: 's', volume: 7103, billed_volume: 7103, price: 2, vat: 10, cost: { before_taxes: 3.9461, taxes: [{ name: 'VAT', percentage: 10, amount: 0.3946 }] } }],
  }],
  cost_types: [{ cost_type: 'TIME', cost: { before_taxes: 3.9461, taxes: [{ name: 'VAT', percentage: 10, amount: 0.3946 }] } }],
}

let restore: (() => void) | undefined
afterEach(async () => {
  restore?.()
  restore = undefined
  await purgeTestOutboxes()
})

describe('CDR cost_breakdown as CPO', () => {
  let cpo: Party
  const agreedEmsp = { country_code: 'DE', party_id: uniquePartyId() }
  const otherEmsp = { country_code: 'DE', party_id: uniquePartyId() }
  let agreed: { id: string; token: string }
  let other: { id: string; token: string }

  beforeAll(async () => {
    cpo = await hostParty('CPO', 'BE')
    agreed = await registeredPeer({ roles: [roleOf('EMSP', agreedEmsp)], version: '2.2.1', extensions: AGREED, fields: { endpoints: [cdrsReceiver('agreed.example', '2.2.1')] } })
    other = await registeredPeer({ roles: [roleOf('EMSP', otherEmsp)], fields: { endpoints: [cdrsReceiver('other.example', '2.3.0')] } })
    invalidatePushPeers()
  })

  it('pushes the breakdown to a peer that agreed (in 2.2.1 too, with its VAT rates), and only the OCPI fields to one that did not', async () => {
    const peer = fakePeer()
    restore = peer.restore
    for (const [emsp, id] of [[agreedEmsp, 'CB-A'], [otherEmsp, 'CB-O']] as const) {
      const created = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body: cdrOf(cpo, emsp, id, { cost_breakdown: costBreakdown }) })
      expect(created.status, await created.clone().text()).toBe(201)
    }
    await deliverQueued(agreed.id)
    await deliverQueued(other.id)
    const posted = (host: string) => peer.received.filter((push: ReceivedPush) => new URL(push.url).host === host && push.method === 'POST')
    const [toAgreed] = posted('agreed.example')
    expect(toAgreed?.body).toMatchObject({ id: 'CB-A', total_cost: { excl_vat: expect.any(Number) }, cost_breakdown: costBreakdown })
    const [toOther] = posted('other.example')
    expect(toOther?.body).toMatchObject({ id: 'CB-O' })
    expect(toOther?.body).not.toHaveProperty('cost_breakdown')
  })

  it('serves the breakdown on pulls only to a peer that agreed', async () => {
    const pulled = async (peer: { token: string }, version: string) =>
      (await (await ocpiFetch(`/ocpi/${version}/sender/cdrs`, { token: peer.token })).json<OcpiBody<any[]>>()).data!
    expect((await pulled(agreed, '2.2.1'))[0]).toMatchObject({ id: 'CB-A', cost_breakdown: costBreakdown })
    const [seenByOther] = await pulled(other, '2.3.0')
    expect(seenByOther).toMatchObject({ id: 'CB-O' })
    expect(seenByOther).not.toHaveProperty('cost_breakdown')
  })

  it('refuses an owner CDR with an invalid breakdown, with the path', async () => {
    const bad = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body: cdrOf(cpo, agreedEmsp, 'CB-X', { cost_breakdown: { ...costBreakdown, transaction_type: 'GIFT' } }) })
    expect(bad.status).toBe(400)
    expect(await bad.json<any>()).toMatchObject({ error: { code: 2001, path: 'cost_breakdown.transaction_type' } })
  })
})

describe('CDR cost_breakdown as eMSP', () => {
  let emsp: Party
  const cpo = { country_code: 'BE', party_id: uniquePartyId() }
  let agreed: { id: string; token: string }
  let other: { id: string; token: string }

  beforeAll(async () => {
    emsp = await hostParty('EMSP')
    agreed = await registeredPeer({ roles: [roleOf('CPO', cpo)], extensions: AGREED })
    other = await registeredPeer({ roles: [roleOf('CPO', { country_code: 'BE', party_id: uniquePartyId() })] })
  })

  it('keeps the breakdown a peer that agreed sends, checked like any field, and the receipt says who bears the charge', async () => {
    const post = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: agreed.token, method: 'POST', body: cdrOf(cpo, emsp, 'R1', { cost_breakdown: costBreakdown }) })
    expect(post.status).toBe(201)
    const stored = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/R1?source=received`)).json<any>()
    expect(stored.cost_breakdown).toEqual(costBreakdown)
    const receipt = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/R1/receipt?source=received`)).json<any>()
    expect(receipt.transaction_type).toBe('EXPENSE')
    const bad = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: agreed.token, method: 'POST', body: cdrOf(cpo, emsp, 'R2', { cost_breakdown: { ...costBreakdown, cost_types: 'none' } }) })
    expect(await bad.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'cost_breakdown.cost_types' } })
  })

  it('ignores the field from a peer that did not agree: the CDR is taken without it, whatever it holds', async () => {
    const otherCpo = (await (await adminFetch(`/peers/${other.id}`)).json<any>()).roles[0]
    const post = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: other.token, method: 'POST', body: cdrOf(otherCpo, emsp, 'R3', { cost_breakdown: 'anything' }) })
    expect(post.status).toBe(201)
    const stored = await (await adminFetch(`/cdrs/${otherCpo.country_code}/${otherCpo.party_id}/R3?source=received`)).json<any>()
    expect(stored).not.toHaveProperty('cost_breakdown')
  })
})
