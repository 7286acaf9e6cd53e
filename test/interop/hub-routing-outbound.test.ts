import { env } from 'cloudflare:workers'
import { afterEach, expect, it } from 'vitest'
import { locationSyncJob, planLocationSync } from '../../src/modules/locations/sync'
import { db, registeredPeer } from '../ocpi/fixtures'
import { fakePeer } from '../push/fixtures'
import { hostParty, roleOf, uniquePartyId } from '../modules/tokens/fixtures'
import { present } from '../present'

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
  const pull = present(fake.received[0], 'the pull')
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
  expect(present(fake.received[0], 'the pull').headers.get('OCPI-to-party-id')).toBeNull()
})

// docs/interop.md: the EVRoaming ocpi-tool sends OCPI-to = its own party on a direct connection.
it('a direct peer naming its own party in OCPI-to is answered as without routing headers, not 4001', async () => {
  const { ocpiFetch } = await import('../ocpi/fixtures')
  await hostParty('CPO', 'NL')
  const own = { country_code: 'DE', party_id: uniquePartyId() }
  const tool = await registeredPeer({ roles: [roleOf('EMSP', own)] })
  const headers = { 'OCPI-to-country-code': own.country_code, 'OCPI-to-party-id': own.party_id }
  const body = await (await ocpiFetch('/ocpi/2.3.0/sender/tariffs', { token: tool.token, headers })).json<{ status_code: number }>()
  expect(body.status_code).toBe(1000)
  const hubParty = { country_code: 'DE', party_id: uniquePartyId() }
  const hub = await registeredPeer({ roles: [roleOf('HUB', hubParty)] })
  const viaHub = await (await ocpiFetch('/ocpi/2.3.0/sender/tariffs', { token: hub.token, headers: { 'OCPI-to-country-code': hubParty.country_code, 'OCPI-to-party-id': hubParty.party_id } })).json<{ status_code: number }>()
  expect(viaHub.status_code).toBe(4001)
})
