import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import { limitedReading } from '../../../src/modules/commands/limits'
import { purgeTestOutboxes } from '../../push/fixtures'
import { adminFetch, commandView, cpoWithEmspPeer, data, fakePeer, lastReceivedCommand, ocpiFetch, rfidToken, settle } from './fixtures'

afterEach(async () => {
  await purgeTestOutboxes()
})

const free = () => ({ before_taxes: 0 })
const perKwh = (price: number) => (periods: { dimensions: { type: string; volume: number }[] }[]) =>
  ({ before_taxes: periods.flatMap((period) => period.dimensions).filter((dimension) => dimension.type === 'ENERGY').reduce((sum, dimension) => sum + dimension.volume * price, 0) })

describe('limitedReading', () => {
  const start = Date.UTC(2026, 2, 1, 10)
  const readings = [{ at: start, kwh: 100 }]
  const hour = { at: start + 3_600_000, kwh: 111 }

  it('moves the reading back to the energy limit, never past it', () => {
    const { reading, reason } = limitedReading(readings, hour, { max_kwh: 5 }, start, free)
    expect(reason).toBe('max_kwh')
    expect(reading.kwh).toBe(105)
    expect(reading.at).toBeLessThanOrEqual(start + (5 / 11) * 3_600_000)
  })

  it('stops at stop_at or after max_duration, whichever comes first, and at the cost limit', () => {
    expect(limitedReading(readings, hour, { stop_at: new Date(start + 600_000).toISOString(), max_duration_minutes: 30 }, start, free))
      .toEqual({ reading: { at: start + 600_000, kwh: 100 + Math.floor(11_000 / 6) / 1000 }, reason: 'stop_at' })
    const { reading, reason } = limitedReading(readings, hour, { max_cost: { amount: 2, currency: 'EUR' } }, start, perKwh(0.5))
    expect(reason).toBe('max_cost')
    expect(reading.kwh - 100).toBeLessThanOrEqual(4)
    expect(reading.kwh - 100).toBeGreaterThan(3.99)
  })

  it('leaves a reading within every limit unchanged', () => {
    expect(limitedReading(readings, hour, { max_kwh: 20, max_duration_minutes: 120 }, start, free)).toEqual({ reading: hour })
  })
})

describe('x-charging-limits (CPO side)', () => {
  async function liveSimulatedSession(extensions = ['x-charging-limits']) {
    const setup = await cpoWithEmspPeer('2.3.0', extensions)
    const emspSide = fakePeer()
    try {
      await setup.command('START_SESSION', { response_url: setup.responseUrl('START_SESSION/1'), token: rfidToken(setup.emsp, 'L1'), location_id: 'LOC1', evse_uid: 'LOC1-E1' })
      const id = await lastReceivedCommand(setup.peer.id, 'START_SESSION')
      await settle(id)
      const sessionId = (await commandView(id)).history.find((entry) => entry.event === 'result')!.detail.session_id as string
      const url = `/ocpi/2.3.0/receiver/x-charging-limits/${setup.cpo.country_code}/${setup.cpo.party_id}/${sessionId}`
      return { ...setup, sessionId, url }
    } finally {
      emspSide.restore()
    }
  }

  it('stops a simulated session exactly at stop_at, and the eMSP sees why', async () => {
    const { cpo, peer, sessionId, url } = await liveSimulatedSession()
    const stopAt = new Date(Date.now() + 30).toISOString()
    expect(await data(await ocpiFetch(url, { token: peer.token, method: 'PUT', body: { stop_at: stopAt, max_kwh: 50 } }))).toMatchObject({ status_code: 1000 })
    await new Promise((resolve) => setTimeout(resolve, 60))
    const live = env.CHARGING_SESSION.get(env.CHARGING_SESSION.idFromName(`${cpo.country_code}*${cpo.party_id}*${sessionId}`))
    await runDurableObjectAlarm(live) // the alarm at stop_at, unless it already ran
    expect(await data(await ocpiFetch(url, { token: peer.token }))).toMatchObject({ data: { status: 'STOPPED', stopped_by: 'stop_at', limits: { stop_at: stopAt } } })
    const session = await (await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/${sessionId}?source=own`)).json<any>()
    expect(session).toMatchObject({ status: 'COMPLETED' })
    expect(Date.parse(session.end_date_time)).toBeLessThanOrEqual(Date.parse(stopAt))
    const cdr = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/${sessionId}?source=own`)).json<any>()
    expect(cdr.remark).toBe('Stopped at the charging limit stop_at')
    expect(await data(await ocpiFetch(url, { token: peer.token, method: 'PUT', body: { max_kwh: 1 } }))).toMatchObject({ status_code: 2003 })
  })

  it('refuses a cost limit in another currency with the path, limits of another eMSP\'s session, and peers without the agreement', async () => {
    const { peer, url } = await liveSimulatedSession()
    expect(await data(await ocpiFetch(url, { token: peer.token, method: 'PUT', body: { max_cost: { amount: 10, currency: 'USD' } } })))
      .toMatchObject({ status_code: 2001, data: { path: 'max_cost.currency' } })
    expect(await data(await ocpiFetch(url, { token: peer.token, method: 'PUT', body: { max_kwh: -1 } }))).toMatchObject({ status_code: 2001, data: { path: 'max_kwh' } })
    expect(await data(await ocpiFetch(url, { token: peer.token, method: 'PUT', body: { max_cost: { amount: 10, currency: 'EUR' } } }))).toMatchObject({ status_code: 1000 })
    const other = await cpoWithEmspPeer('2.3.0', ['x-charging-limits'])
    expect((await ocpiFetch(url, { token: other.peer.token, method: 'PUT', body: { max_kwh: 1 } })).status).toBe(404)
    const unagreed = await liveSimulatedSession([])
    expect((await ocpiFetch(unagreed.url, { token: unagreed.peer.token, method: 'PUT', body: { max_kwh: 1 } })).status).toBe(404)
  })

  it('ends a CSMS-reported session at the first reading that reaches max_kwh; later or repeated readings change nothing', async () => {
    const { cpo, peer, emsp } = await cpoWithEmspPeer('2.3.0', ['x-charging-limits'])
    const base = `/csms/sessions/${cpo.country_code}/${cpo.party_id}/C1`
    const t = (minute: number) => new Date(Date.UTC(2026, 2, 1, 10, minute)).toISOString()
    await adminFetch(`${base}/start`, { method: 'POST', body: {
      start_date_time: t(0), kwh: 0, cdr_token: { ...emsp, uid: 'C1', type: 'RFID', contract_id: 'C1' }, auth_method: 'WHITELIST',
      location_id: 'LOC1', evse_uid: 'LOC1-E1', connector_id: '1', currency: 'EUR', status: 'ACTIVE',
    } })
    const url = `/ocpi/2.3.0/receiver/x-charging-limits/${cpo.country_code}/${cpo.party_id}/C1`
    expect(await data(await ocpiFetch(url, { token: peer.token, method: 'PUT', body: { max_kwh: 2 } }))).toMatchObject({ status_code: 1000 })
    const meter = (minute: number, kwh: number) => adminFetch(`${base}/meter`, { method: 'POST', body: { timestamp: t(minute), kwh } })
    await meter(0, 500)
    await meter(10, 501)
    await meter(20, 502)
    await meter(20, 502)
    await meter(15, 501.5)
    expect(await data(await ocpiFetch(url, { token: peer.token }))).toMatchObject({ data: { status: 'STOPPED', stopped_by: 'max_kwh', kwh: 2 } })
    const cdr = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/C1?source=own`)).json<any>()
    expect(cdr).toMatchObject({ total_energy: 2, end_date_time: t(20), remark: 'Stopped at the charging limit max_kwh' })
  })
})
