import { beforeAll, describe, expect, it } from 'vitest'
import { ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { hostParty, rfidToken, roleOf, toHeaders, writeOwnToken } from './fixtures'

// The tokens Sender (eMSP) to a 2.1.1 CPO (mod_tokens.md of 2.1.1): tokens without their party, the eMSP party of
// the connection addressed without routing headers, and real-time authorization with a 2.1.1 LocationReferences body.
describe('tokens sender (eMSP) over 2.1.1', () => {
  let emsp: { country_code: string; party_id: string }
  let other: { country_code: string; party_id: string }
  let cpo: { id: string; token: string }
  const base = '/ocpi/2.1.1/sender/tokens'

  beforeAll(async () => {
    emsp = await hostParty('EMSP', 'DE')
    other = await hostParty('EMSP', 'DE')
    cpo = await registeredPeer({ roles: [roleOf('CPO', { country_code: 'NL', party_id: 'CPY' })], version: '2.1.1', fields: { own_party: emsp } })
    await writeOwnToken(rfidToken(emsp, 'CARD211', { last_updated: '2026-01-01T10:00:00Z' }))
    await writeOwnToken(rfidToken(other, 'OTHER211', { last_updated: '2026-01-01T10:00:00Z' }))
  })

  it('lists the tokens of the connection\'s eMSP party in the 2.1.1 shape, whatever routing headers say', async () => {
    const body = await (await ocpiFetch(`${base}?limit=100`, { token: cpo.token, headers: toHeaders(other) })).json<OcpiBody<any[]>>()
    expect(body.status_code).toBe(1000)
    expect(body.data!.map((token) => token.uid)).toEqual(['CARD211'])
    expect(body.data![0]).toMatchObject({ uid: 'CARD211', type: 'RFID', auth_id: expect.any(String), valid: true })
    expect(body.data![0]).not.toHaveProperty('country_code')
    expect(body.data![0]).not.toHaveProperty('contract_id')
  })

  it('authorizes with a 2.1.1 LocationReferences body and answers a 2.1.1 AuthorizationInfo', async () => {
    const response = await ocpiFetch(`${base}/CARD211/authorize?type=RFID`, {
      method: 'POST', token: cpo.token, body: { location_id: 'LOC1', evse_uids: ['EVSE1'], connector_ids: ['1'] },
    })
    const body = await response.json<OcpiBody<any>>()
    expect(body, JSON.stringify(body)).toMatchObject({ status_code: 1000, data: { allowed: 'ALLOWED', location: { location_id: 'LOC1', evse_uids: ['EVSE1'] } } })
    expect(body.data).not.toHaveProperty('token')
  })

  it('answers 2004 with HTTP 404 for a token of another party', async () => {
    const response = await ocpiFetch(`${base}/OTHER211/authorize`, { method: 'POST', token: cpo.token })
    expect(response.status).toBe(404)
    expect((await response.json<OcpiBody>()).status_code).toBe(2004)
  })
})
