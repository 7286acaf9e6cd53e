import { afterAll, beforeAll, expect, it } from 'vitest'
import { partyId } from './driver-records'
import { FakeHub, rotateCredentials } from './fake-hub'
import { a, unique } from './harness'

// A peer platform revokes the token platform a presents (here: a scripted eMSP platform that forgets it). a's pushes
// get 401; after TOKEN_REJECTED_AFTER_401S in a row (default 5) the connection is TOKEN_REJECTED and its outbox holds
// everything, in order. When the peer rotates the credentials (a credentials PUT with a new token) a resumes and
// delivers the held pushes in the order they were written.

const poll = { timeout: 30_000, interval: 200 }
const peer = new FakeHub({ role: 'EMSP', country_code: 'DE', party_id: partyId() })
const cpo = { country_code: 'NL', party_id: partyId() }
let peerId: string

const location = (id: string) => {
  const last_updated = new Date().toISOString()
  return {
    ...cpo, id, publish: true, address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, time_zone: 'Europe/Amsterdam', last_updated,
  }
}
const pushedIds = () => peer.requests
  // Accepted ones only: while revoked, each attempt is answered 401 and tried again.
  .filter((request) => request.authorized && request.method === 'PUT' && request.path.startsWith(`/2.3.0/receiver/locations/${cpo.country_code}/${cpo.party_id}/`))
  .map((request) => request.path.split('/').at(-1))
const peerView = () => a.admin('GET', `/peers/${peerId}`)

beforeAll(async () => {
  await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'Token rejected CPO' } })
  await peer.start()
  peerId = (await a.admin('POST', '/peers/connect', { versions_url: peer.versionsUrl, token_a: peer.issueToken(), name: unique('revoking peer ') })).peer_id
})

afterAll(async () => {
  await a.adminRaw('DELETE', `/peers/${peerId}`)
  await peer.stop()
})

it('marks the connection TOKEN_REJECTED with its queue intact, and delivers the queue in order once the peer rotates the credentials', async () => {
  const first = unique('TR')
  await a.admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/${first}`, location(first))
  await expect.poll(pushedIds, poll).toEqual([first])

  peer.revokeAll()
  const held = [unique('TR'), unique('TR'), unique('TR')]
  for (const id of held) await a.admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/${id}`, location(id))
  await expect.poll(async () => (await peerView()).token_state, poll).toBe('TOKEN_REJECTED')
  const rejected = await peerView()
  expect(rejected).toMatchObject({ status: 'CONNECTED', consecutive_401s: 5, token_rejected_at: expect.any(String), outbox: { depth: 3, dropped: 0 } })
  expect(rejected.outbox.last_error).toContain('TOKEN_REJECTED')

  // Paused: no more attempts while the mark stands.
  const attempts = peer.requests.length
  await new Promise((resolve) => setTimeout(resolve, 3_000))
  expect(peer.requests.length).toBe(attempts)
  expect((await peerView()).outbox.depth).toBe(3)

  const rotated = await rotateCredentials(peer, a.url)
  expect(rotated.status_code).toBe(1000)
  // Each location is its own object, delivered in parallel: any order, each once.
  await expect.poll(() => pushedIds().sort(), poll).toEqual([first, ...held].sort())
  expect(await peerView()).toMatchObject({ token_state: 'OK', consecutive_401s: 0, token_rejected_at: null, outbox: { depth: 0 } })
})
