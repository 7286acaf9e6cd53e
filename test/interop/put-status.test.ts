import { expect, it } from 'vitest'
import tariffExample from '../fixtures/spec/2.3.0/examples/tariff_12_025kwh_min_price.json'
import { ocpiFetch, registeredPeer } from '../ocpi/fixtures'
import { sampleLocation } from '../modules/locations/fixtures'
import { hostParty, rfidToken, roleOf, uniquePartyId } from '../modules/tokens/fixtures'

// status_codes.asciidoc, HTTP status codes: "201 Created when the object has been newly created in the server system",
// 200 for the rest. Every Receiver interface answers a PUT of a new object with 201 and of a known one with 200.

const statuses = async (path: string, token: string, body: unknown) => {
  const first = await ocpiFetch(path, { token, method: 'PUT', body })
  const second = await ocpiFetch(path, { token, method: 'PUT', body })
  return [first.status, second.status]
}

it('locations, tariffs and tokens receivers answer 201 for a new object and 200 for a known one', async () => {
  await hostParty('EMSP')
  await hostParty('CPO', 'NL')
  const cpo = { country_code: 'BE', party_id: uniquePartyId() }
  const emsp = { country_code: 'FR', party_id: uniquePartyId() }
  const cpoPeer = await registeredPeer({ roles: [roleOf('CPO', cpo)] })
  const emspPeer = await registeredPeer({ roles: [roleOf('EMSP', emsp)] })
  const owner = `${cpo.country_code}/${cpo.party_id}`
  expect(await statuses(`/ocpi/2.3.0/receiver/locations/${owner}/L1`, cpoPeer.token, sampleLocation(cpo, 'L1'))).toEqual([201, 200])
  expect(await statuses(`/ocpi/2.3.0/receiver/tariffs/${owner}/T1`, cpoPeer.token, { ...tariffExample, ...cpo, id: 'T1' })).toEqual([201, 200])
  expect(await statuses(`/ocpi/2.3.0/receiver/tokens/${emsp.country_code}/${emsp.party_id}/U1`, emspPeer.token, rfidToken(emsp, 'U1'))).toEqual([201, 200])
})
