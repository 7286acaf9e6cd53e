import { beforeAll, describe, expect, it } from 'vitest'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { sampleConnector, sampleEvse, sampleLocation, uniqueParty } from './fixtures'

describe('locations Receiver interface', () => {
  const pusher = uniqueParty('BE')
  let peer: { id: string; token: string }
  const base = `/ocpi/2.3.0/receiver/locations/${pusher.country_code}/${pusher.party_id}`
  const call = async (method: string, path: string, body?: unknown, version = '2.3.0') => {
    const response = await ocpiFetch(`${base.replace('2.3.0', version)}${path}`, { token: peer.token, method, body })
    return { status: response.status, body: await response.json<OcpiBody>() }
  }

  beforeAll(async () => {
    peer = await registeredPeer({ roles: [{ role: 'CPO', ...pusher, business_details: { name: 'Pushing CPO' } }] })
  })

  it('stores a pushed Location and serves it back', async () => {
    const location = sampleLocation(pusher, 'R1')
    expect((await call('PUT', '/R1', location)).body.status_code).toBe(1000)
    const got = await call('GET', '/R1')
    expect(got.body.data).toEqual(location)
    const listed = await (await adminFetch(`/locations?source=${peer.id}&party=${pusher.country_code}*${pusher.party_id}`)).json<any[]>()
    expect(listed.map((item) => item.id)).toEqual(['R1'])
  })

  it('refuses ids in the body that differ from the URL with 2001', async () => {
    const mismatch = await call('PUT', '/R2', sampleLocation(pusher, 'OTHER'))
    expect(mismatch.body).toMatchObject({ status_code: 2001, data: { path: 'id' } })
    const evseMismatch = await call('PUT', '/R1/WRONG', sampleEvse(pusher, 'R1'))
    expect(evseMismatch.body).toMatchObject({ status_code: 2001, data: { path: 'uid' } })
    expect((await call('GET', '/R2')).status).toBe(404)
  })

  it('refuses a push for a party the peer does not represent', async () => {
    const stranger = uniqueParty('DE')
    const response = await ocpiFetch(`/ocpi/2.3.0/receiver/locations/${stranger.country_code}/${stranger.party_id}/X1`, { token: peer.token, method: 'PUT', body: sampleLocation(stranger, 'X1') })
    expect((await response.json<OcpiBody>()).status_code).toBe(2001)
  })

  it('refuses a push for a party the peer represents in another role than CPO (Data owner: CPO)', async () => {
    const emsp = uniqueParty('DE')
    const emspPeer = await registeredPeer({ roles: [{ role: 'EMSP', ...emsp, business_details: { name: 'Not a CPO' } }] })
    const url = `/ocpi/2.3.0/receiver/locations/${emsp.country_code}/${emsp.party_id}/E1`
    const pushed = await ocpiFetch(url, { token: emspPeer.token, method: 'PUT', body: sampleLocation(emsp, 'E1') })
    expect((await pushed.json<OcpiBody>()).status_code).toBe(2001)
    const listed = await (await adminFetch(`/locations?source=${emspPeer.id}`)).json<any[]>()
    expect(listed).toEqual([])
  })

  it('refuses invalid objects with the field path, storing nothing', async () => {
    const invalid = { ...sampleLocation(pusher, 'R3'), coordinates: { latitude: '52.3', longitude: '4.9' } }
    expect((await call('PUT', '/R3', invalid)).body).toMatchObject({ status_code: 2001, data: { path: 'coordinates.latitude' } })
    expect((await call('GET', '/R3')).body.status_code).toBe(2003)
  })

  it('refuses a PATCH without last_updated', async () => {
    expect((await call('PATCH', '/R1/R1-E1', { status: 'CHARGING' })).body).toMatchObject({ status_code: 2001, data: { path: 'last_updated' } })
  })

  it('never lets an older last_updated overwrite newer data', async () => {
    await call('PUT', '/R4', sampleLocation(pusher, 'R4', { name: 'New' }, '2026-02-01T00:00:00Z'))
    expect((await call('PUT', '/R4', sampleLocation(pusher, 'R4', { name: 'Old' }, '2026-01-01T00:00:00Z'))).body.status_code).toBe(1000)
    expect((await call('PATCH', '/R4/R4-E1', { status: 'OUTOFORDER', last_updated: '2026-01-15T00:00:00Z' })).body.status_code).toBe(1000)
    const stored = (await call('GET', '/R4')).body.data
    expect(stored.name).toBe('New')
    expect(stored.evses[0].status).toBe('AVAILABLE')
  })

  it('applies EVSE and Connector PATCH/PUT and moves the parents\' last_updated along', async () => {
    await call('PUT', '/R5', sampleLocation(pusher, 'R5', {}, '2026-01-01T00:00:00Z'))
    expect((await call('PATCH', '/R5/R5-E1', { status: 'CHARGING', last_updated: '2026-03-01T10:00:00Z' })).body.status_code).toBe(1000)
    let stored = (await call('GET', '/R5')).body.data
    expect(stored.evses[0]).toMatchObject({ status: 'CHARGING', last_updated: '2026-03-01T10:00:00Z' })
    expect(stored.last_updated).toBe('2026-03-01T10:00:00Z')

    expect((await call('PATCH', '/R5/R5-E1/1', { tariff_ids: ['T1'], last_updated: '2026-03-02T10:00:00Z' })).body.status_code).toBe(1000)
    const connector = sampleConnector()
    expect((await call('PUT', '/R5/R5-E1/2', { ...connector, id: '2', standard: 'IEC_62196_T2_COMBO', power_type: 'DC', last_updated: '2026-03-03T10:00:00Z' })).body.status_code).toBe(1000)
    stored = (await call('GET', '/R5')).body.data
    expect(stored.evses[0].connectors.map((item: any) => [item.id, item.tariff_ids])).toEqual([['1', ['T1']], ['2', undefined]])
    expect(stored.evses[0].last_updated).toBe('2026-03-03T10:00:00Z')
    expect(stored.last_updated).toBe('2026-03-03T10:00:00Z')

    const evse = { ...sampleEvse(pusher, 'R5'), uid: 'R5-E2', last_updated: '2026-03-04T10:00:00Z' }
    expect((await call('PUT', '/R5/R5-E2', evse, '2.2.1')).body.status_code).toBe(1000)
    expect((await call('PATCH', '/R5/R5-E1', { status: 'REMOVED', last_updated: '2026-03-05T10:00:00Z' })).body.status_code).toBe(1000)
    stored = (await call('GET', '/R5')).body.data
    expect(stored.evses.map((item: any) => [item.uid, item.status])).toEqual([['R5-E1', 'REMOVED'], ['R5-E2', 'AVAILABLE']])
    expect((await call('GET', '/R5/R5-E2/1')).body.data).toMatchObject({ id: '1' })
  })

  it('answers 2003 for writes below an unknown object', async () => {
    const evse = sampleEvse(pusher, 'NOPE')
    const response = await call('PUT', `/NOPE/${evse.uid}`, evse)
    expect(response).toMatchObject({ status: 200, body: { status_code: 2003 } })
    expect((await call('PATCH', '/R1/NOPE', { status: 'CHARGING', last_updated: '2026-03-05T10:00:00Z' })).body.status_code).toBe(2003)
  })
})
