import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import cdrExample from '../../fixtures/spec/2.3.0/examples/cdr_example.json'
import { invalidatePushPeers } from '../../../src/push/publish'
import { agreementViews, agreementsThatMatter, cdrForPeer } from '../../../src/modules/cdrs/for-peer'
import { CDR } from '../../../src/ocpi/objects/cdr'
import { cdrVersions } from '../../../src/ocpi/objects/version-maps'
import { toWire } from '../../../src/ocpi/version-adapters'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { deliverQueued, fakePeer, purgeTestOutboxes, type ReceivedPush } from '../../push/fixtures'
import { hostParty, roleOf, uniquePartyId } from '../tokens/fixtures'
import { cdrOf, cdrsReceiver, type Party } from './fixtures'

// CDR.booking_id, which only the 2.3.0 bookings release defines (its mod_cdrs): sent, served and kept only with 2.3.0
// peers that agreed to the Bookings module; dropped for 2.2.1 and 2.1.1 whatever was agreed.

let restore: (() => void) | undefined
afterEach(async () => {
  restore?.()
  restore = undefined
  await purgeTestOutboxes()
})

describe('cdrForPeer and the version adapters', () => {
  const cdr = CDR.parse({ ...cdrExample, booking_id: 'BOOKING-1' })

  it('keeps booking_id for a peer that agreed to Booking, drops it for one that did not', () => {
    expect(cdrForPeer(cdr, { tariffGroups: false, costBreakdown: false, bookings: true }).booking_id).toBe('BOOKING-1')
    expect(cdrForPeer(cdr, { tariffGroups: false, costBreakdown: false, bookings: false })).not.toHaveProperty('booking_id')
    expect(agreementViews(agreementsThatMatter(cdr))).toEqual([{ tariffGroups: false, costBreakdown: false, bookings: false }, { tariffGroups: false, costBreakdown: false, bookings: true }])
  })

  it('never sends it in 2.2.1 or 2.1.1', () => {
    expect(toWire(cdrVersions, '2.3.0', cdr)).toHaveProperty('booking_id', 'BOOKING-1')
    expect(toWire(cdrVersions, '2.2.1', cdr)).not.toHaveProperty('booking_id')
    expect(toWire(cdrVersions, '2.1.1', cdr)).not.toHaveProperty('booking_id')
  })
})

describe('CDR booking_id as CPO', () => {
  let cpo: Party
  const agreedEmsp = { country_code: 'DE', party_id: uniquePartyId() }
  const otherEmsp = { country_code: 'DE', party_id: uniquePartyId() }
  const oldEmsp = { country_code: 'DE', party_id: uniquePartyId() }
  let agreed: { id: string; token: string }
  let other: { id: string; token: string }
  let old: { id: string; token: string }

  beforeAll(async () => {
    cpo = await hostParty('CPO', 'BE')
    agreed = await registeredPeer({ roles: [roleOf('EMSP', agreedEmsp)], extensions: ['Booking'], fields: { endpoints: [cdrsReceiver('agreed.example', '2.3.0')] } })
    other = await registeredPeer({ roles: [roleOf('EMSP', otherEmsp)], fields: { endpoints: [cdrsReceiver('other.example', '2.3.0')] } })
    old = await registeredPeer({ roles: [roleOf('EMSP', oldEmsp)], version: '2.2.1', extensions: ['Booking'], fields: { endpoints: [cdrsReceiver('old.example', '2.2.1')] } })
    invalidatePushPeers()
  })

  it('pushes booking_id to a 2.3.0 peer that agreed to Booking, not to one that did not nor to a 2.2.1 peer', async () => {
    const peer = fakePeer()
    restore = peer.restore
    for (const [emsp, id] of [[agreedEmsp, 'BK-A'], [otherEmsp, 'BK-O'], [oldEmsp, 'BK-2']] as const) {
      const created = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body: cdrOf(cpo, emsp, id, { booking_id: `B-${id}` }) })
      expect(created.status, await created.clone().text()).toBe(201)
    }
    for (const peerId of [agreed.id, other.id, old.id]) await deliverQueued(peerId)
    const posted = (host: string) => peer.received.filter((push: ReceivedPush) => new URL(push.url).host === host && push.method === 'POST')
    expect(posted('agreed.example').map((push) => push.body)).toEqual([expect.objectContaining({ id: 'BK-A', booking_id: 'B-BK-A' })])
    expect(posted('other.example').map((push) => push.body)).toEqual([expect.objectContaining({ id: 'BK-O' })])
    expect(posted('other.example')[0]?.body).not.toHaveProperty('booking_id')
    expect(posted('old.example')).toHaveLength(1)
    expect(posted('old.example')[0]?.body).toMatchObject({ id: 'BK-2', total_cost: { excl_vat: expect.any(Number) } })
    expect(posted('old.example')[0]?.body).not.toHaveProperty('booking_id')
  })

  it('serves booking_id on pulls only to a 2.3.0 peer that agreed', async () => {
    const pulled = async (peer: { token: string }, version: string) =>
      (await (await ocpiFetch(`/ocpi/${version}/sender/cdrs`, { token: peer.token })).json<OcpiBody<any[]>>()).data!
    expect((await pulled(agreed, '2.3.0'))[0]).toMatchObject({ id: 'BK-A', booking_id: 'B-BK-A' })
    expect((await pulled(other, '2.3.0'))[0]).not.toHaveProperty('booking_id')
    expect((await pulled(old, '2.2.1'))[0]).not.toHaveProperty('booking_id')
  })
})

describe('CDR booking_id as eMSP', () => {
  let emsp: Party
  const cpo = { country_code: 'BE', party_id: uniquePartyId() }
  const otherCpo = { country_code: 'BE', party_id: uniquePartyId() }
  let agreed: { id: string; token: string }
  let other: { id: string; token: string }

  beforeAll(async () => {
    emsp = await hostParty('EMSP')
    agreed = await registeredPeer({ roles: [roleOf('CPO', cpo)], extensions: ['Booking'] })
    other = await registeredPeer({ roles: [roleOf('CPO', otherCpo)] })
  })

  it('keeps booking_id from a peer that agreed (checked as a CiString(36)), and takes the CDR without it from one that did not', async () => {
    expect((await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: agreed.token, method: 'POST', body: cdrOf(cpo, emsp, 'RB1', { booking_id: 'B-1' }) })).status).toBe(201)
    expect(await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/RB1?source=received`)).json<any>()).toMatchObject({ booking_id: 'B-1' })
    const bad = await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: agreed.token, method: 'POST', body: cdrOf(cpo, emsp, 'RB2', { booking_id: 'X'.repeat(37) }) })
    expect(await bad.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: 'booking_id' } })
    expect((await ocpiFetch('/ocpi/2.3.0/receiver/cdrs', { token: other.token, method: 'POST', body: cdrOf(otherCpo, emsp, 'RB3', { booking_id: 'X'.repeat(99) }) })).status).toBe(201)
    expect(await (await adminFetch(`/cdrs/${otherCpo.country_code}/${otherCpo.party_id}/RB3?source=received`)).json<any>()).not.toHaveProperty('booking_id')
  })
})
