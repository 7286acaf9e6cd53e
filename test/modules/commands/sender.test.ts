import { runDurableObjectAlarm } from 'cloudflare:test'
import { afterEach, describe, expect, it } from 'vitest'
import { registeredPeer } from '../../ocpi/fixtures'
import { purgeTestOutboxes } from '../../push/fixtures'
import { roleOf } from '../tokens/fixtures'
import { adminFetch, commandView, data, emspWithCpoPeer, fakePeer, ocpiFetch, rfidToken, tracker } from './fixtures'
import { present } from '../../present'

afterEach(async () => {
  await purgeTestOutboxes()
})

const commandResponse = (result: string, timeout: number) =>
  Response.json({ data: { result, timeout }, status_code: 1000, timestamp: new Date().toISOString() })

describe.each(['2.3.0', '2.2.1'] as const)('Commands Sender (eMSP side) over %s', (version) => {
  it('sends a START_SESSION with a generated response_url, records the CommandResponse, takes the first result and logs a second', async () => {
    const { emsp, cpo, peer } = await emspWithCpoPeer(version)
    const cpoSide = fakePeer(() => commandResponse('ACCEPTED', 60))
    let sent
    try {
      const response = await adminFetch(`/commands/${peer.id}/START_SESSION?to=${cpo.country_code}*${cpo.party_id}`, {
        method: 'POST', body: { token: rfidToken(emsp, 'APP1'), location_id: 'LOC1', evse_uid: 'EVSE1' },
      })
      expect(response.status).toBe(202)
      sent = await response.json<{ command_id: string; state: string }>()
      expect(sent.state).toBe('ACCEPTED')
      const request = present(cpoSide.received[0], 'the command request')
      expect(request.url).toBe(`https://cpo.example/ocpi/${version}/receiver/commands/START_SESSION`)
      expect(request.body).toMatchObject({ location_id: 'LOC1', evse_uid: 'EVSE1', token: { uid: 'APP1' }, response_url: `http://localhost:8787/ocpi/${version}/sender/commands/START_SESSION/${sent.command_id}` })
      expect(request.headers.get('OCPI-from-party-id')).toBe(emsp.party_id)
      expect(request.headers.get('OCPI-to-party-id')).toBe(cpo.party_id)
    } finally {
      cpoSide.restore()
    }
    const resultUrl = `/ocpi/${version}/sender/commands/START_SESSION/${sent.command_id}`
    const first = await ocpiFetch(resultUrl, { token: peer.token, method: 'POST', body: { result: 'ACCEPTED' } })
    expect(await data(first)).toMatchObject({ status_code: 1000 })
    const second = await ocpiFetch(resultUrl, { token: peer.token, method: 'POST', body: { result: 'FAILED' } })
    expect(await data(second)).toMatchObject({ status_code: 1000 })
    const view = await commandView(sent.command_id)
    expect(view.command).toMatchObject({ side: 'sent', state: 'ACCEPTED', final: true, result: { result: 'ACCEPTED' }, response: { result: 'ACCEPTED', timeout: 60 } })
    expect(view.history.map((entry) => entry.event)).toEqual(['sent', 'response', 'result', 'duplicate_result'])
    expect(view.history[3]?.detail).toEqual({ result: { result: 'FAILED' } })
  })

  it('refuses a result for an unknown, unguessed or foreign command id with 2003 and HTTP 404, and logs the foreign one', async () => {
    const { emsp, peer } = await emspWithCpoPeer(version)
    const cpoSide = fakePeer(() => commandResponse('ACCEPTED', 60))
    let id: string
    try {
      const response = await adminFetch(`/commands/${peer.id}/UNLOCK_CONNECTOR`, { method: 'POST', body: { location_id: 'LOC1', evse_uid: 'E1', connector_id: '1' } })
      id = (await response.json<{ command_id: string }>()).command_id
    } finally {
      cpoSide.restore()
    }
    const post = (path: string, token = peer.token) => ocpiFetch(`/ocpi/${version}/sender/commands/${path}`, { token, method: 'POST', body: { result: 'ACCEPTED' } })
    for (const response of [await post(`UNLOCK_CONNECTOR/${crypto.randomUUID()}`), await post('UNLOCK_CONNECTOR/1234'), await post(`START_SESSION/${id}`)]) {
      expect(response.status).toBe(404)
      expect(await data(response)).toMatchObject({ status_code: 2003 })
    }
    const stranger = await registeredPeer({ roles: [roleOf('CPO', { country_code: 'NL', party_id: 'XYZ' })], version })
    expect((await post(`UNLOCK_CONNECTOR/${id}`, stranger.token)).status).toBe(404)
    const view = await commandView(id)
    expect(view.command).toMatchObject({ state: 'ACCEPTED', final: false })
    expect(view.history.map((entry) => entry.event)).toEqual(['sent', 'response', 'foreign_result', 'foreign_result'])
    const badBody = await ocpiFetch(`/ocpi/${version}/sender/commands/UNLOCK_CONNECTOR/${id}`, { token: peer.token, method: 'POST', body: { result: 'MAYBE' } })
    expect(await data(badBody)).toMatchObject({ status_code: 2001, data: { path: 'result' } })
    expect(emsp).toBeDefined()
  })

  it('marks the command TIMEOUT when no result came within the timeout, and keeps a late result in the history only', async () => {
    const { emsp, peer } = await emspWithCpoPeer(version)
    const cpoSide = fakePeer(() => commandResponse('ACCEPTED', 0))
    let id: string
    try {
      const response = await adminFetch(`/commands/${peer.id}/STOP_SESSION?from=${emsp.country_code}*${emsp.party_id}`, { method: 'POST', body: { session_id: 'S1' } })
      id = (await response.json<{ command_id: string }>()).command_id
    } finally {
      cpoSide.restore()
    }
    expect(await runDurableObjectAlarm(tracker(id))).toBe(true)
    expect((await commandView(id)).command).toMatchObject({ state: 'TIMEOUT', final: true })
    const late = await ocpiFetch(`/ocpi/${version}/sender/commands/STOP_SESSION/${id}`, { token: peer.token, method: 'POST', body: { result: 'ACCEPTED' } })
    expect(await data(late)).toMatchObject({ status_code: 1000 })
    const view = await commandView(id)
    expect(view.command.state).toBe('TIMEOUT')
    expect(view.history.map((entry) => entry.event)).toEqual(['sent', 'response', 'timeout', 'late_result'])
  })

  it('records a REJECTED response as final, and a peer that cannot be reached as FAILED', async () => {
    const { peer } = await emspWithCpoPeer(version)
    const body = { reservation_id: 'R1' }
    const rejecting = fakePeer(() => commandResponse('REJECTED', 30))
    try {
      const rejected = await (await adminFetch(`/commands/${peer.id}/CANCEL_RESERVATION`, { method: 'POST', body })).json<any>()
      expect(rejected).toMatchObject({ state: 'REJECTED', response: { result: 'REJECTED' } })
    } finally {
      rejecting.restore()
    }
    const down = fakePeer(() => { throw new TypeError('connection refused') })
    try {
      const failed = await (await adminFetch(`/commands/${peer.id}/CANCEL_RESERVATION`, { method: 'POST', body })).json<any>()
      expect(failed.state).toBe('FAILED')
      expect((await commandView(failed.command_id)).history.map((entry) => entry.event)).toEqual(['sent', 'send_failed'])
    } finally {
      down.restore()
    }
  })
})

describe('Commands management API', () => {
  it('refuses bad requests with the path and sends nothing', async () => {
    const { emsp, peer } = await emspWithCpoPeer('2.3.0')
    const cpoSide = fakePeer(() => commandResponse('ACCEPTED', 60))
    try {
      const post = (path: string, body: unknown) => adminFetch(path, { method: 'POST', body })
      const unknownCommand = await post(`/commands/${peer.id}/RESET`, {})
      expect(unknownCommand.status).toBe(400)
      const foreignToken = await post(`/commands/${peer.id}/START_SESSION`, { token: rfidToken({ country_code: 'FR', party_id: 'ZZZ' }, 'T1'), location_id: 'L' })
      expect(await foreignToken.json()).toMatchObject({ error: { path: 'token.party_id' } })
      const missing = await post(`/commands/${peer.id}/START_SESSION`, { token: rfidToken(emsp, 'T1') })
      expect(await missing.json()).toMatchObject({ error: { path: 'location_id' } })
      expect((await post('/commands/no-such-peer/STOP_SESSION', { session_id: 'S' })).status).toBe(404)
      const noEndpoint = await registeredPeer({ roles: [roleOf('CPO', { country_code: 'NL', party_id: 'NOE' })] })
      expect((await post(`/commands/${noEndpoint.id}/STOP_SESSION`, { session_id: 'S' })).status).toBeGreaterThanOrEqual(400)
      expect(cpoSide.received).toEqual([])
      expect((await adminFetch(`/commands/${crypto.randomUUID()}`)).status).toBe(404)
    } finally {
      cpoSide.restore()
    }
  })

  it('lists commands with the paging headers', async () => {
    const response = await adminFetch('/commands?limit=1')
    expect(response.status).toBe(200)
    expect(response.headers.get('X-Limit')).toBe('1')
    expect(Number(response.headers.get('X-Total-Count'))).toBeGreaterThanOrEqual(0)
  })
})
