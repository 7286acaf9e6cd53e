import { afterAll, beforeAll, expect, it } from 'vitest'
import { driverToken, partyId } from './driver-records'
import { FakeHub, type HubRequest } from './fake-hub'
import { a, unique } from './harness'

// A fake hub registered as a HUB peer with platform a records every request a sends it, with its routing headers.
// transport_and_format, "Message Routing": a GET All via a hub goes TO the hub FROM the requesting party; a push, a
// command and a real-time authorization go FROM our party TO the receiving party; and "routing headers SHALL NOT be
// used" with credentials, versions and hubclientinfo (docs/interop.md, "Routing headers to hubs").

const poll = { timeout: 20_000, interval: 200 }
const hubParty = { role: 'HUB', country_code: 'DE', party_id: partyId() }
const hub = new FakeHub(hubParty)
const cpo = { country_code: 'NL', party_id: partyId() }
const emsp = { country_code: 'NL', party_id: partyId() }
/** An eMSP and a CPO behind the hub. */
const remoteEmsp = { country_code: 'BE', party_id: partyId() }
const remoteCpo = { country_code: 'BE', party_id: partyId() }
const hubRef = { country_code: hubParty.country_code, party_id: hubParty.party_id }
let peerId: string

const location = (id: string) => {
  const last_updated = new Date().toISOString()
  return {
    ...cpo, id, publish: true, address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, time_zone: 'Europe/Amsterdam', last_updated,
    evses: [{ uid: 'E1', evse_id: `NL*${cpo.party_id}*E1`, status: 'AVAILABLE', last_updated,
      connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, last_updated }] }],
  }
}

const after = (index: number) => hub.requests.slice(index)

beforeAll(async () => {
  await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'Hub routing CPO' } })
  await a.admin('POST', '/parties', { ...emsp, role: 'EMSP', business_details: { name: 'Hub routing eMSP' } })
  await hub.start()
  // HUB is granted only when the operator says so (docs/security.md, "Role grants").
  const connected = await a.admin('POST', '/peers/connect', { versions_url: hub.versionsUrl, token_a: hub.issueToken(), name: unique('fake hub '), grants: [hubParty] })
  peerId = connected.peer_id
  expect(connected.roles).toMatchObject([hubParty])
})

afterAll(async () => {
  await a.adminRaw('DELETE', `/peers/${peerId}`)
  await hub.stop()
})

it('sends no routing headers with versions, version details and credentials', () => {
  const configuration = hub.requests.filter((request) => /^\/(versions|2\.3\.0\/details|2\.3\.0\/sender\/credentials)$/.test(request.path))
  expect(configuration.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /versions', 'GET /2.3.0/details', 'POST /2.3.0/sender/credentials'])
  for (const request of configuration) expect(request, `${request.method} ${request.path}`).toMatchObject({ from: undefined, to: undefined })
})

it('pushes FROM the owning party TO the receiver (the hub, when no single party receives)', async () => {
  const id = unique('HLOC')
  await a.admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/${id}`, location(id))
  const isPush = (request: HubRequest) => request.method === 'PUT' && request.path === `/2.3.0/receiver/locations/${cpo.country_code}/${cpo.party_id}/${id}`
  await expect.poll(() => hub.requests.some(isPush), poll).toBe(true)
  expect(hub.requests.find(isPush)).toMatchObject({ from: cpo, to: hubRef })
})

it('pulls (GET All via the hub) go TO the hub FROM our requesting party', async () => {
  const hosted = (await a.admin<{ country_code: string; party_id: string }[]>('GET', '/parties')).map(({ country_code, party_id }) => ({ country_code, party_id }))
  const start = hub.requests.length
  await a.jobDone(await a.admin('POST', `/locations/sync/${peerId}`))
  await a.jobDone(await a.admin('POST', `/tokens/sync/${peerId}`))
  const pulls = after(start).filter((request) => request.method === 'GET')
  expect(pulls.map((request) => request.path)).toEqual(['/2.3.0/sender/locations', '/2.3.0/sender/tokens'])
  for (const pull of pulls) {
    expect(pull.to).toEqual(hubRef)
    expect(hosted).toContainEqual(pull.from)
  }
})

it('a command goes FROM our eMSP TO the CPO behind the hub', async () => {
  const start = hub.requests.length
  const token = { ...driverToken(emsp), last_updated: new Date().toISOString() }
  const sent = await a.adminRaw('POST', `/commands/${peerId}/START_SESSION?to=${remoteCpo.country_code}*${remoteCpo.party_id}`, { token, location_id: 'LOC1', evse_uid: 'E1' })
  expect(sent.status, JSON.stringify(sent.body)).toBe(202)
  const command = after(start).find((request) => request.path === '/2.3.0/receiver/commands/START_SESSION')
  expect(command).toMatchObject({ method: 'POST', from: emsp, to: remoteCpo })
})

it('a real-time authorization goes FROM our CPO TO the eMSP owning the token', async () => {
  const token = { ...driverToken(remoteEmsp, unique('RFID'), 'ALLOWED'), last_updated: new Date().toISOString() }
  hub.tokens.set(token.uid, token)
  // The hub pushes the eMSP's token to our CPO (OCPI-to), so the cache knows its owner and whitelist.
  const pushed = await a.ocpi('PUT', `/ocpi/2.3.0/receiver/tokens/${token.country_code}/${token.party_id}/${token.uid}?type=RFID`, {
    token: hub.platformToken, body: token,
    headers: { 'OCPI-from-country-code': remoteEmsp.country_code, 'OCPI-from-party-id': remoteEmsp.party_id, 'OCPI-to-country-code': cpo.country_code, 'OCPI-to-party-id': cpo.party_id },
  })
  expect(pushed.body, JSON.stringify(pushed.body)).toMatchObject({ status_code: 1000 })
  const start = hub.requests.length
  const answer = await a.admin('POST', '/authorize', { token_uid: token.uid, party: `${cpo.country_code}*${cpo.party_id}` })
  expect(answer, JSON.stringify(answer)).toMatchObject({ allowed: true, source: 'realtime' })
  const authorize = after(start).find((request) => request.path === `/2.3.0/sender/tokens/${token.uid}/authorize`)
  expect(authorize).toMatchObject({ method: 'POST', from: cpo, to: remoteEmsp })
})

it('never sends routing headers to the hub\'s hubclientinfo or credentials endpoints', () => {
  const configuration: HubRequest[] = hub.requests.filter((request) => /\/(credentials|hubclientinfo)(\/|$)/.test(request.path))
  expect(configuration.length).toBeGreaterThan(0)
  for (const request of configuration) expect(request, `${request.method} ${request.path}`).toMatchObject({ from: undefined, to: undefined })
})
