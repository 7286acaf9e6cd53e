import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it } from 'vitest'
import { patchConnector, patchEvse, patchLocation } from '../../src/modules/locations/merge'
import type { Location } from '../../src/ocpi/objects/location'
import { mergeSessionWrite } from '../../src/modules/sessions/merge'
import type { Session } from '../../src/ocpi/objects/session'
import { toEpochMs } from '../../src/ocpi/types'
import { invalidatePushPeers, peerOutbox } from '../../src/push/publish'
import { hostCpo, putOwn, sampleLocation, uniqueParty } from '../modules/locations/fixtures'
import { adminFetch, db } from '../ocpi/fixtures'
import { replacePeerRolesStatements } from '../../src/peers/store'
import { fakePeer, insertPeer, purgeTestOutboxes, type ReceivedPush } from './fixtures'
import { present } from '../present'

// Invariant (docs/push.md, "Versions"): after any interleaving of concurrent owner writes to one object, once the
// outboxes drain, every peer holds exactly the newest committed state, last_updated included.

let restore: (() => void) | undefined
afterEach(async () => {
  await purgeTestOutboxes()
  restore?.()
  restore = undefined
})

const WRITERS = 8
const LOCATIONS = 4
const PEERS = 2
/** Location fields a writer sets: each writer its own, so a lost push leaves a visible gap. */
const FIELDS = ['name', 'address', 'city', 'postal_code', 'state', 'directions', 'operator', 'facilities'] as const

function fieldValue(field: (typeof FIELDS)[number], writer: number): unknown {
  if (field === 'directions') return [{ language: 'en', text: `writer ${writer}` }]
  if (field === 'operator') return { name: `writer ${writer}` }
  if (field === 'facilities') return [writer % 2 ? 'CAFE' : 'MALL']
  return `writer ${writer}`
}

/**
 * A receiving peer that applies what it is pushed with the receiver rules (mod_locations, mod_sessions: an older
 * last_updated never overwrites a newer one), one view per peer host.
 */
function applyingPeer() {
  const views = new Map<string, Map<string, any>>()
  const apply = (push: ReceivedPush) => {
    const url = new URL(push.url)
    const segments = url.pathname.split('/').map(decodeURIComponent)
    const at = segments.findIndex((segment) => segment === 'receiver')
    const [module, , , id, ...below] = segments.slice(at + 1)
    const objects = views.get(url.host) ?? new Map<string, any>()
    views.set(url.host, objects)
    const key = `${module}/${id}`
    const stored = objects.get(key)
    if (module === 'tokens') {
      if (stored && toEpochMs(push.body.last_updated) < toEpochMs(stored.last_updated)) return
      if (push.method === 'PUT') objects.set(key, push.body)
      else if (stored) objects.set(key, { ...stored, ...push.body })
      return
    }
    if (push.method === 'PUT' && below.length === 0) {
      if (!stored || toEpochMs(push.body.last_updated) >= toEpochMs(stored.last_updated)) objects.set(key, push.body)
      return
    }
    if (!stored) return
    if (module === 'sessions') {
      if (toEpochMs(push.body.last_updated) >= toEpochMs(stored.last_updated)) objects.set(key, mergeSessionWrite(stored, {}, push.body)?.session ?? stored)
      return
    }
    const [evseUid, connectorId] = below
    const next =
      evseUid === undefined ? patchLocation(stored, push.body)
      : connectorId === undefined ? patchEvse(stored, evseUid, push.body)
      : patchConnector(stored, evseUid, connectorId, push.body)
    if (next) objects.set(key, next)
  }
  const fake = fakePeer((push) => {
    apply(push)
    return Response.json({ status_code: 1000, timestamp: new Date().toISOString() })
  })
  restore = fake.restore
  return { views, received: fake.received }
}

async function drain(peerIds: string[]) {
  for (let round = 0; round < 50; round++) {
    const ran = await Promise.all(peerIds.map((id) => runDurableObjectAlarm(peerOutbox(env, id))))
    const depths = await Promise.all(peerIds.map(async (id) => (await peerOutbox(env, id).stats()).depth))
    if (!ran.some(Boolean) && depths.every((depth) => depth === 0)) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error('outboxes did not drain')
}

const sessionOf = (party: { country_code: string; party_id: string }, id: string, last_updated: string): Session => ({
  country_code: party.country_code, party_id: party.party_id, id, start_date_time: '2026-01-01T09:00:00Z', kwh: 0,
  cdr_token: { country_code: 'DE', party_id: 'MSP', uid: 'TOKEN1', type: 'RFID', contract_id: 'DE-MSP-C1' },
  auth_method: 'WHITELIST', location_id: 'LOC', evse_uid: 'E1', connector_id: '1', currency: 'EUR', status: 'ACTIVE', last_updated,
})

describe('convergence of peers with the database under concurrent owner writes', { timeout: 60_000 }, () => {
  it(`leaves every peer with the committed state after ${WRITERS} concurrent PATCHes on each of ${LOCATIONS} locations`, async () => {
    const peer = applyingPeer()
    const cpo = uniqueParty()
    await hostCpo(cpo)
    const peers = await Promise.all(Array.from({ length: PEERS }, (_, index) => insertPeer({ baseUrl: `https://peer${index}.example.com/ocpi/2.3.0` })))
    invalidatePushPeers()
    const ids = Array.from({ length: LOCATIONS }, (_, index) => `RACE${index}`)
    for (const id of ids) await putOwn(sampleLocation(cpo, id))
    await drain(peers.map(({ id }) => id))

    // Writer w stamps base + w ms: the writes of one location commit in any order, and each carries its own field.
    const base = Date.parse('2026-01-01T11:00:00Z')
    const answers = await Promise.all(ids.flatMap((id) => Array.from({ length: WRITERS }, async (_, writer) => {
      const field = present(FIELDS[writer], `a field for writer ${writer}`)
      const body = { [field]: fieldValue(field, writer), last_updated: new Date(base + writer).toISOString() }
      return (await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/${id}`, { method: 'PATCH', body })).status
    })))
    // A write older than one already committed is refused (409); none fails otherwise.
    expect(answers.every((status) => status === 200 || status === 409)).toBe(true)
    expect(answers.filter((status) => status === 200).length).toBeGreaterThanOrEqual(LOCATIONS)

    await drain(peers.map(({ id }) => id))
    for (const id of ids) {
      const committed = await (await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/${id}`)).json<Location>()
      for (const index of peers.keys()) expect(peer.views.get(`peer${index}.example.com`)?.get(`locations/${id}`), `peer${index} ${id}`).toEqual(committed)
    }
  })

  it('converges EVSE and connector PATCHes raced with location PATCHes and PUTs of the same location', async () => {
    const peer = applyingPeer()
    const cpo = uniqueParty()
    await hostCpo(cpo)
    const peers = await Promise.all(Array.from({ length: PEERS }, (_, index) => insertPeer({ baseUrl: `https://mix${index}.example.com/ocpi/2.3.0` })))
    invalidatePushPeers()
    const location = sampleLocation(cpo, 'MIX1')
    await putOwn(location)
    await drain(peers.map(({ id }) => id))

    const base = Date.parse('2026-01-01T12:00:00Z')
    const at = (offset: number) => new Date(base + offset).toISOString()
    const path = `/locations/${cpo.country_code}/${cpo.party_id}/MIX1`
    await Promise.all([
      ...Array.from({ length: WRITERS }, (_, writer) => adminFetch(path, { method: 'PATCH', body: { name: `writer ${writer}`, last_updated: at(writer * 3) } })),
      ...Array.from({ length: WRITERS }, (_, writer) => adminFetch(`${path}/MIX1-E1`, { method: 'PATCH', body: { status: writer % 2 ? 'CHARGING' : 'BLOCKED', last_updated: at(writer * 3 + 1) } })),
      ...Array.from({ length: WRITERS }, (_, writer) => adminFetch(`${path}/MIX1-E1/1`, { method: 'PATCH', body: { max_amperage: 16 + writer, last_updated: at(writer * 3 + 2) } })),
      adminFetch(path, { method: 'PUT', body: { ...location, city: 'Utrecht', last_updated: at(10) } }),
    ])

    await drain(peers.map(({ id }) => id))
    const committed = await (await adminFetch(path)).json<Location>()
    for (const index of peers.keys()) expect(peer.views.get(`mix${index}.example.com`)?.get('locations/MIX1'), `peer${index}`).toEqual(committed)
  })

  it('leaves the token eMSP peer with the committed session after concurrent session PATCHes', async () => {
    const peer = applyingPeer()
    const cpo = uniqueParty()
    await hostCpo(cpo)
    const peers = await Promise.all(Array.from({ length: PEERS }, (_, index) => insertPeer({
      baseUrl: `https://sess${index}.example.com/ocpi/2.3.0`,
      endpoints: [{ identifier: 'sessions', role: 'RECEIVER', url: `https://sess${index}.example.com/ocpi/2.3.0/receiver/sessions` }],
    })))
    for (const { id, roles } of peers) await db().batch(replacePeerRolesStatements(db(), id, roles))
    invalidatePushPeers()
    const put = await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/S1`, { method: 'PUT', body: sessionOf(cpo, 'S1', '2026-01-01T10:00:00Z') })
    expect(put.status).toBe(201)
    await drain(peers.map(({ id }) => id))

    const base = Date.parse('2026-01-01T13:00:00Z')
    await Promise.all(Array.from({ length: WRITERS }, (_, writer) =>
      adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/S1`, {
        method: 'PATCH',
        body: writer % 2 ? { kwh: writer, last_updated: new Date(base + writer).toISOString() } : { status: writer === 6 ? 'COMPLETED' : 'ACTIVE', total_cost: { excl_vat: writer }, last_updated: new Date(base + writer).toISOString() },
      })))

    await drain(peers.map(({ id }) => id))
    const committed = await (await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/S1`)).json<Session>()
    for (const index of peers.keys()) expect(peer.views.get(`sess${index}.example.com`)?.get('sessions/S1'), `peer${index}`).toEqual(committed)
  })

  it('leaves every CPO peer with the committed token after concurrent token PATCHes', async () => {
    const peer = applyingPeer()
    const emsp = uniqueParty('DE')
    await adminFetch('/parties', { method: 'POST', body: { ...emsp, role: 'EMSP', business_details: { name: 'eMSP' } } })
    const peers = await Promise.all(Array.from({ length: PEERS }, (_, index) => insertPeer({
      baseUrl: `https://tok${index}.example.com/ocpi/2.3.0`,
      roles: [{ role: 'CPO', country_code: 'NL', party_id: `C${index}P`, business_details: { name: 'CPO' } }],
      endpoints: [{ identifier: 'tokens', role: 'RECEIVER', url: `https://tok${index}.example.com/ocpi/2.3.0/receiver/tokens` }],
    })))
    invalidatePushPeers()
    const token = { country_code: emsp.country_code, party_id: emsp.party_id, uid: 'RACETOKEN', type: 'RFID', contract_id: 'DE-X-C1', issuer: 'Issuer', valid: true, whitelist: 'ALLOWED', last_updated: '2026-01-01T10:00:00Z' }
    const path = `/tokens/${emsp.country_code}/${emsp.party_id}/RACETOKEN?type=RFID`
    expect((await adminFetch(path, { method: 'PUT', body: token })).status).toBe(200)
    await drain(peers.map(({ id }) => id))

    const base = Date.parse('2026-01-01T14:00:00Z')
    const changes = [{ visual_number: 'V1' }, { issuer: 'Other issuer' }, { group_id: 'G1' }, { language: 'nl' }, { whitelist: 'ALWAYS' }, { valid: false }, { default_profile_type: 'GREEN' }, { visual_number: 'V8' }]
    const statuses = await Promise.all(changes.map(async (change, writer) =>
      (await adminFetch(path, { method: 'PATCH', body: { ...change, last_updated: new Date(base + writer).toISOString() } })).status))
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true)

    await drain(peers.map(({ id }) => id))
    const committed = await (await adminFetch(path)).json()
    for (const index of peers.keys()) expect(peer.views.get(`tok${index}.example.com`)?.get('tokens/RACETOKEN'), `peer${index}`).toEqual(committed)
  })
})
