import { afterEach, describe, expect, it } from 'vitest'
import { purgeTestOutboxes } from '../../push/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty } from '../locations/fixtures'
import { adminFetch, rfidToken } from './fixtures'
import { tariffBody } from '../tariffs/fixtures'
import { cdrCostBreakdown, cdrCosts, priceSession } from '../../../src/tariff'
import { present } from '../../present'

afterEach(async () => {
  await purgeTestOutboxes()
})

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString()

describe('a live session reported by a CSMS', () => {
  it('counts absolute meter readings once, in time order, whatever order or how often they arrive, and ends with a CDR', async () => {
    const cpo = uniqueParty('NL')
    await hostCpo(cpo)
    await putOwn(sampleLocation(cpo, 'LOC1'))
    const base = `/csms/sessions/${cpo.country_code}/${cpo.party_id}/S1`
    const token = rfidToken({ country_code: 'DE', party_id: 'MSP' }, 'U1')
    const session = {
      start_date_time: at(0), kwh: 0, cdr_token: { country_code: 'DE', party_id: 'MSP', uid: token.uid, type: 'RFID', contract_id: token.contract_id },
      auth_method: 'WHITELIST', location_id: 'LOC1', evse_uid: 'LOC1-E1', connector_id: '1', currency: 'EUR', status: 'ACTIVE',
    }
    expect((await adminFetch(`${base}/start`, { method: 'POST', body: session })).status).toBe(201)
    expect((await adminFetch(`${base}/start`, { method: 'POST', body: session })).status).toBe(409)
    const meter = async (minute: number, kwh: number) => (await (await adminFetch(`${base}/meter`, { method: 'POST', body: { timestamp: at(minute), kwh } })).json<{ outcome: string }>()).outcome
    expect(await meter(0, 1000)).toBe('recorded') // the register's baseline
    expect(await meter(20, 1003.5)).toBe('recorded')
    expect(await meter(20, 1003.5)).toBe('ignored') // the same value again
    expect(await meter(10, 1001.25)).toBe('recorded') // late, put in its place
    expect(await meter(15, 1000.5)).toBe('ignored') // would run the meter backwards
    expect(await meter(10, 1001.25)).toBe('ignored')
    const live = await (await adminFetch(`/live-sessions/${cpo.country_code}/${cpo.party_id}/S1`)).json<any>()
    expect(live).toMatchObject({ kwh: 3.5, readings: 3, stopped: false })
    const stored = await (await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/S1?source=own`)).json<any>()
    expect(stored.kwh).toBe(3.5)
    expect(stored.charging_periods).toEqual([
      { start_date_time: at(0), dimensions: [{ type: 'ENERGY', volume: 1.25 }, { type: 'TIME', volume: 0.16667 }] },
      { start_date_time: at(10), dimensions: [{ type: 'ENERGY', volume: 2.25 }, { type: 'TIME', volume: 0.16667 }] },
    ])
    expect((await adminFetch(`${base}/stop`, { method: 'POST', body: { timestamp: at(30) } })).status).toBe(200)
    expect(await meter(25, 1004)).toBe('ignored') // after the stop
    const cdr = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/S1?source=own`)).json<any>()
    expect(cdr).toMatchObject({ total_energy: 3.5, total_time: 0.5, end_date_time: at(30), cdr_location: { id: 'LOC1', evse_uid: 'LOC1-E1' } })
    expect((await adminFetch(`${base}/stop`, { method: 'POST', body: {} })).status).toBe(404)
  })

  it('prices the live session and the CDR with the tariff engine, from the connector\'s tariff', async () => {
    const cpo = uniqueParty('NL')
    await hostCpo(cpo)
    const tariffPut = await adminFetch(`/tariffs/${cpo.country_code}/${cpo.party_id}/T1`, { method: 'PUT', body: tariffBody() })
    expect(tariffPut.status, await tariffPut.clone().text()).toBeLessThan(300)
    const tariff = await tariffPut.json<any>()
    const location = sampleLocation(cpo, 'LOC1')
    present(location.evses?.[0]?.connectors[0], 'the sample connector').tariff_ids = ['T1']
    await putOwn(location)
    const base = `/csms/sessions/${cpo.country_code}/${cpo.party_id}/P1`
    await adminFetch(`${base}/start`, { method: 'POST', body: {
      start_date_time: at(0), kwh: 0, cdr_token: { country_code: 'DE', party_id: 'MSP', uid: 'P1', type: 'RFID', contract_id: 'P1' }, auth_method: 'WHITELIST',
      location_id: 'LOC1', evse_uid: 'LOC1-E1', connector_id: '1', currency: 'EUR', status: 'ACTIVE',
    } })
    for (const [minute, kwh] of [[0, 20], [10, 21.5], [20, 24.25]] as const) {
      await adminFetch(`${base}/meter`, { method: 'POST', body: { timestamp: at(minute), kwh } })
    }
    const live = await (await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/P1?source=own`)).json<any>()
    expect(live.total_cost).toEqual(cdrCosts(priceSession(tariff, { ...live, end_date_time: at(20) }, { time_zone: 'Europe/Amsterdam' }), '2.3.0').total_cost)
    expect(live.total_cost.before_taxes).toBeCloseTo(4.25 * 0.35, 2)
    await adminFetch(`${base}/stop`, { method: 'POST', body: { timestamp: at(20) } })
    const cdr = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/P1?source=own`)).json<any>()
    const breakdown = priceSession(tariff, cdr, { time_zone: 'Europe/Amsterdam' })
    const expected = cdrCosts(breakdown, '2.3.0')
    expect(cdr).toMatchObject({ currency: 'EUR', total_energy: 4.25, tariffs: [{ id: 'T1' }], total_cost: expected.total_cost, total_energy_cost: expected.total_energy_cost })
    // Cost per period and dimension, VAT rate and amount per cost type: the engine's, in the cost_breakdown extension.
    expect(cdr.cost_breakdown).toEqual(cdrCostBreakdown(breakdown))
    expect(cdr.cost_breakdown.charging_periods).toHaveLength(2)
    expect(cdr.cost_breakdown.cost_types).toContainEqual({ cost_type: 'ENERGY', cost: expected.total_energy_cost })
    expect(cdr.total_cost).toEqual(live.total_cost)
  })

  it('refuses a meter value for a session that is not live here, and a bad reading with the path', async () => {
    const cpo = uniqueParty('NL')
    expect((await adminFetch(`/csms/sessions/${cpo.country_code}/${cpo.party_id}/NOPE/meter`, { method: 'POST', body: { timestamp: at(1), kwh: 1 } })).status).toBe(404)
    const bad = await adminFetch(`/csms/sessions/${cpo.country_code}/${cpo.party_id}/NOPE/meter`, { method: 'POST', body: { timestamp: at(1), kwh: -1 } })
    expect(await bad.json()).toMatchObject({ error: { path: 'kwh' } })
  })
})
