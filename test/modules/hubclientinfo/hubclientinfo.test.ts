import { describe, expect, it } from 'vitest'
import { env } from 'cloudflare:workers'
import { adminFetch, ocpiFetch, registeredPeer, type OcpiBody } from '../../ocpi/fixtures'
import { uniquePartyId } from '../../party-ids'

const hubRole = { role: 'HUB' as const, country_code: 'NL', party_id: 'HUB', business_details: { name: 'Hub' } }
const partyId = () => uniquePartyId()
const clientInfo = (party_id: string, status: string, last_updated: string) => ({ country_code: 'BE', party_id, role: 'CPO', status, last_updated })

describe('hubclientinfo receiver', () => {
  it('stores what a hub pushes and returns it on GET; an older push does not overwrite a newer one', async () => {
    const { token } = await registeredPeer({ roles: [hubRole] })
    const party = partyId()
    const put = await ocpiFetch(`/ocpi/2.2.1/receiver/hubclientinfo/BE/${party}`, { token, method: 'PUT', body: clientInfo(party, 'CONNECTED', '2024-05-01T10:00:00Z') })
    expect(await put.json()).toMatchObject({ status_code: 1000 })
    const older = await ocpiFetch(`/ocpi/2.2.1/receiver/hubclientinfo/BE/${party}`, { token, method: 'PUT', body: clientInfo(party, 'OFFLINE', '2024-04-01T10:00:00Z') })
    expect(await older.json()).toMatchObject({ status_code: 1000 })
    const get = await ocpiFetch(`/ocpi/2.3.0/receiver/hubclientinfo/BE/${party}`, { token })
    expect(await get.json()).toMatchObject({ status_code: 1000, data: { party_id: party, status: 'CONNECTED', last_updated: '2024-05-01T10:00:00.000Z' } })

    const listed = await (await adminFetch('/hubclientinfo?source=received&limit=1000')).json<{ party_id: string; source: string }[]>()
    expect(listed).toContainEqual(expect.objectContaining({ party_id: party, source: 'received', status: 'CONNECTED' }))
  })

  it('accepts pushes only from a hub, for the party in the URL', async () => {
    const { token: notHub } = await registeredPeer()
    const party = partyId()
    const refused = await ocpiFetch(`/ocpi/2.3.0/receiver/hubclientinfo/BE/${party}`, { token: notHub, method: 'PUT', body: clientInfo(party, 'CONNECTED', '2024-05-01T10:00:00Z') })
    expect((await refused.json<OcpiBody>()).status_code).toBe(2000)
    const { token } = await registeredPeer({ roles: [hubRole] })
    const mismatch = await ocpiFetch(`/ocpi/2.3.0/receiver/hubclientinfo/BE/XXX`, { token, method: 'PUT', body: clientInfo(party, 'CONNECTED', '2024-05-01T10:00:00Z') })
    expect(await mismatch.json()).toMatchObject({ status_code: 2001, data: { path: 'country_code' } })
  })

  it('answers an unknown ClientInfo with HTTP 404 and 2003', async () => {
    const { token } = await registeredPeer({ roles: [hubRole] })
    const response = await ocpiFetch('/ocpi/2.3.0/receiver/hubclientinfo/BE/ZZZ', { token })
    expect(response.status).toBe(404)
    expect((await response.json<OcpiBody>()).status_code).toBe(2003)
  })
})

describe('hubclientinfo sender', () => {
  it('lists hosted parties as CONNECTED from the moment they are added', async () => {
    const since = new Date(Date.now() - 1000).toISOString()
    // Served only by a platform hosting a HUB party (test/peers/role-grants.test.ts shows the 404 otherwise).
    expect((await adminFetch('/parties', { method: 'POST', body: { ...hubRole, party_id: partyId() } })).status).toBe(201)
    const party = { country_code: 'FR', party_id: partyId(), role: 'CPO', business_details: { name: 'Opérateur' } }
    expect((await adminFetch('/parties', { method: 'POST', body: party })).status).toBe(201)
    const { token } = await registeredPeer()
    const response = await ocpiFetch(`/ocpi/2.3.0/sender/hubclientinfo?date_from=${encodeURIComponent(since)}&limit=1000`, { token })
    const body = await response.json<OcpiBody<{ party_id: string }[]>>()
    expect(body.data).toContainEqual(expect.objectContaining({ country_code: 'FR', party_id: party.party_id, role: 'CPO', status: 'CONNECTED' }))
  })
})

describe('hubclientinfo management list', () => {
  it('is paged like every list: X-Total-Count, X-Limit and a Link under PUBLIC_URL', async () => {
    const { token } = await registeredPeer({ roles: [hubRole] })
    for (const party of [partyId(), partyId()]) {
      await ocpiFetch(`/ocpi/2.3.0/receiver/hubclientinfo/BE/${party}`, { token, method: 'PUT', body: clientInfo(party, 'CONNECTED', '2024-05-01T10:00:00Z') })
    }
    const first = await adminFetch('/hubclientinfo?source=received&limit=1')
    expect(await first.json()).toHaveLength(1)
    expect(Number(first.headers.get('X-Total-Count'))).toBeGreaterThanOrEqual(2)
    expect(first.headers.get('X-Limit')).toBe('1')
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('Link') ?? '')?.[1]
    expect(next).toBeDefined()
    expect(new URL(next!).origin).toBe(new URL(env.PUBLIC_URL).origin)
    expect(new URL(next!).searchParams.get('source')).toBe('received')
    expect(new URL(next!).searchParams.get('offset')).toBe('1')
  })
})
