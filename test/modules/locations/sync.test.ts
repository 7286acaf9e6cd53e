import { env } from 'cloudflare:workers'
import { expect, it } from 'vitest'
import { locationSyncJob, planLocationSync } from '../../../src/modules/locations/sync'
import { db, registeredPeer } from '../../ocpi/fixtures'
import { fakePeer } from '../../push/fixtures'
import { sampleLocation, uniqueParty } from './fixtures'

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
