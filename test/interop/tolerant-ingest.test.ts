import { beforeAll, describe, expect, it } from 'vitest'
import cdrExample from '../fixtures/spec/2.3.0/examples/cdr_example.json'
import sessionExample from '../fixtures/spec/2.3.0/examples/session_example_1_simple_start.json'
import tariffExample from '../fixtures/spec/2.3.0/examples/tariff_12_025kwh_min_price.json'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../ocpi/fixtures'
import { sampleLocation } from '../modules/locations/fixtures'
import { hostParty, rfidToken, roleOf, uniquePartyId } from '../modules/tokens/fixtures'

// A peer's pushes are read strictly by default (2001 with the path, nothing stored). With `ingest: tolerant`, set by
// the operator, an invalid optional field is dropped and the rest stored, with a warning on the object that only the
// management API shows; a required field still refuses the object; the next clean write removes the warning.

type Party = { country_code: string; party_id: string }
interface Case {
  module: string
  /** The peer's role for the object's party. */
  role: 'CPO' | 'EMSP'
  url: (party: Party) => string
  body: (party: Party, emsp: Party) => Record<string, unknown>
  /** A wrong optional field, and its path. */
  bad: [string, unknown]
  /** A wrong required field, and its path. */
  badRequired: [string, unknown]
  /** POST instead of PUT. */
  method?: 'POST'
  admin: (party: Party) => string
}

const cases: Case[] = [
  {
    module: 'locations', role: 'CPO', url: (p) => `/ocpi/2.3.0/receiver/locations/${p.country_code}/${p.party_id}/L1`,
    body: (p) => ({ ...sampleLocation(p, 'L1') }), bad: ['postal_code', 1012], badRequired: ['address', 7],
    admin: (p) => `/locations/${p.country_code}/${p.party_id}/L1?source=received`,
  },
  {
    module: 'tariffs', role: 'CPO', url: (p) => `/ocpi/2.3.0/receiver/tariffs/${p.country_code}/${p.party_id}/T1`,
    body: (p) => ({ ...tariffExample, ...p, id: 'T1' }), bad: ['tariff_alt_url', 42], badRequired: ['currency', 42],
    admin: (p) => `/tariffs/${p.country_code}/${p.party_id}/T1`,
  },
  {
    module: 'tokens', role: 'EMSP', url: (p) => `/ocpi/2.3.0/receiver/tokens/${p.country_code}/${p.party_id}/U1`,
    body: (p) => rfidToken(p, 'U1'), bad: ['visual_number', 42], badRequired: ['valid', 'yes'],
    admin: (p) => `/tokens/${p.country_code}/${p.party_id}/U1?source=received`,
  },
  {
    module: 'sessions', role: 'CPO', url: (p) => `/ocpi/2.3.0/receiver/sessions/${p.country_code}/${p.party_id}/S1`,
    body: (p, emsp) => ({ ...sessionExample, ...p, id: 'S1', cdr_token: { ...sessionExample.cdr_token, ...emsp, uid: 'UID-S1' } }),
    bad: ['meter_id', 42], badRequired: ['kwh', 'lots'], admin: (p) => `/sessions/${p.country_code}/${p.party_id}/S1?source=received`,
  },
  {
    module: 'cdrs', role: 'CPO', url: () => '/ocpi/2.3.0/receiver/cdrs', method: 'POST',
    body: (p, emsp) => ({ ...cdrExample, ...p, id: `CDR-${p.party_id}`, cdr_token: { ...cdrExample.cdr_token, ...emsp, uid: `UID-${p.party_id}` } }),
    bad: ['remark', 42], badRequired: ['total_energy', 'much'], admin: (p) => `/cdrs/${p.country_code}/${p.party_id}/CDR-${p.party_id}?source=received`,
  },
]

let emsp: Party
beforeAll(async () => {
  emsp = await hostParty('EMSP')
  await hostParty('CPO', 'NL')
})

async function peerFor(role: 'CPO' | 'EMSP', ingest?: 'strict' | 'tolerant') {
  const party = { country_code: 'BE', party_id: uniquePartyId() }
  const peer = await registeredPeer({ roles: [roleOf(role, party)] })
  if (ingest) expect((await adminFetch(`/peers/${peer.id}`, { method: 'PATCH', body: { ingest } })).status).toBe(200)
  return { party, peer }
}

const send = (c: Case, party: Party, token: string, body: unknown) => ocpiFetch(c.url(party), { token, method: c.method ?? 'PUT', body })

describe.each(cases)('$module receiver', (c) => {
  it('strict (the default): an invalid optional field refuses the object with its path, nothing stored', async () => {
    const { party, peer } = await peerFor(c.role)
    expect(await (await adminFetch(`/peers/${peer.id}`)).json()).toMatchObject({ ingest: 'strict' })
    const [field, value] = c.bad
    const refused = await send(c, party, peer.token, { ...c.body(party, emsp), [field]: value })
    expect(await refused.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: field } })
    expect((await adminFetch(c.admin(party))).status).toBe(404)
  })

  it('tolerant: stores the rest, with a warning the management API shows and OCPI never sends; a required field still refuses', async () => {
    const { party, peer } = await peerFor(c.role, 'tolerant')
    const [requiredField, requiredValue] = c.badRequired
    const refused = await send(c, party, peer.token, { ...c.body(party, emsp), [requiredField]: requiredValue })
    expect(await refused.json<OcpiBody>()).toMatchObject({ status_code: 2001, data: { path: requiredField } })

    const [field, value] = c.bad
    const stored = await send(c, party, peer.token, { ...c.body(party, emsp), [field]: value })
    expect(stored.status).toBe(201)
    expect((await stored.json<OcpiBody>()).status_code).toBe(1000)
    const view = await (await adminFetch(c.admin(party))).json<Record<string, unknown>>()
    expect(view).not.toHaveProperty(field)
    expect(view.warnings).toEqual([{ path: field, reason: expect.any(String), at: expect.any(String) }])
    const list = await (await adminFetch(`/${c.module}?source=received&party=${party.country_code}*${party.party_id}`)).json<Record<string, unknown>[]>()
    expect(list).toHaveLength(1)
    expect(list[0]?.warnings).toEqual(view.warnings)
    if (c.method !== 'POST') {
      const served = await (await ocpiFetch(c.url(party), { token: peer.token })).json<OcpiBody<Record<string, unknown>>>()
      expect(served.data).not.toHaveProperty('warnings')
    }
  })

  if (c.method !== 'POST') {
    it('a later clean write removes the warning', async () => {
      const { party, peer } = await peerFor(c.role, 'tolerant')
      const [field, value] = c.bad
      await send(c, party, peer.token, { ...c.body(party, emsp), [field]: value, last_updated: '2026-02-01T10:00:00Z' })
      expect(await (await adminFetch(c.admin(party))).json()).toHaveProperty('warnings')
      const clean = await send(c, party, peer.token, { ...c.body(party, emsp), last_updated: '2026-02-02T10:00:00Z' })
      expect(clean.status).toBe(200)
      expect(await (await adminFetch(c.admin(party))).json()).not.toHaveProperty('warnings')
    })
  }
})

it('PATCH /peers/{id} accepts only strict or tolerant', async () => {
  const { peer } = await peerFor('CPO')
  const refused = await adminFetch(`/peers/${peer.id}`, { method: 'PATCH', body: { ingest: 'lenient' } })
  expect(refused.status).toBe(400)
  expect(await (await adminFetch(`/peers/${peer.id}`)).json()).toMatchObject({ ingest: 'strict' })
})
