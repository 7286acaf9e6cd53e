import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { partyId } from './driver-records'
import { a, b, d, grantsOf, unique, type Platform } from './harness'
import { startPlatform, stopPlatform } from './platform-process'
import { priceFrom221, type Price } from '../../src/ocpi/types'
import type { CDR } from '../../src/ocpi/objects/cdr'
import type { Tariff } from '../../src/ocpi/objects/tariff'
import { cdrCostBreakdown, price221Of, priceOf, priceSession, type Cost } from '../../src/tariff'

// Charging end to end between two real platforms: b hosts an eMSP whose app starts a charge at a's hosted CPO, whose
// built-in charge point simulator carries the commands out. b follows each command through its management API.

const poll = { timeout: 30_000, interval: 250 }

function locationOf(cpo: { country_code: string; party_id: string }, id: string, tariffIds?: string[]) {
  const last_updated = new Date().toISOString()
  const connector = (connectorId: string) => ({
    id: connectorId, standard: 'IEC_62196_T2', format: 'SOCKET', power_type: 'AC_3_PHASE', max_voltage: 230, max_amperage: 32, last_updated, ...(tariffIds && { tariff_ids: tariffIds }),
  })
  return {
    ...cpo, id, publish: true, address: 'Stationsplein 1', city: 'Amsterdam', postal_code: '1012 AB', country: 'NLD',
    coordinates: { latitude: '52.378901', longitude: '4.900272' }, time_zone: 'Europe/Amsterdam', last_updated,
    evses: ['E1', 'E2'].map((uid) => ({ uid, evse_id: `NL*${cpo.party_id}*E${uid}`, status: 'AVAILABLE', connectors: [connector('1')], last_updated })),
  }
}

const appToken = (emsp: { country_code: string; party_id: string }) => ({
  ...emsp, uid: unique('APP'), type: 'APP_USER', contract_id: `${emsp.country_code}${emsp.party_id}C${unique('')}`, issuer: 'E2E eMSP',
  valid: true, whitelist: 'ALLOWED', last_updated: new Date().toISOString(),
})

/** Hosts a CPO with one location on `cpoPlatform`, an eMSP on b, and connects b to it; returns b's peer id for it. */
async function connect(cpoPlatform: Platform, version: string) {
  const cpo = { country_code: 'NL', party_id: partyId() }
  const emsp = { country_code: 'DE', party_id: partyId() }
  const locationId = unique('LOC')
  await cpoPlatform.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'E2E CPO' } })
  await b.admin('POST', '/parties', { ...emsp, role: 'EMSP', business_details: { name: 'E2E eMSP' } })
  const extensions = ['x-charging-limits', 'x-cdr-cost-breakdown', 'x-helpdesk']
  // A start fee, energy and time at two VAT rates: every cost type the CDR states has its own VAT.
  const tariff: Tariff = await cpoPlatform.admin('PUT', `/tariffs/${cpo.country_code}/${cpo.party_id}/${locationId}-T`, {
    currency: 'EUR', type: 'REGULAR', tax_included: 'NO', elements: [
      { price_components: [{ type: 'FLAT', price: 0.5, vat: 21, step_size: 1 }] },
      { price_components: [{ type: 'ENERGY', price: 0.35, vat: 21, step_size: 1 }, { type: 'TIME', price: 1.2, vat: 9, step_size: 60 }] },
    ],
  })
  const invite = await cpoPlatform.admin('POST', '/peers/invite', { name: `b over ${version}`, extensions, grants: await grantsOf(b) })
  const peer = await b.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, version, extensions, grants: await grantsOf(cpoPlatform) })
  expect(peer).toMatchObject({ version, status: 'CONNECTED' })
  // Written once b is connected, so a pushes it to b, and then every EVSE status change.
  await cpoPlatform.admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/${locationId}`, locationOf(cpo, locationId, [tariff.id]))
  return { cpo, emsp, locationId, tariff, peerId: peer.peer_id as string, to: `to=${cpo.country_code}*${cpo.party_id}` }
}

const finalState = async (id: string) => {
  const view = (await b.adminRaw('GET', `/commands/${id}`)).body
  return view?.command?.final ? view.command.state : undefined
}

describe.each(['2.2.1', '2.3.0'] as const)('charging from eMSP platform b at CPO platform a over %s', (version) => {
  let setup: Awaited<ReturnType<typeof connect>>
  beforeAll(async () => {
    setup = await connect(a, version)
  })

  const send = async (command: string, body: unknown) => {
    const response = await b.adminRaw('POST', `/commands/${setup.peerId}/${command}?${setup.to}`, body)
    expect(response.status, JSON.stringify(response.body)).toBe(202)
    return response.body as { command_id: string; state: string }
  }

  it('B6.1: an app start is ACCEPTED at b, the session runs with updates at b, a stop ends it, and b receives the CDR', async () => {
    const token = appToken(setup.emsp)
    const start = await send('START_SESSION', { token, location_id: setup.locationId, evse_uid: 'E1', connector_id: '1' })
    expect(start.state).toBe('ACCEPTED')
    await expect.poll(() => finalState(start.command_id), poll).toBe('ACCEPTED')
    const history = (await b.admin('GET', `/commands/${start.command_id}`)).history.map((entry: { event: string }) => entry.event)
    // The CPO's CommandResult may reach b before b has recorded the CPO's synchronous CommandResponse (the simulator
    // answers within milliseconds): the history keeps arrival order, the command's state is the result's either way.
    expect(history[0]).toBe('sent')
    expect([...history].sort()).toEqual(['response', 'result', 'sent'])

    const receivedSession = async () => (await b.admin('GET', `/sessions?source=received&limit=1000`)).find((session: any) => session.cdr_token.uid === token.uid)
    await expect.poll(async () => (await receivedSession())?.status, poll).toBe('ACTIVE')
    await expect.poll(async () => (await receivedSession())?.kwh ?? 0, poll).toBeGreaterThan(0)
    const session = await receivedSession()
    expect(session).toMatchObject({ ...setup.cpo, auth_method: 'COMMAND', location_id: setup.locationId, evse_uid: 'E1', connector_id: '1' })

    const stop = await send('STOP_SESSION', { session_id: session.id })
    await expect.poll(() => finalState(stop.command_id), poll).toBe('ACCEPTED')
    await expect.poll(async () => (await b.adminRaw('GET', `/cdrs/${setup.cpo.country_code}/${setup.cpo.party_id}/${session.id}?source=received`)).body, poll)
      .toMatchObject({ session_id: session.id, cdr_token: { uid: token.uid }, cdr_location: { id: setup.locationId, evse_uid: 'E1' }, total_energy: expect.any(Number) })
    await expect.poll(async () => (await receivedSession())?.status, poll).toBe('COMPLETED')
    const cdr: CDR = (await b.admin('GET', `/cdrs/${setup.cpo.country_code}/${setup.cpo.party_id}/${session.id}?source=received`))
    expect(cdr.total_energy).toBe((await receivedSession()).kwh)

    // Price and VAT at b are what the tariff engine computes for the CPO's tariff and the CDR's periods: total and per
    // cost type, in the peer's version (2.2.1 carries excl/incl VAT, read back at b as one VAT line), and the VAT rates
    // and per-period costs in the agreed cost_breakdown.
    const breakdown = priceSession(setup.tariff, cdr, { time_zone: 'Europe/Amsterdam' })
    const asReceived = (cost: Cost): Price => (version === '2.3.0' ? priceOf(cost) : priceFrom221(price221Of(cost)))
    expect(Number(breakdown.total_cost.after_taxes)).toBeGreaterThan(0.5)
    expect(cdr.tariffs?.map((tariff) => tariff.id)).toEqual([setup.tariff.id])
    expect(cdr.total_cost).toEqual(asReceived(breakdown.total_cost))
    expect(cdr.total_fixed_cost).toEqual(asReceived(breakdown.total_fixed_cost))
    expect(cdr.total_energy_cost).toEqual(asReceived(breakdown.total_energy_cost))
    expect(cdr.total_time_cost).toEqual(asReceived(breakdown.total_time_cost))
    expect(cdr.cost_breakdown).toEqual(cdrCostBreakdown(breakdown))
    const vatRates = cdr.cost_breakdown?.cost_types.flatMap((entry) => (entry.cost.taxes ?? []).map((tax) => [entry.cost_type, tax.percentage]))
    expect(vatRates).toEqual(expect.arrayContaining([['FIXED', 21], ['ENERGY', 21], ['TIME', 9]]))
  })

  it('B4.2: a pre-paid session stops at its energy limit, not after, and b sees why', async () => {
    const token = appToken(setup.emsp)
    const start = await send('START_SESSION', { token, location_id: setup.locationId, evse_uid: 'E1' })
    await expect.poll(() => finalState(start.command_id), poll).toBe('ACCEPTED')
    const receivedSession = async () => (await b.admin('GET', `/sessions?source=received&limit=1000`)).find((session: any) => session.cdr_token.uid === token.uid)
    await expect.poll(async () => (await receivedSession())?.status, poll).toBe('ACTIVE')
    const session = await receivedSession()
    const limitsPath = `/charging-limits/${setup.peerId}/${setup.cpo.country_code}/${setup.cpo.party_id}/${session.id}`
    const refused = await b.adminRaw('PUT', limitsPath, { max_cost: { amount: 5, currency: 'USD' } })
    expect(refused.body).toMatchObject({ error: { path: 'max_cost.currency' } })
    await b.admin('PUT', limitsPath, { max_kwh: 0.5 })
    await expect.poll(async () => (await b.admin('GET', limitsPath)).stopped_by, poll).toBe('max_kwh')
    const cdrPath = `/cdrs/${setup.cpo.country_code}/${setup.cpo.party_id}/${session.id}?source=received`
    await expect.poll(async () => (await b.adminRaw('GET', cdrPath)).status, poll).toBe(200)
    const cdr = (await b.adminRaw('GET', cdrPath)).body
    expect(cdr.total_energy).toBeLessThanOrEqual(0.5)
    expect(cdr.remark).toBe('Stopped at the charging limit max_kwh')
    await expect.poll(async () => (await receivedSession())?.status, poll).toBe('COMPLETED')
    expect((await receivedSession()).kwh).toBeLessThanOrEqual(0.5)
  })

  it('RESERVE_NOW reserves an EVSE, as b sees in the location a pushes, and CANCEL_RESERVATION frees it', async () => {
    const evseAtB = async () => (await b.adminRaw('GET', `/locations/${setup.cpo.country_code}/${setup.cpo.party_id}/${setup.locationId}?source=${setup.peerId}`)).body?.evses?.find((evse: any) => evse.uid === 'E2')?.status
    const reservationId = unique('R')
    const reserve = await send('RESERVE_NOW', { token: appToken(setup.emsp), expiry_date: new Date(Date.now() + 3_600_000).toISOString(), reservation_id: reservationId, location_id: setup.locationId, evse_uid: 'E2' })
    await expect.poll(() => finalState(reserve.command_id), poll).toBe('ACCEPTED')
    await expect.poll(evseAtB, poll).toBe('RESERVED')
    const cancel = await send('CANCEL_RESERVATION', { reservation_id: reservationId })
    await expect.poll(() => finalState(cancel.command_id), poll).toBe('ACCEPTED')
    await expect.poll(evseAtB, poll).toBe('AVAILABLE')
    const again = await send('CANCEL_RESERVATION', { reservation_id: reservationId })
    await expect.poll(() => finalState(again.command_id), poll).toBe('UNKNOWN_RESERVATION')
  })

  it('UNLOCK_CONNECTOR is ACCEPTED for a connector that exists and REJECTED for one that does not; an unknown location is REJECTED at once', async () => {
    const unlock = await send('UNLOCK_CONNECTOR', { location_id: setup.locationId, evse_uid: 'E1', connector_id: '1' })
    await expect.poll(() => finalState(unlock.command_id), poll).toBe('ACCEPTED')
    const missing = await send('UNLOCK_CONNECTOR', { location_id: setup.locationId, evse_uid: 'E1', connector_id: '9' })
    await expect.poll(() => finalState(missing.command_id), poll).toBe('REJECTED')
    const unknown = await send('UNLOCK_CONNECTOR', { location_id: 'NO-SUCH-LOCATION', evse_uid: 'E1', connector_id: '1' })
    expect(unknown.state).toBe('REJECTED')
  })

  it('B6.2: b\'s helpdesk resets a charge point and unlocks a connector at a (x-helpdesk); a connector a does not have is REJECTED', async () => {
    const helpdesk = async (command: string, body: Record<string, unknown>) => {
      const response = await b.adminRaw('POST', `/commands/${setup.peerId}/x-helpdesk/${command}?${setup.to}`, { ...setup.emsp, location_id: setup.locationId, evse_uid: 'E2', ...body })
      expect(response.status, JSON.stringify(response.body)).toBe(202)
      return response.body as { command_id: string; state: string }
    }
    const reset = await helpdesk('RESET', { type: 'SOFT', reference: unique('TICKET') })
    expect(reset.state).toBe('ACCEPTED')
    await expect.poll(() => finalState(reset.command_id), poll).toBe('ACCEPTED')
    const unlock = await helpdesk('UNLOCK', { connector_id: '1' })
    await expect.poll(() => finalState(unlock.command_id), poll).toBe('ACCEPTED')
    expect((await b.admin('GET', `/commands/${unlock.command_id}`)).history.map((entry: { event: string }) => entry.event)).toEqual(expect.arrayContaining(['sent', 'response', 'result']))
    const missing = await helpdesk('UNLOCK', { connector_id: '9' })
    expect(missing.state).toBe('REJECTED')
  })
})

describe('a command the charge point never answers', () => {
  // The CPO platform d forwards commands to its operator's CSMS, which takes them and never reports a result.
  const csmsReceived: any[] = []
  let csms: Server
  beforeAll(async () => {
    csms = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        csmsReceived.push(JSON.parse(body))
        response.writeHead(202).end()
      })
    })
    await new Promise<void>((resolve) => csms.listen(0, '127.0.0.1', resolve))
    const csmsUrl = `http://127.0.0.1:${(csms.address() as AddressInfo).port}/commands`
    await startPlatform('d', { fresh: true, vars: { CSMS_WEBHOOK_URL: csmsUrl, COMMAND_TIMEOUT_SECONDS: '2' } })
  })
  afterAll(async () => {
    await stopPlatform('d')
    csms.close()
  })

  it('is reported TIMEOUT to the eMSP after the announced timeout', async () => {
    const setup = await connect(d, '2.3.0')
    const response = await b.admin('POST', `/commands/${setup.peerId}/UNLOCK_CONNECTOR?${setup.to}`, { location_id: setup.locationId, evse_uid: 'E1', connector_id: '1' })
    expect(response).toMatchObject({ state: 'ACCEPTED', response: { result: 'ACCEPTED', timeout: 2 } })
    await expect.poll(() => finalState(response.command_id), poll).toBe('TIMEOUT')
    expect(csmsReceived).toEqual([expect.objectContaining({ command: 'UNLOCK_CONNECTOR', cpo: setup.cpo, request: { location_id: setup.locationId, evse_uid: 'E1', connector_id: '1' } })])
  })
})

describe('one platform hosting both the eMSP and the CPO (the npm start demo)', () => {
  it('starts and stops a charge through a loopback peer: the platform registered with itself', async () => {
    const { c } = await import('./harness')
    const cpo = { country_code: 'NL', party_id: partyId() }
    const emsp = { country_code: 'DE', party_id: partyId() }
    await c.admin('POST', '/parties', { ...cpo, role: 'CPO', business_details: { name: 'Demo CPO' } })
    await c.admin('POST', '/parties', { ...emsp, role: 'EMSP', business_details: { name: 'Demo eMSP' } })
    const locationId = unique('LOC')
    await c.admin('PUT', `/locations/${cpo.country_code}/${cpo.party_id}/${locationId}`, locationOf(cpo, locationId))
    // Its own parties are hosted here, so the operator grants them to the loopback connection explicitly (role grants).
    const grants = await grantsOf(c)
    const invite = await c.admin('POST', '/peers/invite', { name: 'loopback', grants })
    const peer = await c.admin('POST', '/peers/connect', { versions_url: invite.versions_url, token_a: invite.token_a, grants })
    // Unregistered at the end: a platform connected to itself would otherwise hold every party c hosts later in this run.
    onTestFinished(async () => { await c.admin('DELETE', `/peers/${peer.peer_id}`) })
    const token = appToken(emsp)
    const start = await c.admin('POST', `/commands/${peer.peer_id}/START_SESSION?to=${cpo.country_code}*${cpo.party_id}`, { token, location_id: locationId, evse_uid: 'E1' })
    expect(start.state).toBe('ACCEPTED')
    const state = async (id: string) => (await c.admin('GET', `/commands/${id}`)).command
    await expect.poll(async () => (await state(start.command_id)).state, poll).toBe('ACCEPTED')
    await expect.poll(async () => (await state(start.command_id)).final, poll).toBe(true)
    const ownSession = async () => (await c.admin('GET', '/sessions?source=own&limit=1000')).find((session: any) => session.cdr_token.uid === token.uid)
    await expect.poll(async () => (await ownSession())?.kwh ?? 0, poll).toBeGreaterThan(0)
    const session = await ownSession()
    const stop = await c.admin('POST', `/commands/${peer.peer_id}/STOP_SESSION?to=${cpo.country_code}*${cpo.party_id}&from=${emsp.country_code}*${emsp.party_id}`, { session_id: session.id })
    await expect.poll(async () => (await state(stop.command_id)).state, poll).toBe('ACCEPTED')
    await expect.poll(async () => (await c.adminRaw('GET', `/cdrs/${cpo.country_code}/${cpo.party_id}/${session.id}?source=own`)).status, poll).toBe(200)
  })
})
