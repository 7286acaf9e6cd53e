import { beforeAll, describe, expect, it } from 'vitest'
import started from '../fixtures/spec/2.3.0/examples/session_example_1_simple_start.json'
import { getLocation, OWN_SOURCE, upsertLocation } from '../../src/modules/locations/store'
import { getOwnToken, getReceivedToken, putOwnToken, putReceivedToken } from '../../src/modules/tokens/store'
import { putReceivedSession } from '../../src/modules/sessions/store'
import type { Session } from '../../src/ocpi/objects/session'
import type { Token } from '../../src/ocpi/objects/token'
import { adminFetch, db, ocpiFetch, registeredPeer, type OcpiBody } from '../ocpi/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty } from '../modules/locations/fixtures'
import { rfidToken, roleOf } from '../modules/tokens/fixtures'

// Every object table says whose copy a row is the same way: one row per key, `peer_id` null for a hosted party's
// object, else the peer that holds the party and sent it (docs/architecture.md, "Whose copy an object is").

const ids = async (path: string) => {
  const response = await adminFetch(path)
  expect(response.status, path).toBe(200)
  return { ids: (await response.json<{ id: string }[]>()).map((object) => object.id), total: Number(response.headers.get('X-Total-Count')) }
}

describe('whose copy an object is', () => {
  const moving = uniqueParty('BE')
  let before: { id: string; token: string }
  let after: { id: string; token: string }
  const pushLocation = (peer: { token: string }, last_updated: string, city: string) =>
    ocpiFetch(`/ocpi/2.3.0/receiver/locations/${moving.country_code}/${moving.party_id}/MOVE1`, {
      token: peer.token, method: 'PUT', body: sampleLocation(moving, 'MOVE1', { city }, last_updated),
    }).then((response) => response.json<OcpiBody>())

  beforeAll(async () => {
    before = await registeredPeer({ roles: [roleOf('CPO', moving)] })
    after = await registeredPeer({ roles: [roleOf('CPO', moving)] })
  })

  it('keeps one copy of a location a party sends first through one peer, then through another', async () => {
    expect((await pushLocation(before, '2026-01-01T10:00:00Z', 'Gent')).status_code).toBe(1000)
    expect((await pushLocation(after, '2026-01-02T10:00:00Z', 'Brussel')).status_code).toBe(1000)
    const party = `party=${moving.country_code}*${moving.party_id}`
    expect(await ids(`/locations?source=received&${party}`)).toEqual({ ids: ['MOVE1'], total: 1 })
    expect(await ids(`/locations?source=${after.id}&${party}`)).toEqual({ ids: ['MOVE1'], total: 1 })
    expect(await ids(`/locations?source=${before.id}&${party}`)).toEqual({ ids: [], total: 0 })
    expect(await ids(`/locations?source=own&${party}`)).toEqual({ ids: [], total: 0 })
    // The former holder's older copy, arriving late, replaces nothing.
    expect((await pushLocation(before, '2026-01-01T11:00:00Z', 'Gent')).status_code).toBe(1000)
    expect((await getLocation(db(), after.id, moving, 'MOVE1'))?.location.city).toBe('Brussel')
    const single = await adminFetch(`/locations/${moving.country_code}/${moving.party_id}/MOVE1?source=received`)
    expect((await single.json<{ city: string }>()).city).toBe('Brussel')
    expect((await adminFetch(`/locations/${moving.country_code}/${moving.party_id}/MOVE1?source=${before.id}`)).status).toBe(404)
  })

  it('lets the next holder of a party change the copy its former holder sent', async () => {
    expect((await ocpiFetch(`/ocpi/2.3.0/receiver/locations/${moving.country_code}/${moving.party_id}/MOVE2`, {
      token: before.token, method: 'PUT', body: sampleLocation(moving, 'MOVE2'),
    }).then((response) => response.json<OcpiBody>())).status_code).toBe(1000)
    const patched = await ocpiFetch(`/ocpi/2.3.0/receiver/locations/${moving.country_code}/${moving.party_id}/MOVE2/MOVE2-E1`, {
      token: after.token, method: 'PATCH', body: { status: 'CHARGING', last_updated: '2026-01-03T10:00:00Z' },
    })
    expect((await patched.json<OcpiBody>()).status_code).toBe(1000)
    expect((await getLocation(db(), after.id, moving, 'MOVE2'))?.location.evses?.[0]?.status).toBe('CHARGING')
    expect(await getLocation(db(), before.id, moving, 'MOVE2')).toBeUndefined()
  })

  it("never lets a peer's copy replace a hosted party's location, and lets the hosted party's write take over a peer's copy", async () => {
    const hosted = uniqueParty('NL')
    await hostCpo(hosted)
    const peer = await registeredPeer({ roles: [roleOf('CPO', uniqueParty('NL'))] })
    await putOwn(sampleLocation(hosted, 'OWN1', { city: 'Utrecht' }))
    expect(await upsertLocation(db(), peer.id, sampleLocation(hosted, 'OWN1', { city: 'Elsewhere' }, '2030-01-01T00:00:00Z'))).toBeUndefined()
    expect((await getLocation(db(), OWN_SOURCE, hosted, 'OWN1'))?.location.city).toBe('Utrecht')
    expect(await getLocation(db(), peer.id, hosted, 'OWN1')).toBeUndefined()

    // A party taken over from a peer: the copy that peer sent becomes the hosted party's, even when it looks newer.
    expect(await upsertLocation(db(), peer.id, sampleLocation(hosted, 'TAKEN1', { city: 'Old' }, '2030-01-01T00:00:00Z'))).toBeDefined()
    expect(await upsertLocation(db(), OWN_SOURCE, sampleLocation(hosted, 'TAKEN1', { city: 'New' }))).toBeDefined()
    const party = `party=${hosted.country_code}*${hosted.party_id}`
    expect(await ids(`/locations?source=own&${party}`)).toEqual({ ids: ['OWN1', 'TAKEN1'], total: 2 })
    expect(await ids(`/locations?source=received&${party}`)).toEqual({ ids: [], total: 0 })
  })

  it('applies the same model to tokens: a received token becomes own when its party is taken over, and stays so', async () => {
    const emsp = uniqueParty('DE')
    const peer = await registeredPeer({ roles: [roleOf('EMSP', emsp)] })
    const token = rfidToken(emsp, 'COPY1') as Token
    expect(await putReceivedToken(db(), peer.id, token)).toBe(true)
    const party = `party=${emsp.country_code}*${emsp.party_id}`
    expect((await ids(`/tokens?source=${peer.id}&${party}`)).total).toBe(1)
    await putOwnToken(db(), { ...token, last_updated: '2026-01-01T00:00:00Z' })
    expect(await getReceivedToken(db(), token)).toBeUndefined()
    expect((await getOwnToken(db(), token))?.peer_id).toBeNull()
    expect(await putReceivedToken(db(), peer.id, { ...token, last_updated: '2030-01-01T00:00:00Z' })).toBe(false)
    expect((await ids(`/tokens?source=own&${party}`)).total).toBe(1)
    expect((await ids(`/tokens?source=received&${party}`)).total).toBe(0)
    expect((await ids(`/tokens?source=${peer.id}&${party}`)).total).toBe(0)
  })

  it('applies it to sessions: one copy, filed under the peer that sent it last', async () => {
    const cpo = uniqueParty('FR')
    const emsp = uniqueParty('FR')
    const [first, second] = [await registeredPeer({ roles: [roleOf('CPO', cpo)] }), await registeredPeer({ roles: [roleOf('CPO', cpo)] })]
    const session = { ...started, ...cpo, id: 'COPY-S1', cdr_token: { ...started.cdr_token, ...emsp, uid: 'UID-COPY' } } as Session
    expect((await putReceivedSession(db(), first.id, session)).outcome).toBe('stored')
    expect((await putReceivedSession(db(), second.id, { ...session, last_updated: '2030-01-01T00:00:00Z' })).outcome).toBe('stored')
    const party = `party=${cpo.country_code}*${cpo.party_id}`
    expect(await ids(`/sessions?source=${second.id}&${party}`)).toEqual({ ids: ['COPY-S1'], total: 1 })
    expect(await ids(`/sessions?source=${first.id}&${party}`)).toEqual({ ids: [], total: 0 })
    expect(await ids(`/sessions?source=received&${party}`)).toEqual({ ids: ['COPY-S1'], total: 1 })
  })

  it('takes the same ?source= on every list, and refuses anything else with the path', async () => {
    for (const list of ['locations', 'tariffs', 'tokens', 'sessions', 'cdrs', 'driver-tariffs', 'hubclientinfo']) {
      expect((await adminFetch(`/${list}?source=received`)).status, list).toBe(200)
      const refused = await adminFetch(`/${list}?source=${encodeURIComponent('not a peer!')}`)
      expect(refused.status, list).toBe(400)
      expect(await refused.json(), list).toMatchObject({ error: { path: 'source' } })
    }
  })
})
