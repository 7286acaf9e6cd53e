import { beforeAll, describe, expect, it } from 'vitest'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty } from '../locations/fixtures'
import { roleOf } from '../tokens/fixtures'

// x-session-feed (docs/extensions/x-session-feed.md): a data aggregator reads a CPO's sessions anonymised (B4.3).

const AGREED = ['x-session-feed']

describe('x-session-feed Sender (CPO side)', () => {
  const cpo = uniqueParty('NL')
  const emsp = { country_code: 'DE', party_id: 'MSP' }
  let aggregator: { id: string; token: string }
  let other: { id: string; token: string }

  const session = (id: string, locationId: string, minute: number) => ({
    start_date_time: `2026-03-01T10:0${minute}:00Z`, kwh: 2.5 + minute,
    cdr_token: { ...emsp, uid: `SECRET-UID-${id}`, type: 'RFID', contract_id: `DE-MSP-C-${id}` },
    auth_method: 'AUTH_REQUEST', authorization_reference: `AUTH-${id}`, location_id: locationId, evse_uid: `${locationId}-E1`, connector_id: '1',
    currency: 'EUR', status: 'ACTIVE', total_cost: { before_taxes: 1.5, taxes: [{ name: 'VAT', percentage: 21, amount: 0.315 }] },
    last_updated: `2026-03-01T10:0${minute}:30Z`,
  })
  const feed = async (peer: { token: string }, query = '') => {
    const response = await ocpiFetch(`/ocpi/2.3.0/sender/x-session-feed${query}`, { token: peer.token })
    return { response, body: await response.json<OcpiBody<any[]>>() }
  }

  beforeAll(async () => {
    await hostCpo(cpo)
    await putOwn(sampleLocation(cpo, 'LOC1'))
    await putOwn(sampleLocation(cpo, 'LOC2'))
    for (const [id, locationId, minute] of [['S1', 'LOC1', 1], ['S2', 'LOC2', 2], ['S3', 'LOC1', 3]] as const) {
      const put = await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/${id}`, { method: 'PUT', body: session(id, locationId, minute) })
      expect(put.status, await put.clone().text()).toBe(201)
    }
    aggregator = await registeredPeer({ roles: [roleOf('NAP', uniqueParty('NL'))], extensions: AGREED })
    other = await registeredPeer({ roles: [roleOf('NAP', uniqueParty('NL'))], extensions: AGREED })
  })

  it('feeds the CPO\'s sessions without the driver: no token uid, no contract id, no authorization reference, a pseudonymous id', async () => {
    const { response, body } = await feed(aggregator, '?date_from=2026-03-01T00:00:00Z')
    expect(body.status_code).toBe(1000)
    const ours = body.data!.filter((entry) => entry.party_id === cpo.party_id)
    expect(ours.map((entry) => entry.location_id)).toEqual(['LOC1', 'LOC2', 'LOC1'])
    expect(ours[0]).toMatchObject({ country_code: cpo.country_code, kwh: 3.5, evse_uid: 'LOC1-E1', connector_id: '1', status: 'ACTIVE', total_cost: { before_taxes: 1.5 } })
    const text = JSON.stringify(ours)
    for (const secret of ['SECRET-UID', 'DE-MSP-C-', 'AUTH-S', 'cdr_token', 'authorization_reference', '"S1"']) expect(text).not.toContain(secret)
    expect(ours[0].id).toMatch(/^[0-9a-f]{32}$/)
    expect(Number(response.headers.get('X-Total-Count'))).toBeGreaterThanOrEqual(3)
    // Stable for one aggregator, different for another: its updates can be followed, but not joined across aggregators.
    expect((await feed(aggregator, '?date_from=2026-03-01T00:00:00Z')).body.data!.find((entry) => entry.party_id === cpo.party_id).id).toBe(ours[0].id)
    const seenByOther = (await feed(other, '?date_from=2026-03-01T00:00:00Z')).body.data!.filter((entry) => entry.party_id === cpo.party_id)
    expect(seenByOther[0].id).not.toBe(ours[0].id)
  })

  it('follows the CPO\'s sharing policy: sessions at a location hidden from the aggregator are left out, and counted out', async () => {
    const policy = await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: { default: 'all', peers: { [aggregator.id]: ['LOC1'] } } })
    expect(policy.status).toBe(202)
    const headers = { 'OCPI-to-country-code': cpo.country_code, 'OCPI-to-party-id': cpo.party_id }
    const response = await ocpiFetch('/ocpi/2.3.0/sender/x-session-feed', { token: aggregator.token, headers })
    const body = await response.json<OcpiBody<any[]>>()
    expect(body.data!.map((entry) => entry.location_id)).toEqual(['LOC1', 'LOC1'])
    expect(response.headers.get('X-Total-Count')).toBe('2')
    const paged = await ocpiFetch('/ocpi/2.3.0/sender/x-session-feed?limit=1', { token: aggregator.token, headers })
    expect((await paged.json<OcpiBody<any[]>>()).data).toHaveLength(1)
    expect(paged.headers.get('Link')).toContain('rel="next"')
    const otherView = await ocpiFetch('/ocpi/2.3.0/sender/x-session-feed', { token: other.token, headers })
    expect(otherView.headers.get('X-Total-Count')).toBe('3')
  })

  it('is not there for a peer that did not agree, and empty for a peer that is not an aggregator', async () => {
    const notAgreed = await registeredPeer({ roles: [roleOf('NAP', uniqueParty('NL'))] })
    expect((await ocpiFetch('/ocpi/2.3.0/sender/x-session-feed', { token: notAgreed.token })).status).toBe(404)
    const emspPeer = await registeredPeer({ roles: [roleOf('EMSP', uniqueParty('DE'))], extensions: AGREED })
    const { response, body } = await feed(emspPeer)
    expect(body).toMatchObject({ status_code: 1000, data: [], status_message: 'Sessions are fed to NAP, NSP and OTHER peers only' })
    expect(response.headers.get('X-Total-Count')).toBe('0')
  })
})
