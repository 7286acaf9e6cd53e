import { env } from 'cloudflare:workers'
import { expect, it } from 'vitest'
import { locationSyncJob, planLocationSync } from '../../../src/modules/locations/sync'
import { adminFetch, db, registeredPeer } from '../../ocpi/fixtures'
import { fakePeer } from '../../push/fixtures'
import { sampleLocation, uniqueParty } from './fixtures'
import { present } from '../../present'

// A pull from a peer's Sender stores what a push from that peer would: locations of parties it represents as CPO
// (mod_locations, Data owner: CPO), the others counted and left out.

it('stores pulled locations only of parties the peer represents as CPO', async () => {
  const cpo = uniqueParty('NL')
  const emsp = uniqueParty('DE')
  const sender = 'https://pull.example.com/ocpi/2.3.0/sender/locations'
  const fake = fakePeer(() => Response.json({ data: [sampleLocation(cpo, 'P1'), sampleLocation(emsp, 'P2')], status_code: 1000, timestamp: new Date().toISOString() }))
  try {
    const peer = await registeredPeer({
      roles: [{ role: 'CPO', ...cpo, business_details: { name: 'CPO' } }, { role: 'EMSP', ...emsp, business_details: { name: 'eMSP' } }],
      fields: { endpoints: [{ identifier: 'locations', role: 'SENDER', url: sender }] },
    })
    const { state, done } = await locationSyncJob.step(env, await planLocationSync(db(), peer.id))
    expect(done).toBe(true)
    expect(state).toMatchObject({ pages: 1, received: 2, stored: 1, not_represented: 1 })
  } finally {
    fake.restore()
  }
})

it('stores locations with a bad optional part, dropping it, and reports every refused object and dropped field', async () => {
  const cpo = uniqueParty('NL')
  const broken = (id: string) => ({
    ...sampleLocation(cpo, id),
    related_locations: [{ latitude: '51.047599', longitude: '3.729944', name: [{ language: 'en', text: 'Exit' }] }],
    directions: [{ language: 'en', text: 'Left' }, 'not a DisplayText'],
  })
  const refused = (id: string) => ({ ...sampleLocation(cpo, id), address: ['not', 'a', 'string'] })
  const page = [...Array.from({ length: 3 }, (_, index) => broken(`B${index}`)), ...Array.from({ length: 25 }, (_, index) => refused(`R${index}`))]
  const fake = fakePeer(() => Response.json({ data: page, status_code: 1000, timestamp: new Date().toISOString() }))
  try {
    const peer = await registeredPeer({
      roles: [{ role: 'CPO', ...cpo, business_details: { name: 'CPO' } }],
      fields: { endpoints: [{ identifier: 'locations', role: 'SENDER', url: 'https://pull.example.com/ocpi/2.3.0/sender/locations' }] },
    })
    const { state } = await locationSyncJob.step(env, await planLocationSync(db(), peer.id))
    expect(state).toMatchObject({ received: 28, stored: 3 })
    expect(state.invalid).toHaveLength(25)
    expect(state.invalid[0]).toMatchObject({ id: 'R0', path: 'address' })
    expect(state.dropped).toHaveLength(3)
    expect(present(state.dropped?.[0], 'a dropped entry').fields.map((field) => field.split(':')[0])).toEqual(['related_locations.0.name', 'directions.1'])
    // The same, kept on the object for the operator (docs/interop.md).
    const view = await (await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/B0?source=received`)).json<{ warnings?: { path: string }[] }>()
    expect(view.warnings?.map((warning) => warning.path)).toEqual(['related_locations.0.name', 'directions.1'])
  } finally {
    fake.restore()
  }
})
