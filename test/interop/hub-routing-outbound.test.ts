import { env } from 'cloudflare:workers'
import { afterEach, expect, it } from 'vitest'
import { locationSyncJob, planLocationSync } from '../../src/modules/locations/sync'
import { db, registeredPeer } from '../ocpi/fixtures'
import { fakePeer } from '../push/fixtures'
import { hostParty, roleOf, uniquePartyId } from '../modules/tokens/fixtures'

// transport_and_format, "GET All via Hubs": "the client uses the party-id and country-code of the Hub in the
// 'OCPI-to-' headers"; the routing table names FROM = the requesting party.

let restore: (() => void) | undefined
afterEach(() => restore?.())

it('a locations pull from a HUB peer carries OCPI-to = the hub and OCPI-from = our requesting party', async () => {
  await hostParty('EMSP')
  const hubParty = { country_code: 'NL', party_id: uniquePartyId() }
  const fake = fakePeer(() => Response.json({ data: [], status_code: 1000, timestamp: new Date().toISOString() }))
  restore = fake.restore
  const peer = await registeredPeer({
    roles: [roleOf('HUB', hubParty)],
    fields: { endpoints: [{ identifier: 'locations', role: 'SENDER', url: 'https://hub.example.com/ocpi/2.3.0/sender/locations' }] },
  })
  await locationSyncJob.step(env, await planLocationSync(db(), peer.id))
  const [pull] = fake.received
  expect(pull.headers.get('OCPI-to-country-code')).toBe(hubParty.country_code)
  expect(pull.headers.get('OCPI-to-party-id')).toBe(hubParty.party_id)
  expect(pull.headers.get('OCPI-from-country-code')).toMatch(/^[A-Z]{2}$/)
  expect(pull.headers.get('OCPI-from-party-id')).toMatch(/^[A-Z0-9]{3}$/)
})

it('a locations pull from a direct CPO peer carries no routing headers', async () => {
  const fake = fakePeer(() => Response.json({ data: [], status_code: 1000, timestamp: new Date().toISOString() }))
  restore = fake.restore
  const peer = await registeredPeer({
    roles: [roleOf('CPO', { country_code: 'NL', party_id: uniquePartyId() })],
    fields: { endpoints: [{ identifier: 'locations', role: 'SENDER', url: 'https://cpo.example.com/ocpi/2.3.0/sender/locations' }] },
  })
  await locationSyncJob.step(env, await planLocationSync(db(), peer.id))
  expect(fake.received[0].headers.get('OCPI-to-party-id')).toBeNull()
})
