import { beforeAll, describe, expect, it } from 'vitest'
import { LOCATION_MAX_BYTES, SESSION_MAX_BYTES } from '../../src/db/limits'
import { sampleConnector, sampleEvse, sampleLocation, uniqueParty } from '../modules/locations/fixtures'
import { hostParty, roleOf, uniquePartyId } from '../modules/tokens/fixtures'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from './fixtures'

// Input a peer or an operator controls never produces a 5xx: impossible values are 2001 with the path, and objects
// too large to store are refused with 2001, the path and the limit (docs/security.md, "Limits").

const evse = (uid: string) => ({ ...sampleEvse({ country_code: 'BE', party_id: 'X' }, 'L'), uid, evse_id: undefined })

describe('location input limits', () => {
  const pusher = uniqueParty('BE')
  let peer: { id: string; token: string }
  const owner = uniqueParty('NL')
  const push = async (id: string, body: unknown) =>
    (await (await ocpiFetch(`/ocpi/2.3.0/receiver/locations/${pusher.country_code}/${pusher.party_id}/${id}`, { token: peer.token, method: 'PUT', body })).json<OcpiBody>())
  const write = (id: string, body: unknown) => adminFetch(`/locations/${owner.country_code}/${owner.party_id}/${id}`, { method: 'PUT', body })

  beforeAll(async () => {
    peer = await registeredPeer({ roles: [roleOf('CPO', pusher)] })
    await adminFetch('/parties', { method: 'POST', body: { ...owner, role: 'CPO', business_details: { name: 'Owner' } } })
  })

  it('refuses duplicate EVSE uids and duplicate connector ids with the path', async () => {
    const twice = sampleLocation(pusher, 'DUP', { evses: [evse('E1'), evse('e1')] })
    expect(await push('DUP', twice)).toMatchObject({ status_code: 2001, data: { path: 'evses.1.uid' } })
    const connectors = evse('E1')
    const twiceConnector = sampleLocation(pusher, 'DUPC', { evses: [{ ...connectors, connectors: [sampleConnector(), sampleConnector()] }] })
    expect(await push('DUPC', twiceConnector)).toMatchObject({ status_code: 2001, data: { path: 'evses.0.connectors.1.id' } })
    const admin = await write('DUP', sampleLocation(owner, 'DUP', { evses: [evse('E1'), evse('E1')] }))
    expect(admin.status).toBe(400)
    expect(await admin.json()).toMatchObject({ error: { code: 2001, path: 'evses.1.uid' } })
  })

  it('refuses negative voltage, amperage and power with the path', async () => {
    const connector = sampleConnector()
    for (const [field, value] of [['max_voltage', -230], ['max_amperage', -16], ['max_electric_power', -1]] as const) {
      const location = sampleLocation(pusher, 'NEG', { evses: [{ ...evse('E1'), connectors: [{ ...connector, [field]: value }] }] })
      expect(await push('NEG', location)).toMatchObject({ status_code: 2001, data: { path: `evses.0.connectors.0.${field}` } })
    }
  })

  it('refuses a NUL character in any text field with the path, on OCPI and on the management API', async () => {
    expect(await push('NUL', sampleLocation(pusher, 'NUL', { name: 'Station\u0000' }))).toMatchObject({ status_code: 2001, data: { path: 'name' } })
    expect(await push('NUL', sampleLocation(pusher, 'NUL', { directions: [{ language: 'en', text: 'left\u0000' }] }))).toMatchObject({ status_code: 2001, data: { path: 'directions.0.text' } })
    const admin = await write('NUL', sampleLocation(owner, 'NUL', { address: '\u0000' }))
    expect(admin.status).toBe(400)
    expect(await admin.json()).toMatchObject({ error: { code: 2001, path: 'address' } })
  })

  it('refuses a location with 10,000 EVSEs with the limit, and stores one with 1,000', async () => {
    const many = (count: number) => Array.from({ length: count }, (_, index) => ({ ...evse(`E${index}`), evse_id: `BE*X*E${index}` }))
    const refused = await push('BIG', sampleLocation(pusher, 'BIG', { evses: many(10_000) }))
    expect(refused).toMatchObject({ status_code: 2001, data: { path: 'evses' } })
    expect(refused.status_message).toContain(String(LOCATION_MAX_BYTES))
    expect(await push('LARGE', sampleLocation(pusher, 'LARGE', { evses: many(1_000) }))).toMatchObject({ status_code: 1000 })
    const admin = await write('BIG', sampleLocation(owner, 'BIG', { evses: many(10_000) }))
    expect(admin.status).toBe(400)
    expect(await admin.json()).toMatchObject({ error: { code: 2001, path: 'evses' } })
  }, 60_000)
})

describe('session input limits', () => {
  const cpo = { country_code: 'NL', party_id: uniquePartyId() }
  let emsp: { country_code: string; party_id: string }
  let peer: { id: string; token: string }
  const url = (id: string) => `/ocpi/2.3.0/receiver/sessions/${cpo.country_code}/${cpo.party_id}/${id}`
  const start = Date.parse('2026-03-01T00:00:00Z')
  const periods = (count: number) => Array.from({ length: count }, (_, index) => ({ start_date_time: new Date(start + index * 1000).toISOString(), dimensions: [{ type: 'ENERGY', volume: 0.1 }] }))
  const session = (id: string, fields: Record<string, unknown> = {}) => ({
    ...cpo, id, start_date_time: '2026-03-01T00:00:00Z', kwh: 1, auth_method: 'WHITELIST', location_id: 'L', evse_uid: 'E', connector_id: '1', currency: 'EUR',
    cdr_token: { ...emsp, uid: 'U1', type: 'RFID', contract_id: 'C1' }, status: 'ACTIVE', last_updated: '2026-03-01T00:00:00Z', ...fields,
  })

  beforeAll(async () => {
    emsp = await hostParty('EMSP')
    peer = await registeredPeer({ roles: [roleOf('CPO', cpo)] })
  })

  it('refuses a session with 100,000 charging periods with the limit, on PUT and when PATCHes add up past it', async () => {
    // 100,000 periods are larger than INBOUND_BODY_MAX_BYTES: refused before parsing, HTTP 413 with an envelope.
    const huge = await ocpiFetch(url('HUGE'), { token: peer.token, method: 'PUT', body: session('HUGE', { charging_periods: periods(100_000) }) })
    expect(huge.status).toBe(413)
    expect(await huge.json<OcpiBody>()).toMatchObject({ status_code: 2000 })
    // Within the body limit but past what one session row may hold: 2001 naming the field and the limit.
    const refused = await (await ocpiFetch(url('LARGE'), { token: peer.token, method: 'PUT', body: session('LARGE', { charging_periods: periods(20_000) }) })).json<OcpiBody>()
    expect(refused).toMatchObject({ status_code: 2001, data: { path: 'charging_periods' } })
    expect(refused.status_message).toContain(String(SESSION_MAX_BYTES))
    await ocpiFetch(url('GROW'), { token: peer.token, method: 'PUT', body: session('GROW', { charging_periods: periods(9_000) }) })
    const grown = await (await ocpiFetch(url('GROW'), { token: peer.token, method: 'PATCH', body: { charging_periods: periods(20_000).slice(9_000), last_updated: '2026-03-01T01:00:00Z' } })).json<OcpiBody>()
    expect(grown).toMatchObject({ status_code: 2001, data: { path: 'charging_periods' } })
    const kept = await (await ocpiFetch(url('GROW'), { token: peer.token })).json<OcpiBody>()
    expect(kept.data.charging_periods).toHaveLength(9_000)
  }, 60_000)

  it('refuses a negative kwh with the path', async () => {
    const refused = await (await ocpiFetch(url('NEG'), { token: peer.token, method: 'PUT', body: session('NEG', { kwh: -1 }) })).json<OcpiBody>()
    expect(refused).toMatchObject({ status_code: 2001, data: { path: 'kwh' } })
  })
})
