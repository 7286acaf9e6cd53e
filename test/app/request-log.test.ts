import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { moduleOf } from '../../src/app/request-log'
import { encodeAuthorization } from '../../src/ocpi/auth'
import { adminFetch, ocpiFetch, registeredPeer } from '../ocpi/fixtures'
import { hostParty, rfidToken, roleOf, uniquePartyId } from '../modules/tokens/fixtures'

const TOKEN_UID = 'SECRETUID0123456789'
const CONTRACT_ID = 'DE-MSP-C98765432-1'

/** The request log lines written while `run` ran. */
async function loggedDuring(run: () => Promise<unknown>): Promise<{ raw: string; line: Record<string, unknown> }[]> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {})
  await run()
  const lines = log.mock.calls.map(([first]) => String(first))
  log.mockRestore()
  return lines.filter((raw) => raw.includes('"type":"request"')).map((raw) => ({ raw, line: JSON.parse(raw) }))
}

afterEach(() => vi.restoreAllMocks())

describe('request log', () => {
  const emsp = { country_code: 'DE', party_id: uniquePartyId() }
  let peer: { id: string; token: string }

  beforeAll(async () => {
    await hostParty('CPO', 'NL')
    peer = await registeredPeer({ roles: [roleOf('EMSP', emsp)] })
  })

  it('writes one JSON line per OCPI request: ids, peer, module, method, route pattern, statuses, duration', async () => {
    const path = `/ocpi/2.3.0/receiver/tokens/${emsp.country_code}/${emsp.party_id}/${TOKEN_UID}`
    const logged = await loggedDuring(() => ocpiFetch(path, {
      method: 'PUT', token: peer.token, body: rfidToken(emsp, TOKEN_UID, { contract_id: CONTRACT_ID }),
      headers: { 'X-Request-ID': 'req-1', 'X-Correlation-ID': 'corr-1' },
    }))
    expect(logged).toHaveLength(1)
    const [{ raw, line }] = logged as [{ raw: string; line: Record<string, unknown> }]
    expect(line).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: 'info', type: 'request',
      request_id: 'req-1', correlation_id: 'corr-1', peer_id: peer.id, module: 'tokens', method: 'PUT',
      route: '/ocpi/2.3.0/receiver/tokens/:country_code/:party_id/:token_uid', status: 201, ocpi_status_code: 1000,
      duration_ms: expect.any(Number),
    })
    // Neither the token uid of the path, nor the contract id of the body, nor the credentials token.
    expect(raw).not.toContain(TOKEN_UID)
    expect(raw).not.toContain(CONTRACT_ID)
    expect(raw).not.toContain(peer.token)
    expect(raw).not.toContain(encodeAuthorization(peer.token).split(' ')[1])
  })

  it('logs the OCPI status code of an error, and no route for an unknown endpoint (never the raw path)', async () => {
    const unknown = await loggedDuring(() => ocpiFetch(`/ocpi/2.3.0/receiver/tokens/${emsp.country_code}/${emsp.party_id}/${TOKEN_UID}/x/y`, { token: peer.token }))
    expect(unknown.map(({ line }) => line)).toMatchObject([{ status: 404, ocpi_status_code: 2000, peer_id: peer.id, route: null, module: null }])
    expect(unknown[0]!.raw).not.toContain(TOKEN_UID)
    const unauthenticated = await loggedDuring(() => ocpiFetch(`/ocpi/2.3.0/receiver/tokens/${emsp.country_code}/${emsp.party_id}/${TOKEN_UID}`, { token: 'not-a-token' }))
    expect(unauthenticated.map(({ line }) => line)).toMatchObject([{ status: 401, ocpi_status_code: 2000, peer_id: null }])
    expect(unauthenticated[0]!.raw).not.toContain('not-a-token')
  })

  it('logs management requests with their route pattern and no admin token; answers with X-Request-ID', async () => {
    let response: Response | undefined
    const logged = await loggedDuring(async () => (response = await adminFetch(`/tokens/${emsp.country_code}/${emsp.party_id}/${TOKEN_UID}?source=received`)))
    expect(logged.map(({ line }) => line)).toMatchObject([{
      peer_id: null, module: 'tokens', method: 'GET', route: '/admin/v1/tokens/:country_code/:party_id/:token_uid', status: 200, ocpi_status_code: null,
    }])
    expect(logged[0]!.raw).not.toContain(TOKEN_UID)
    expect(logged[0]!.raw).not.toContain('test-admin-token')
    expect(response!.headers.get('X-Request-ID')).toBe(logged[0]!.line.request_id)
  })

  it('names the module of every kind of route', () => {
    expect(moduleOf('/ocpi/versions')).toBe('versions')
    expect(moduleOf('/ocpi/2.3.0/details')).toBe('details')
    expect(moduleOf('/ocpi/2.3.0/credentials')).toBe('credentials')
    expect(moduleOf('/ocpi/2.3.0/sender/locations/:country_code')).toBe('locations')
    expect(moduleOf('/admin/v1/peers/:peer_id/stats')).toBe('peers')
    expect(moduleOf('/elsewhere')).toBeNull()
  })
})
