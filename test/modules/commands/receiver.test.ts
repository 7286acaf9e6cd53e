import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import { purgeTestOutboxes } from '../../push/fixtures'
import {
  adminFetch, commandView, cpoWithEmspPeer, data, EMSP_HOST, fakePeer, lastReceivedCommand, rfidToken, settle, tracker,
} from './fixtures'

afterEach(async () => {
  await purgeTestOutboxes()
})

const liveSession = (cpo: { country_code: string; party_id: string }, id: string) =>
  env.CHARGING_SESSION.get(env.CHARGING_SESSION.idFromName(`${cpo.country_code}*${cpo.party_id}*${id}`.toUpperCase()))

describe.each(['2.3.0', '2.2.1'] as const)('Commands Receiver (CPO side) over %s', (version) => {
  it('START_SESSION: ACCEPTED with a timeout, the simulator starts the session, ACCEPTED at the response_url; STOP_SESSION ends it with a CDR', async () => {
    const { cpo, emsp, peer, command, responseUrl } = await cpoWithEmspPeer(version)
    const emspSide = fakePeer()
    try {
      const start = await command('START_SESSION', { response_url: responseUrl('START_SESSION/1'), token: rfidToken(emsp, 'U1'), location_id: 'LOC1', evse_uid: 'LOC1-E1' })
      expect(await data(start)).toMatchObject({ status_code: 1000, data: { result: 'ACCEPTED', timeout: 30 } })
      const id = await lastReceivedCommand(peer.id, 'START_SESSION')
      await settle(id)
      const posted = emspSide.received.find((push) => push.url === responseUrl('START_SESSION/1'))
      expect(posted).toMatchObject({ method: 'POST', body: { result: 'ACCEPTED' } })
      expect(posted!.headers.get('Authorization')).toBe(`Token ${btoa('token-we-present')}`)
      const view = await commandView(id)
      expect(view.command).toMatchObject({ side: 'received', state: 'ACCEPTED', final: true, delivered: true })
      expect(view.history.map((entry) => entry.event)).toEqual(['response', 'dispatched', 'result', 'result_delivered'])
      const sessionId = view.history.find((entry) => entry.event === 'result')!.detail.session_id
      const session = await (await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/${sessionId}?source=own`)).json<any>()
      expect(session).toMatchObject({ status: 'ACTIVE', auth_method: 'COMMAND', location_id: 'LOC1', evse_uid: 'LOC1-E1', connector_id: '1', cdr_token: { uid: 'U1' } })
      const location = await (await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/LOC1`)).json<any>()
      expect(location.evses[0].status).toBe('CHARGING')

      expect(await runDurableObjectAlarm(liveSession(cpo, sessionId))).toBe(true) // one meter value
      expect(await liveSession(cpo, sessionId).live()).toMatchObject({ readings: 2, stopped: false })

      const stop = await command('STOP_SESSION', { response_url: responseUrl('STOP_SESSION/2'), session_id: sessionId })
      expect(await data(stop)).toMatchObject({ data: { result: 'ACCEPTED' } })
      await settle(await lastReceivedCommand(peer.id, 'STOP_SESSION'))
      expect(emspSide.received.find((push) => push.url === responseUrl('STOP_SESSION/2'))?.body).toEqual({ result: 'ACCEPTED' })
      const stopped = await (await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/${sessionId}?source=own`)).json<any>()
      expect(stopped).toMatchObject({ status: 'COMPLETED', end_date_time: expect.any(String) })
      const cdr = await (await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/${sessionId}?source=own`)).json<any>()
      expect(cdr).toMatchObject({ session_id: sessionId, cdr_location: { id: 'LOC1', evse_uid: 'LOC1-E1', connector_id: '1' }, total_energy: stopped.kwh })
      const after = await (await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/LOC1`)).json<any>()
      expect(after.evses[0].status).toBe('AVAILABLE')
    } finally {
      emspSide.restore()
    }
  })

  it('refuses, as REJECTED, a token of an eMSP the peer does not represent, an unknown or hidden location, and an unknown EVSE or connector', async () => {
    const { cpo, emsp, command, responseUrl } = await cpoWithEmspPeer(version)
    const start = (fields: Record<string, unknown>) => command('START_SESSION', { response_url: responseUrl('S/1'), token: rfidToken(emsp, 'U2'), location_id: 'LOC1', ...fields })
    const expectRejected = async (response: Response, text: string) =>
      expect(await data(response)).toMatchObject({ status_code: 1000, data: { result: 'REJECTED', timeout: 30, message: [{ language: 'en', text }] } })
    await expectRejected(await start({ token: rfidToken({ country_code: 'FR', party_id: 'OTH' }, 'U3') }), 'The token belongs to an eMSP this peer does not represent')
    await expectRejected(await start({ location_id: 'NOPE' }), 'Unknown location')
    await expectRejected(await start({ evse_uid: 'NOPE' }), 'Unknown EVSE')
    await expectRejected(await start({ evse_uid: 'LOC1-E1', connector_id: '9' }), 'Unknown connector')
    expect((await adminFetch(`/policies/${cpo.country_code}/${cpo.party_id}`, { method: 'PUT', body: { default: 'none' } })).status).toBe(202)
    await expectRejected(await start({}), 'Unknown location')
    const unlock = await command('UNLOCK_CONNECTOR', { response_url: responseUrl('U/1'), location_id: 'NOPE', evse_uid: 'E', connector_id: '1' })
    await expectRejected(unlock, 'Unknown location')
  })

  it('answers UNKNOWN_SESSION for a STOP_SESSION of an unknown session', async () => {
    const { command, responseUrl } = await cpoWithEmspPeer(version)
    const stop = await command('STOP_SESSION', { response_url: responseUrl('STOP/1'), session_id: 'NO-SUCH-SESSION' })
    expect(await data(stop)).toMatchObject({ status_code: 1000, data: { result: 'UNKNOWN_SESSION' } })
  })

  it('refuses bad input with 2001 and the path, and takes nothing', async () => {
    const { emsp, peer, command, responseUrl } = await cpoWithEmspPeer(version)
    const valid = { response_url: responseUrl('S/1'), token: rfidToken(emsp, 'U4'), location_id: 'LOC1' }
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, location_id: undefined }, 'location_id'],
      [{ ...valid, response_url: 'not a url' }, 'response_url'],
      [{ ...valid, response_url: 'https://elsewhere.example/commands/1' }, 'response_url'],
      [{ ...valid, connector_id: '1' }, 'evse_uid'],
      [{ ...valid, token: { ...valid.token, uid: 'x'.repeat(37) } }, 'token.uid'],
    ]
    for (const [body, path] of cases) {
      expect(await data(await command('START_SESSION', body)), path).toMatchObject({ status_code: 2001, data: { path } })
    }
    expect(await data(await command('STOP_SESSION', { response_url: responseUrl('S/2') }))).toMatchObject({ status_code: 2001, data: { path: 'session_id' } })
    const list = await (await adminFetch('/commands?limit=1000')).json<{ peer_id: string }[]>()
    expect(list.filter((entry) => entry.peer_id === peer.id)).toEqual([])
  })

  it('answers NOT_SUPPORTED for a command it does not carry out', async () => {
    const { command, responseUrl } = await cpoWithEmspPeer(version)
    expect(await data(await command('RESET', { response_url: responseUrl('R/1') }))).toMatchObject({ status_code: 1000, data: { result: 'NOT_SUPPORTED' } })
  })

  it('RESERVE_NOW makes the EVSE RESERVED for that token; CANCEL_RESERVATION frees it; an unknown reservation is UNKNOWN_RESERVATION', async () => {
    const { cpo, emsp, peer, command, responseUrl } = await cpoWithEmspPeer(version)
    const emspSide = fakePeer()
    try {
      const expiry_date = new Date(Date.now() + 3_600_000).toISOString()
      const reserve = await command('RESERVE_NOW', { response_url: responseUrl('RESERVE_NOW/1'), token: rfidToken(emsp, 'U5'), expiry_date, reservation_id: 'R1', location_id: 'LOC1' })
      expect(await data(reserve)).toMatchObject({ data: { result: 'ACCEPTED' } })
      await settle(await lastReceivedCommand(peer.id, 'RESERVE_NOW'))
      expect(emspSide.received.find((push) => push.url === responseUrl('RESERVE_NOW/1'))?.body).toEqual({ result: 'ACCEPTED' })
      const reserved = await (await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/LOC1`)).json<any>()
      expect(reserved.evses[0].status).toBe('RESERVED')

      const cancel = await command('CANCEL_RESERVATION', { response_url: responseUrl('CANCEL_RESERVATION/2'), reservation_id: 'R1' })
      expect(await data(cancel)).toMatchObject({ data: { result: 'ACCEPTED' } })
      await settle(await lastReceivedCommand(peer.id, 'CANCEL_RESERVATION'))
      expect(emspSide.received.find((push) => push.url === responseUrl('CANCEL_RESERVATION/2'))?.body).toEqual({ result: 'ACCEPTED' })
      const freed = await (await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/LOC1`)).json<any>()
      expect(freed.evses[0].status).toBe('AVAILABLE')

      await command('CANCEL_RESERVATION', { response_url: responseUrl('CANCEL_RESERVATION/3'), reservation_id: 'R1' })
      await settle(await lastReceivedCommand(peer.id, 'CANCEL_RESERVATION'))
      expect(emspSide.received.find((push) => push.url === responseUrl('CANCEL_RESERVATION/3'))?.body).toEqual({ result: 'UNKNOWN_RESERVATION' })
    } finally {
      emspSide.restore()
    }
  })

  it('UNLOCK_CONNECTOR: ACCEPTED for an existing connector, REJECTED for an unknown one', async () => {
    const { peer, command, responseUrl } = await cpoWithEmspPeer(version)
    const emspSide = fakePeer()
    try {
      for (const [connector_id, expected] of [['1', 'ACCEPTED'], ['9', 'REJECTED']] as const) {
        const url = responseUrl(`UNLOCK_CONNECTOR/${connector_id}`)
        expect(await data(await command('UNLOCK_CONNECTOR', { response_url: url, location_id: 'LOC1', evse_uid: 'LOC1-E1', connector_id }))).toMatchObject({ data: { result: 'ACCEPTED' } })
        await settle(await lastReceivedCommand(peer.id, 'UNLOCK_CONNECTOR'))
        expect(emspSide.received.find((push) => push.url === url)?.body).toMatchObject({ result: expected })
      }
    } finally {
      emspSide.restore()
    }
  })
})

describe('CommandTracker (CPO side)', () => {
  it('reports TIMEOUT to the response_url when the charge point never answers, and keeps a late answer out', async () => {
    const { peer, emsp } = await cpoWithEmspPeer('2.3.0')
    const emspSide = fakePeer()
    try {
      const id = crypto.randomUUID()
      const now = Date.now()
      const url = `${EMSP_HOST}/ocpi/2.3.0/sender/commands/START_SESSION/${id}`
      await tracker(id).open({
        id, side: 'received', peer_id: peer.id, version: '2.3.0', command: 'UNLOCK_CONNECTOR', dispatched: true,
        request: { response_url: url, location_id: 'LOC1', evse_uid: 'LOC1-E1', connector_id: '1' },
        cpo: emsp, state: 'ACCEPTED', final: false, deadline: now - 1, created_at: now, last_updated: now,
      }, 'response')
      expect(await runDurableObjectAlarm(tracker(id))).toBe(true)
      expect(emspSide.received.find((push) => push.url === url)?.body).toEqual({ result: 'TIMEOUT' })
      expect(await tracker(id).chargePointResult({ result: 'ACCEPTED' })).toBe('ignored')
      const view = await commandView(id)
      expect(view.command).toMatchObject({ state: 'TIMEOUT', final: true })
      expect(view.history.map((entry) => entry.event)).toEqual(['response', 'timeout', 'result_delivered', 'late_result'])
    } finally {
      emspSide.restore()
    }
  })

  it('is refused by the CSMS callback for an unknown command id', async () => {
    const response = await adminFetch(`/csms/commands/${crypto.randomUUID()}/result`, { method: 'POST', body: { result: 'ACCEPTED' } })
    expect(response.status).toBe(404)
  })
})
