import { afterEach, describe, expect, it } from 'vitest'
import { registeredPeer } from '../../ocpi/fixtures'
import { purgeTestOutboxes } from '../../push/fixtures'
import { hostCpo, putOwn, sampleLocation, uniqueParty } from '../locations/fixtures'
import { hostParty, roleOf } from '../tokens/fixtures'
import { tokenTo211 } from '../../../src/ocpi/objects/v211/token'
import type { Token } from '../../../src/ocpi/objects/token'
import { adminFetch, commandView, data, EMSP_HOST, fakePeer, lastReceivedCommand, ocpiFetch, rfidToken, settle } from './fixtures'
import { present } from '../../present'

// Commands over OCPI 2.1.1 (mod_commands.md of 2.1.1): four commands, a CommandResponse without timeout, and the
// Charge Point's result POSTed to the response_url as a CommandResponse too.

afterEach(async () => {
  await purgeTestOutboxes()
})

describe('a 2.1.1 eMSP commands our CPO', () => {
  async function setUp() {
    const cpo = uniqueParty('NL')
    await hostCpo(cpo)
    await putOwn(sampleLocation(cpo, 'LOC1'))
    const emsp = uniqueParty('DE')
    const peer = await registeredPeer({
      roles: [roleOf('EMSP', emsp)], version: '2.1.1',
      fields: { own_party: cpo, endpoints: [{ identifier: 'commands', role: 'SENDER', url: `${EMSP_HOST}/ocpi/2.1.1/commands` }] },
    })
    const command = (type: string, body: unknown) => ocpiFetch(`/ocpi/2.1.1/receiver/commands/${type}`, { token: peer.token, method: 'POST', body })
    const token = tokenTo211(rfidToken(emsp, 'U211') as Token)
    return { cpo, emsp, peer, command, token, responseUrl: (suffix: string) => `${EMSP_HOST}/ocpi/2.1.1/commands/${suffix}` }
  }

  it('START_SESSION and STOP_SESSION: a 2.1.1 CommandResponse, the result POSTed as one, the session of the token of the peer\'s party', async () => {
    const { cpo, emsp, peer, command, token, responseUrl } = await setUp()
    const emspSide = fakePeer()
    try {
      const start = await command('START_SESSION', { response_url: responseUrl('START_SESSION/1'), token, location_id: 'LOC1', evse_uid: 'LOC1-E1' })
      const answer = await data(start)
      expect(answer, JSON.stringify(answer)).toMatchObject({ status_code: 1000, data: { result: 'ACCEPTED' } })
      expect(answer.data).toEqual({ result: 'ACCEPTED' })
      const id = await lastReceivedCommand(peer.id, 'START_SESSION')
      await settle(id)
      const posted = present(emspSide.received.find((push) => push.url === responseUrl('START_SESSION/1')), 'the START_SESSION result')
      expect(posted).toMatchObject({ method: 'POST', body: { result: 'ACCEPTED' } })
      expect(posted.body).toEqual({ result: 'ACCEPTED' })
      // 2.1.1 sends the token as is (transport_and_format.md, "Request format"), and no routing headers.
      expect(posted.headers.get('Authorization')).toBe('Token token-we-present')
      expect(posted.headers.get('OCPI-to-party-id')).toBeNull()
      const view = await commandView(id)
      const sessionId = view.history.find((entry) => entry.event === 'result')!.detail.session_id
      const session = await (await adminFetch(`/sessions/${cpo.country_code}/${cpo.party_id}/${sessionId}?source=own`)).json<any>()
      expect(session).toMatchObject({ status: 'ACTIVE', location_id: 'LOC1', cdr_token: { uid: 'U211', ...emsp } })

      const stop = await command('STOP_SESSION', { response_url: responseUrl('STOP_SESSION/2'), session_id: sessionId })
      expect((await data(stop)).data).toEqual({ result: 'ACCEPTED' })
      await settle(await lastReceivedCommand(peer.id, 'STOP_SESSION'))
      expect(emspSide.received.find((push) => push.url === responseUrl('STOP_SESSION/2'))?.body).toEqual({ result: 'ACCEPTED' })
      const cdr = await adminFetch(`/cdrs/${cpo.country_code}/${cpo.party_id}/${sessionId}?source=own`)
      expect(cdr.status).toBe(200)
    } finally {
      emspSide.restore()
    }
  })

  it('answers NOT_SUPPORTED to CANCEL_RESERVATION, which 2.1.1 does not have, and to an unknown command', async () => {
    const { command, responseUrl } = await setUp()
    for (const type of ['CANCEL_RESERVATION', 'SELF_DESTRUCT']) {
      const response = await command(type, { response_url: responseUrl(`${type}/1`), reservation_id: '1' })
      expect(await data(response)).toMatchObject({ status_code: 1000, data: { result: 'NOT_SUPPORTED' } })
    }
  })
})

describe('our eMSP commands a 2.1.1 CPO', () => {
  async function setUp() {
    const emsp = await hostParty('EMSP')
    const cpo = uniqueParty('NL')
    const peer = await registeredPeer({
      roles: [roleOf('CPO', cpo)], version: '2.1.1',
      fields: { own_party: emsp, endpoints: [{ identifier: 'commands', role: 'RECEIVER', url: 'https://cpo211.example/ocpi/2.1.1/commands' }] },
    })
    return { emsp, cpo, peer }
  }

  it('sends the 2.1.1 StartSession, reads the 2.1.1 CommandResponse, and takes the result POSTed as a CommandResponse', async () => {
    const { emsp, peer } = await setUp()
    const cpoSide = fakePeer(() => Response.json({ data: { result: 'ACCEPTED' }, status_code: 1000, timestamp: new Date().toISOString() }))
    let sent: { command_id: string; state: string }
    try {
      const response = await adminFetch(`/commands/${peer.id}/START_SESSION`, { method: 'POST', body: { token: rfidToken(emsp, 'APP211'), location_id: 'LOC1', evse_uid: 'EVSE1' } })
      expect(response.status, await response.clone().text()).toBe(202)
      sent = await response.json()
      expect(sent.state).toBe('ACCEPTED')
      const request = present(cpoSide.received[0], 'the command request')
      expect(request.url).toBe('https://cpo211.example/ocpi/2.1.1/commands/START_SESSION')
      expect(request.body).toMatchObject({ location_id: 'LOC1', evse_uid: 'EVSE1', token: { uid: 'APP211', auth_id: expect.any(String) }, response_url: `http://localhost:8787/ocpi/2.1.1/sender/commands/START_SESSION/${sent.command_id}` })
      expect(request.body.token).not.toHaveProperty('country_code')
      expect(request.headers.get('OCPI-from-party-id')).toBeNull()
    } finally {
      cpoSide.restore()
    }
    const result = await ocpiFetch(`/ocpi/2.1.1/sender/commands/START_SESSION/${sent.command_id}`, { token: peer.token, method: 'POST', body: { result: 'UNKNOWN_SESSION' } })
    expect(await data(result)).toMatchObject({ status_code: 1000 })
    const view = await commandView(sent.command_id)
    expect(view.command).toMatchObject({ side: 'sent', final: true, result: { result: 'REJECTED' }, response: { result: 'ACCEPTED', timeout: 300 } })
  })

  it('refuses CANCEL_RESERVATION to a 2.1.1 CPO before sending or recording anything', async () => {
    const { peer } = await setUp()
    const cpoSide = fakePeer()
    try {
      const response = await adminFetch(`/commands/${peer.id}/CANCEL_RESERVATION`, { method: 'POST', body: { reservation_id: 'R1' } })
      expect(response.status).toBe(422)
      expect(await response.json()).toMatchObject({ error: { code: 3003 } })
      expect(cpoSide.received).toEqual([])
    } finally {
      cpoSide.restore()
    }
  })
})
