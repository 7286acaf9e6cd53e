import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, expect, it } from 'vitest'
import cdrExample from '../../fixtures/spec/2.3.0/examples/cdr_example.json'
import { peerOutbox } from '../../../src/push/publish'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { fakePeer, purgeTestOutboxes, testOutbox, type ReceivedPush } from '../../push/fixtures'
import { hostParty, roleOf, uniquePartyId } from '../tokens/fixtures'

// docs/interop.md, "Honest objects": a tariff's tariff_group_id (multi-currency extension) goes only to peers that agreed
// the extension, and CDRs embed tariffs too: in what they pull and in what is pushed to them.

let restoreFetch: (() => void) | undefined
afterEach(async () => {
  await purgeTestOutboxes()
  restoreFetch?.()
  restoreFetch = undefined
})

const withGroup = { ...cdrExample.tariffs[0], tariff_group_id: 'GROUP1' }

async function setUp() {
  const cpo = await hostParty('CPO', 'BE')
  const emsp = { country_code: 'DE', party_id: uniquePartyId() }
  const endpoints = (name: string) => [{ identifier: 'cdrs', role: 'RECEIVER' as const, url: `https://${name}.example.com/ocpi/2.3.0/receiver/cdrs` }]
  const plain = await registeredPeer({ roles: [roleOf('EMSP', emsp)], fields: { endpoints: endpoints('plain') } })
  const agreed = await registeredPeer({ roles: [roleOf('EMSP', emsp)], fields: { endpoints: endpoints('agreed') } })
  testOutbox(plain.id)
  testOutbox(agreed.id)
  await adminFetch(`/peers/${agreed.id}/tariff-settings`, { method: 'PUT', body: { non_iso_currencies: true } })
  const { country_code: _cc, party_id: _pid, last_updated: _at, ...body } = { ...cdrExample, id: `CDR-${uniquePartyId()}`, tariffs: [withGroup], cdr_token: { ...cdrExample.cdr_token, ...emsp } }
  return { cpo, plain, agreed, body }
}

it('pushes a CDR whose tariffs name a group with tariff_group_id only to peers that agreed the extension', async () => {
  const fake = fakePeer()
  restoreFetch = fake.restore
  const { cpo, plain, agreed, body } = await setUp()
  const created = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body })
  expect(created.status, await created.clone().text()).toBe(201)
  for (const peer of [plain, agreed]) while (await runDurableObjectAlarm(peerOutbox(env, peer.id)));
  const tariffsSentTo = (host: string) => fake.received.filter((push: ReceivedPush) => push.url.includes(host)).map((push) => push.body.tariffs)
  expect(tariffsSentTo('plain.example.com')).toHaveLength(1)
  expect(tariffsSentTo('plain.example.com')[0][0]).not.toHaveProperty('tariff_group_id')
  expect(tariffsSentTo('agreed.example.com')).toEqual([[expect.objectContaining({ tariff_group_id: 'GROUP1' })]])
})

it('serves the same CDR with tariff_group_id only to peers that agreed the extension', async () => {
  restoreFetch = fakePeer().restore
  const { cpo, plain, agreed, body } = await setUp()
  await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}`, { method: 'POST', body })
  const pulled = async (token: string) => (await (await ocpiFetch('/ocpi/2.3.0/sender/cdrs', { token })).json<OcpiBody<any[]>>()).data!.find((cdr) => cdr.id === body.id)
  expect((await pulled(plain.token)).tariffs[0]).not.toHaveProperty('tariff_group_id')
  expect((await pulled(agreed.token)).tariffs[0]).toMatchObject({ tariff_group_id: 'GROUP1' })
})
