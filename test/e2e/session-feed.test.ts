import { describe, expect, it } from 'vitest'
import { partyId } from './driver-records'
import { a, b, grantsOf, unique } from './harness'

// x-session-feed between two real platforms (B4.3): b hosts a data aggregator (a NAP), a a CPO whose sessions b reads
// anonymised, only at the locations a's sharing policy shows it.

function locationOf(cpo: { country_code: string; party_id: string }, id: string) {
  const last_updated = new Date().toISOString()
  return {
    ...cpo, id, publish: true, address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, time_zone: 'Europe/Amsterdam', last_updated,
    evses: [{ uid: 'E1', evse_id: `NL*${cpo.party_id}*E1`, status: 'AVAILABLE', last_updated,
      connectors: [{ id: '1', standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, last_updated }] }],
  }
}

describe.each(['2.2.1', '2.3.0'] as const)('an aggregator on b reads the sessions of a CPO on a over %s', (version) => {
  it('anonymised (no token uid, contract id or authorization reference), under a pseudonymous id, at the locations it may see', async () => {
    const cpo = { country_code: 'NL', party_id: partyId() }
    const nap = { country_code: 'NL', party_id: partyId() }
    await a.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'E2E CPO' } })
    await b.admin('POST', '/parties', { ...nap, role: 'NAP', business_details: { name: 'E2E aggregator' } })
    const extensions = ['x-session-feed']
    const invite = await a.admin('POST', '/peers/invite', { name: `aggregator b over ${version}`, extensions, grants: await grantsOf(b) })
    const peer = await b.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version, extensions, grants: await grantsOf(a) })
    expect(peer).toMatchObject({ version, status: 'CONNECTED' })
    const [shown, hidden] = [unique('LOC'), unique('LOC')]
    for (const id of [shown, hidden]) await a.admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/${id}`, locationOf(cpo, id))
    // Aggregators (the NAP role) see one location; everyone else all.
    await a.admin('PUT', `/policies/${cpo.country_code}/${cpo.party_id}`, { default: 'all', roles: { NAP: [shown] } })
    const uid = unique('SECRETUID')
    const contract = unique('DEMSPC')
    for (const [id, locationId] of [[unique('S'), shown], [unique('S'), hidden]] as const) {
      await a.admin('PUT', `/sessions/${cpo.country_code}/${cpo.party_id}/${id}`, {
        start_date_time: new Date(Date.now() - 600_000).toISOString(), kwh: 4.2,
        cdr_token: { country_code: 'DE', party_id: 'MSP', uid, type: 'RFID', contract_id: contract },
        auth_method: 'AUTH_REQUEST', authorization_reference: `AUTHREF${id}`, location_id: locationId, evse_uid: 'E1', connector_id: '1',
        currency: 'EUR', status: 'ACTIVE', charging_periods: [{ start_date_time: new Date(Date.now() - 600_000).toISOString(), dimensions: [{ type: 'ENERGY', volume: 4.2 }] }],
      })
    }
    const fed = await b.adminRaw('GET', `/session-feed/${peer.peer_id}?to=${cpo.country_code}*${cpo.party_id}`)
    expect(fed.status, JSON.stringify(fed.body)).toBe(200)
    expect(fed.body).toHaveLength(1)
    expect(fed.body[0]).toMatchObject({ ...cpo, location_id: shown, evse_uid: 'E1', kwh: 4.2, status: 'ACTIVE', charging_periods: [{ dimensions: [{ type: 'ENERGY', volume: 4.2 }] }] })
    expect(fed.body[0].id).toMatch(/^[0-9a-f]{32}$/)
    const text = JSON.stringify(fed.body)
    for (const secret of [uid, contract, 'AUTHREF', 'cdr_token']) expect(text).not.toContain(secret)
    await b.admin('DELETE', `/peers/${peer.peer_id}`)
  })
})
