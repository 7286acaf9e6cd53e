import { beforeAll, describe, expect, it } from 'vitest'
import { getReceivedToken } from '../../../src/modules/tokens/store'
import { db, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { hostParty, rfidToken, roleOf, uniquePartyId } from './fixtures'

describe.each(['2.3.0', '2.2.1'] as const)('tokens receiver (CPO) over %s', (version) => {
  const emsp = { country_code: 'DE', party_id: uniquePartyId() }
  let peer: { id: string; token: string }
  const base = `/ocpi/${version}/receiver/tokens`
  const url = (uid: string, query = '', party = emsp) => `${base}/${party.country_code}/${party.party_id}/${uid}${query}`
  const send = async (method: string, path: string, body?: unknown) => (await ocpiFetch(path, { method, token: peer.token, body })).json<OcpiBody>()

  beforeAll(async () => {
    await hostParty('CPO', 'NL')
    peer = await registeredPeer({ roles: [roleOf('EMSP', emsp)], version })
  })

  it('stores a pushed token and serves it back by GET, type defaulting to RFID', async () => {
    const token = rfidToken(emsp, 'RCV1')
    expect(await send('PUT', url('RCV1'), token)).toMatchObject({ status_code: 1000 })
    expect((await send('GET', url('RCV1'))).data).toEqual(token)
    expect((await send('GET', url('rcv1', '?type=RFID'))).data).toEqual(token)
    expect((await getReceivedToken(db(), { ...emsp, uid: 'RCV1', type: 'RFID' }))?.peer_id).toBe(peer.id)
  })

  it('keeps tokens of different types with the same uid apart; a PUT without ?type uses the body type', async () => {
    const app = { ...rfidToken(emsp, 'SAME1'), type: 'APP_USER', whitelist: 'NEVER' }
    expect(await send('PUT', url('SAME1'), app)).toMatchObject({ status_code: 1000 })
    expect(await send('PUT', url('SAME1', '?type=RFID'), rfidToken(emsp, 'SAME1'))).toMatchObject({ status_code: 1000 })
    expect((await send('GET', url('SAME1', '?type=APP_USER'))).data.whitelist).toBe('NEVER')
    expect((await send('GET', url('SAME1'))).data.whitelist).toBe('ALLOWED')
  })

  it('answers 404 / 2003 for a token it does not have', async () => {
    const response = await ocpiFetch(url('NONE'), { token: peer.token })
    expect(response.status).toBe(404)
    expect((await response.json<OcpiBody>()).status_code).toBe(2003)
  })

  it('refuses tokens pushed by a peer that holds the party only as a CPO: tokens belong to an eMSP', async () => {
    const cpoOnly = { country_code: 'NL', party_id: uniquePartyId() }
    const cpoPeer = await registeredPeer({ roles: [roleOf('CPO', cpoOnly)], version })
    const response = await ocpiFetch(url('ROLE1', '', cpoOnly), { method: 'PUT', token: cpoPeer.token, body: rfidToken(cpoOnly, 'ROLE1') })
    expect(await response.json<OcpiBody>()).toMatchObject({ status_code: 2001 })
    expect(await getReceivedToken(db(), { ...cpoOnly, uid: 'ROLE1', type: 'RFID' })).toBeUndefined()
  })

  it('refuses ids that differ between URL and body, and parties the peer does not represent', async () => {
    expect(await send('PUT', url('OTHER1'), rfidToken(emsp, 'RCV9'))).toMatchObject({ status_code: 2001, data: { path: 'uid' } })
    expect(await send('PUT', url('RCV1', '?type=APP_USER'), rfidToken(emsp, 'RCV1'))).toMatchObject({ status_code: 2001, data: { path: 'type' } })
    const stranger = { country_code: 'FR', party_id: 'STR' }
    expect(await send('PUT', url('RCV1', '', stranger), rfidToken(stranger, 'RCV1'))).toMatchObject({ status_code: 2001 })
    expect(await send('GET', url('RCV1', '', stranger))).toMatchObject({ status_code: 2001 })
    expect(await send('PUT', url('BAD1'), { ...rfidToken(emsp, 'BAD1'), whitelist: 'SOMETIMES' })).toMatchObject({ status_code: 2001, data: { path: 'whitelist' } })
  })

  it('never lets an older push overwrite a newer token', async () => {
    await send('PUT', url('ORDER1'), rfidToken(emsp, 'ORDER1', { last_updated: '2026-03-01T10:00:00Z', issuer: 'new' }))
    expect(await send('PUT', url('ORDER1'), rfidToken(emsp, 'ORDER1', { last_updated: '2026-02-01T10:00:00Z', issuer: 'old' }))).toMatchObject({ status_code: 1000 })
    expect((await send('GET', url('ORDER1'))).data.issuer).toBe('new')
    expect(await send('PATCH', url('ORDER1'), { issuer: 'older patch', last_updated: '2026-02-15T00:00:00Z' })).toMatchObject({ status_code: 1000 })
    expect((await send('GET', url('ORDER1'))).data.issuer).toBe('new')
  })

  it('invalidates by PATCH (valid=false instead of delete); PATCH needs last_updated and a known token', async () => {
    await send('PUT', url('INV1'), rfidToken(emsp, 'INV1'))
    expect(await send('PATCH', url('INV1'), { valid: false })).toMatchObject({ status_code: 2001, data: { path: 'last_updated' } })
    expect(await send('PATCH', url('INV1'), { valid: false, last_updated: '2026-06-19T02:11:11Z' })).toMatchObject({ status_code: 1000 })
    expect((await send('GET', url('INV1'))).data).toMatchObject({ valid: false, last_updated: '2026-06-19T02:11:11Z', issuer: 'Test Issuer' })
    expect(await send('PATCH', url('NEVERPUT'), { valid: false, last_updated: '2026-06-19T02:11:11Z' })).toMatchObject({ status_code: 2003 })
    expect(await send('PATCH', url('INV1'), { uid: 'OTHER', last_updated: '2026-06-20T00:00:00Z' })).toMatchObject({ status_code: 2001, data: { path: 'uid' } })
    expect((await ocpiFetch(url('INV1'), { method: 'DELETE', token: peer.token })).status).toBe(404)
  })

  it.runIf(version === '2.3.0')('keeps the allowed_countries a 2.3.0 eMSP sends, and lets a PATCH change it', async () => {
    await send('PUT', url('DACH1'), { ...rfidToken(emsp, 'DACH1'), allowed_countries: ['de', 'AT'] })
    expect((await getReceivedToken(db(), { ...emsp, uid: 'DACH1', type: 'RFID' }))?.allowed_countries).toEqual(['DE', 'AT'])
    expect((await send('GET', url('DACH1'))).data.allowed_countries).toEqual(['DE', 'AT'])
    await send('PATCH', url('DACH1'), { allowed_countries: null, last_updated: '2026-07-01T00:00:00Z' })
    expect((await getReceivedToken(db(), { ...emsp, uid: 'DACH1', type: 'RFID' }))?.allowed_countries).toBeNull()
  })

  it.runIf(version === '2.2.1')('refuses EMAID from a 2.2.1 peer', async () => {
    expect(await send('PUT', url('E1', '?type=EMAID'), { ...rfidToken(emsp, 'E1'), type: 'EMAID' })).toMatchObject({ status_code: 2001, data: { path: 'type' } })
  })
})
