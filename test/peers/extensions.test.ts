import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { agreedWith, peerEndpoint } from '../../src/peers/extensions'
import { requestPeerModule } from '../../src/peers/module-request'
import type { Peer } from '../../src/peers/store'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../ocpi/fixtures'

// version_information_endpoint, "Custom Modules": custom moduleIDs only with parties that agreed to use them.

afterEach(() => vi.restoreAllMocks())

const identifiers = (details: OcpiBody): string[] => details.data.endpoints.map((endpoint: { identifier: string }) => endpoint.identifier)
const customIdentifiers = (details: OcpiBody) => [...new Set(identifiers(details).filter((identifier) => identifier.startsWith('x-')))]

describe('agreement rule', () => {
  const peer = {
    extensions: ['x-gdpr'],
    endpoints: [
      { identifier: 'x-gdpr', role: 'RECEIVER' as const, url: 'https://peer.test/x-gdpr' },
      { identifier: 'x-token-migration', role: 'RECEIVER' as const, url: 'https://peer.test/x-token-migration' },
      { identifier: 'tokens', role: 'SENDER' as const, url: 'https://peer.test/tokens' },
    ],
  }

  it('allows standard modules always and custom modules only when agreed', () => {
    expect(agreedWith(peer, 'tokens')).toBe(true)
    expect(agreedWith(peer, 'x-gdpr')).toBe(true)
    expect(agreedWith(peer, 'x-token-migration')).toBe(false)
  })

  it('never hands out the endpoint of a custom module the peer lists without an agreement', () => {
    expect(peerEndpoint(peer, 'x-gdpr', 'RECEIVER')?.url).toBe('https://peer.test/x-gdpr')
    expect(peerEndpoint(peer, 'x-token-migration', 'RECEIVER')).toBeUndefined()
    expect(peerEndpoint(peer, 'tokens', 'SENDER')?.url).toBe('https://peer.test/tokens')
  })
})

describe('version details and routes per agreement', () => {
  it('lists a custom module only to the peers that agreed to it; standard modules to all', async () => {
    const gdprOnly = await registeredPeer({ extensions: ['x-gdpr'] })
    const none = await registeredPeer()
    const gdprDetails = await (await ocpiFetch('/ocpi/2.3.0/details', { token: gdprOnly.token })).json<OcpiBody>()
    const plainDetails = await (await ocpiFetch('/ocpi/2.3.0/details', { token: none.token })).json<OcpiBody>()
    expect(customIdentifiers(gdprDetails)).toEqual(['x-gdpr'])
    expect(customIdentifiers(plainDetails)).toEqual([])
    expect(identifiers(plainDetails).filter((identifier) => !identifier.startsWith('x-'))).toEqual(identifiers(gdprDetails).filter((identifier) => !identifier.startsWith('x-')))
  })

  it('lists the agreed custom modules already to the invited peer fetching details with token A', async () => {
    const invite = await (await adminFetch('/peers/invite', { method: 'POST', body: { name: 'agreed', extensions: ['x-token-migration'] } })).json<{ token_a: string }>()
    const details = await (await ocpiFetch('/ocpi/2.3.0/details', { token: invite.token_a })).json<OcpiBody>()
    expect(customIdentifiers(details)).toEqual(['x-token-migration'])
  })

  it('answers a custom module route with 404 "unknown endpoint" to a peer without the agreement', async () => {
    const peer = await registeredPeer({ extensions: ['x-gdpr'] })
    const refused = await ocpiFetch('/ocpi/2.3.0/sender/x-token-migration/DE/ABC', { token: peer.token })
    expect(refused.status).toBe(404)
    expect(await refused.json<OcpiBody>()).toMatchObject({ status_code: 2000, status_message: 'Unknown OCPI endpoint' })
    const served = await ocpiFetch('/ocpi/2.3.0/sender/x-token-migration/DE/ABC', { token: (await registeredPeer({ extensions: ['x-token-migration'] })).token })
    expect((await served.json<OcpiBody>()).status_code).not.toBe(2000)
  })
})

describe('outbound calls per agreement', () => {
  const peer = (extensions: string[]): Peer => ({
    id: 'peer-outbound', name: null, status: 'CONNECTED', initiated_by: 'us', version: '2.3.0', versions_url: 'https://peer.test/versions',
    endpoints: [{ identifier: 'x-gdpr', role: 'RECEIVER', url: 'https://peer.test/ocpi/2.3.0/receiver/x-gdpr' }], roles: [], pending_roles: [], grants: null, credentials_post_status: 201, extensions, own_party: null,
    hub_party_id: null, outbound_token: 'token-we-present', credentials_rotated_at: null, last_error: null, unauthorized_streak: 0, ingest: 'strict', token_rejected_at: null, created_at: 0, updated_at: 0,
  })

  it('does not call a custom endpoint of a peer without the agreement (3003), and does call it with one', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => Response.json({ data: null, status_code: 1000, timestamp: new Date().toISOString() }))
    const request = { module: 'x-gdpr', role: 'RECEIVER' as const, method: 'POST' as const, path: ['DE', 'ABC', 'T1', 'forget'] }
    await expect(requestPeerModule(env, peer([]), request)).rejects.toMatchObject({ status_code: 3003 })
    expect(fetchSpy).not.toHaveBeenCalled()
    expect((await requestPeerModule(env, peer(['x-gdpr']), request)).status_code).toBe(1000)
    expect(fetchSpy).toHaveBeenCalledOnce()
  })

  it('follows a next-page URL only on the endpoint it belongs to, never to another host (3001, not called)', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => Response.json({ data: [], status_code: 1000, timestamp: new Date().toISOString() }))
    const pathless = { ...peer(['x-gdpr']), endpoints: [{ identifier: 'x-gdpr', role: 'RECEIVER' as const, url: 'https://peer.test' }] }
    const request = { module: 'x-gdpr', role: 'RECEIVER' as const, method: 'GET' as const }
    for (const url of ['https://peer.test.evil.example/ocpi?offset=10', 'http://peer.test/ocpi?offset=10', 'https://peer.test:8443/ocpi?offset=10']) {
      await expect(requestPeerModule(env, pathless, { ...request, url })).rejects.toMatchObject({ status_code: 3001 })
    }
    await expect(requestPeerModule(env, peer(['x-gdpr']), { ...request, url: 'https://peer.test/ocpi/2.3.0/receiver/x-gdpr-other?offset=10' })).rejects.toMatchObject({ status_code: 3001 })
    expect(fetchSpy).not.toHaveBeenCalled()
    expect((await requestPeerModule(env, pathless, { ...request, url: 'https://peer.test/ocpi?offset=10' })).status_code).toBe(1000)
    expect((await requestPeerModule(env, peer(['x-gdpr']), { ...request, url: 'https://peer.test/ocpi/2.3.0/receiver/x-gdpr?offset=10&limit=5' })).status_code).toBe(1000)
    expect(fetchSpy).toHaveBeenCalledTimes(2)
  })
})

describe('management API', () => {
  it('stores the agreement at invite, shows it, and replaces it with PUT /peers/{id}/extensions', async () => {
    const invited = await (await adminFetch('/peers/invite', { method: 'POST', body: { extensions: ['x-gdpr', 'x-gdpr'] } })).json<{ peer_id: string }>()
    expect(await (await adminFetch(`/peers/${invited.peer_id}`)).json()).toMatchObject({ peer_id: invited.peer_id, extensions: ['x-gdpr'] })

    const changed = await adminFetch(`/peers/${invited.peer_id}/extensions`, { method: 'PUT', body: { extensions: ['x-token-migration', 'x-driver-tariffs'] } })
    expect(changed.status).toBe(200)
    expect(await changed.json()).toMatchObject({ extensions: ['x-token-migration', 'x-driver-tariffs'] })
    const listed = await (await adminFetch('/peers')).json<{ peer_id: string; extensions: string[] }[]>()
    expect(listed.find((entry) => entry.peer_id === invited.peer_id)?.extensions).toEqual(['x-token-migration', 'x-driver-tariffs'])

    expect(await (await adminFetch(`/peers/${invited.peer_id}/extensions`, { method: 'PUT', body: { extensions: [] } })).json()).toMatchObject({ extensions: [] })
  })

  it('refuses extensions this platform does not implement, and standard modules, with the path (2001)', async () => {
    const unknown = await adminFetch('/peers/invite', { method: 'POST', body: { extensions: ['x-gdpr', 'x-unheard-of'] } })
    expect(unknown.status).toBe(400)
    expect(await unknown.json()).toMatchObject({ error: { code: 2001, path: 'extensions.1' } })

    const { id: peer_id } = await registeredPeer()
    const standard = await adminFetch(`/peers/${peer_id}/extensions`, { method: 'PUT', body: { extensions: ['tokens'] } })
    expect(await standard.json()).toMatchObject({ error: { code: 2001, path: 'extensions.0' } })
    const missing = await adminFetch(`/peers/${peer_id}/extensions`, { method: 'PUT', body: {} })
    expect(await missing.json()).toMatchObject({ error: { code: 2001, path: 'extensions' } })
    const connect = await adminFetch('/peers/connect', { method: 'POST', body: { versions_url: 'https://peer.test/versions', token_a: 'abc', extensions: ['x-nope'] } })
    expect(await connect.json()).toMatchObject({ error: { code: 2001, path: 'extensions.0' } })
    expect((await adminFetch('/peers/no-such-peer/extensions', { method: 'PUT', body: { extensions: [] } })).status).toBe(404)
  })
})
