import { afterEach, describe, expect, it } from 'vitest'
import { registeredPeer } from '../../ocpi/fixtures'
import { purgeTestOutboxes } from '../../push/fixtures'
import { roleOf } from '../tokens/fixtures'
import { hostParty } from '../tokens/fixtures'
import { uniqueParty } from '../locations/fixtures'
import { adminFetch, commandView, cpoWithEmspPeer, data, fakePeer, lastReceivedCommand, ocpiFetch, settle } from '../commands/fixtures'
import { present } from '../../present'

// x-helpdesk (docs/extensions/x-helpdesk.md): an MSP helpdesk resets or unlocks a CPO's charge point.

afterEach(async () => {
  await purgeTestOutboxes()
})

const AGREED = ['x-helpdesk']

describe.each(['2.3.0', '2.2.1'] as const)('x-helpdesk Receiver (CPO side) over %s', (version) => {
  const helpdeskCommand = (setup: Awaited<ReturnType<typeof cpoWithEmspPeer>>, type: string, fields: Record<string, unknown>) =>
    ocpiFetch(`/ocpi/${version}/receiver/x-helpdesk/${type}`, {
      token: setup.peer.token, method: 'POST', headers: { 'OCPI-to-country-code': setup.cpo.country_code, 'OCPI-to-party-id': setup.cpo.party_id },
      body: { response_url: setup.responseUrl(`${type}/1`), ...setup.emsp, location_id: 'LOC1', evse_uid: 'LOC1-E1', ...fields },
    })

  it('does not exist for a peer that did not agree to it', async () => {
    const setup = await cpoWithEmspPeer(version)
    const response = await helpdeskCommand(setup, 'RESET', { type: 'SOFT' })
    expect(response.status).toBe(404)
  })

  it('RESET: ACCEPTED, carried out by the simulator (an OUTOFORDER EVSE is back in service), the result posted to the response_url', async () => {
    const setup = await cpoWithEmspPeer(version, AGREED)
    const { cpo } = setup
    expect((await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/LOC1/LOC1-E1`, { method: 'PATCH', body: { status: 'OUTOFORDER' } })).status).toBeLessThan(300)
    const emspSide = fakePeer()
    try {
      const reset = await helpdeskCommand(setup, 'RESET', { type: 'HARD', reference: 'TICKET-42', reason: 'Driver reports a frozen display' })
      expect(await data(reset)).toMatchObject({ status_code: 1000, data: { result: 'ACCEPTED', timeout: 30 } })
      const id = await lastReceivedCommand(setup.peer.id, 'RESET')
      await settle(id)
      expect(emspSide.received.find((push) => push.url === setup.responseUrl('RESET/1'))).toMatchObject({ method: 'POST', body: { result: 'ACCEPTED' } })
      const view = await commandView(id)
      expect(view.command).toMatchObject({ side: 'received', command: 'RESET', state: 'ACCEPTED', final: true, delivered: true, request: { reference: 'TICKET-42' } })
    } finally {
      emspSide.restore()
    }
    const location = await (await adminFetch(`/locations/${cpo.country_code}/${cpo.party_id}/LOC1`)).json<any>()
    expect(location.evses[0].status).toBe('AVAILABLE')
  })

  it('UNLOCK: ACCEPTED for a connector that exists; an unknown connector, EVSE or location, a hidden location and another eMSP are REJECTED at once', async () => {
    const setup = await cpoWithEmspPeer(version, AGREED)
    const emspSide = fakePeer()
    try {
      const unlock = await helpdeskCommand(setup, 'UNLOCK', { connector_id: '1' })
      expect(await data(unlock)).toMatchObject({ data: { result: 'ACCEPTED' } })
      const id = await lastReceivedCommand(setup.peer.id, 'UNLOCK')
      await settle(id)
      expect((await commandView(id)).command).toMatchObject({ state: 'ACCEPTED', delivered: true })
    } finally {
      emspSide.restore()
    }
    const rejected = async (response: Response, text: string) =>
      expect(await data(response)).toMatchObject({ status_code: 1000, data: { result: 'REJECTED', message: [{ language: 'en', text }] } })
    await rejected(await helpdeskCommand(setup, 'UNLOCK', { connector_id: '9' }), 'Unknown connector')
    await rejected(await helpdeskCommand(setup, 'UNLOCK', { evse_uid: 'NOPE', connector_id: '1' }), 'Unknown EVSE')
    await rejected(await helpdeskCommand(setup, 'RESET', { location_id: 'NOPE', type: 'SOFT' }), 'Unknown location')
    await rejected(await helpdeskCommand(setup, 'RESET', { country_code: 'FR', party_id: 'OTH', type: 'SOFT' }), 'The helpdesk\'s party is not an eMSP this peer represents')
    expect((await adminFetch(`/policies/${setup.cpo.country_code}/${setup.cpo.party_id}`, { method: 'PUT', body: { default: 'none' } })).status).toBe(202)
    await rejected(await helpdeskCommand(setup, 'RESET', { type: 'SOFT' }), 'Unknown location')
  })

  it('answers NOT_SUPPORTED for another command and 2001 with the path for bad input, taking nothing', async () => {
    const setup = await cpoWithEmspPeer(version, AGREED)
    expect(await data(await helpdeskCommand(setup, 'FACTORY_RESET', {}))).toMatchObject({ data: { result: 'NOT_SUPPORTED' } })
    expect(await data(await helpdeskCommand(setup, 'RESET', { type: 'GENTLE' }))).toMatchObject({ status_code: 2001, data: { path: 'type' } })
    expect(await data(await helpdeskCommand(setup, 'RESET', { type: 'SOFT', response_url: 'https://elsewhere.example/r' }))).toMatchObject({ status_code: 2001, data: { path: 'response_url' } })
    const list = await (await adminFetch('/commands?limit=1000')).json<{ peer_id: string }[]>()
    expect(list.filter((entry) => entry.peer_id === setup.peer.id)).toEqual([])
  })
})

describe('x-helpdesk as eMSP', () => {
  const commandResponse = (result: string, timeout: number) => Response.json({ data: { result, timeout }, status_code: 1000, timestamp: new Date().toISOString() })

  it('sends RESET through the management API to a CPO peer that agreed, and takes its result at the generated response_url', async () => {
    const emsp = await hostParty('EMSP')
    const cpo = uniqueParty('NL')
    const peer = await registeredPeer({
      roles: [roleOf('CPO', cpo)], extensions: AGREED,
      fields: { endpoints: [{ identifier: 'x-helpdesk', role: 'RECEIVER', url: 'https://cpo.example/ocpi/2.3.0/receiver/x-helpdesk' }] },
    })
    const cpoSide = fakePeer(() => commandResponse('ACCEPTED', 30))
    let sent: { command_id: string; state: string }
    try {
      const response = await adminFetch(`/commands/${peer.id}/x-helpdesk/RESET?to=${cpo.country_code}*${cpo.party_id}`, {
        method: 'POST', body: { ...emsp, location_id: 'LOC1', evse_uid: 'E1', type: 'SOFT', reference: 'T-1' },
      })
      expect(response.status, await response.clone().text()).toBe(202)
      sent = await response.json()
      const request = present(cpoSide.received[0], 'the helpdesk command')
      expect(request.url).toBe('https://cpo.example/ocpi/2.3.0/receiver/x-helpdesk/RESET')
      expect(request.body).toEqual({ ...emsp, location_id: 'LOC1', evse_uid: 'E1', type: 'SOFT', reference: 'T-1', response_url: `http://localhost:8787/ocpi/2.3.0/sender/x-helpdesk/RESET/${sent.command_id}` })
      expect(request.headers.get('OCPI-from-party-id')).toBe(emsp.party_id)
      expect(request.headers.get('OCPI-to-party-id')).toBe(cpo.party_id)
    } finally {
      cpoSide.restore()
    }
    expect(sent.state).toBe('ACCEPTED')
    const result = await ocpiFetch(`/ocpi/2.3.0/sender/x-helpdesk/RESET/${sent.command_id}`, { token: peer.token, method: 'POST', body: { result: 'ACCEPTED' } })
    expect(await data(result)).toMatchObject({ status_code: 1000 })
    expect((await commandView(sent.command_id)).command).toMatchObject({ side: 'sent', command: 'RESET', state: 'ACCEPTED', final: true })
    const foreign = await ocpiFetch(`/ocpi/2.3.0/sender/x-helpdesk/RESET/${crypto.randomUUID()}`, { token: peer.token, method: 'POST', body: { result: 'ACCEPTED' } })
    expect(foreign.status).toBe(404)
  })

  it('refuses a party that is not a hosted eMSP, and a peer that did not agree (3003), recording nothing', async () => {
    const emsp = await hostParty('EMSP')
    const cpo = uniqueParty('NL')
    const endpoints = [{ identifier: 'x-helpdesk', role: 'RECEIVER' as const, url: 'https://cpo.example/ocpi/2.3.0/receiver/x-helpdesk' }]
    const agreed = await registeredPeer({ roles: [roleOf('CPO', cpo)], extensions: AGREED, fields: { endpoints } })
    const notAgreed = await registeredPeer({ roles: [roleOf('CPO', uniqueParty('NL'))], fields: { endpoints } })
    const body = { location_id: 'LOC1', evse_uid: 'E1', connector_id: '1' }
    const stranger = await adminFetch(`/commands/${agreed.id}/x-helpdesk/UNLOCK`, { method: 'POST', body: { ...body, country_code: 'FR', party_id: 'OTH' } })
    expect(stranger.status).toBe(400)
    expect(await stranger.json<any>()).toMatchObject({ error: { code: 2001, path: 'party_id' } })
    const refused = await adminFetch(`/commands/${notAgreed.id}/x-helpdesk/UNLOCK`, { method: 'POST', body: { ...body, ...emsp } })
    expect(await refused.json<any>()).toMatchObject({ error: { code: 3003 } })
    const bad = await adminFetch(`/commands/${agreed.id}/x-helpdesk/UNLOCK`, { method: 'POST', body: { ...emsp, location_id: 'LOC1', evse_uid: 'E1' } })
    expect(await bad.json<any>()).toMatchObject({ error: { code: 2001, path: 'connector_id' } })
  })
})
