import { env } from 'cloudflare:workers'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { database } from '../../src/db/client'
import type { OcpiEnv } from '../../src/ocpi/context'
import { envelope, envelopeTimestamp, listBodyTail, respond } from '../../src/ocpi/envelope'
import { messageIds } from '../../src/ocpi/headers'
import { toOcpiResponse } from '../../src/ocpi/respond-error'
import { addressedParty } from '../../src/peers/routing'
import { ocpiFetch, registeredPeer, type OcpiBody } from './fixtures'

const hubRole = { role: 'HUB' as const, country_code: 'NL', party_id: 'HUB', business_details: { name: 'Hub' } }

describe('envelope', () => {
  it('leaves data out when there is none, and keeps null when it is null', () => {
    expect(envelope(undefined)).not.toHaveProperty('data')
    expect(envelope(null)).toHaveProperty('data', null)
    expect(envelope([1], 1000)).toMatchObject({ data: [1], status_code: 1000, status_message: 'Success', timestamp: expect.any(String) })
  })

  it('stamps envelopes to the second, UTC with the Z designator (types, "DateTime")', () => {
    expect(envelopeTimestamp(Date.UTC(2026, 11, 7, 9, 31, 46, 987))).toBe('2026-12-07T09:31:46Z')
    expect(envelopeTimestamp(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00Z')
    expect(listBodyTail(Date.UTC(2026, 11, 7, 9, 31, 46, 1))).toBe('"timestamp":"2026-12-07T09:31:46Z"}')
    expect(envelope(undefined).timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  })

  it('renders an error without data unless it names a field', async () => {
    const response = await ocpiFetch('/ocpi/versions', { token: 'unknown' })
    expect(response.status).toBe(401)
    expect(await response.json()).not.toHaveProperty('data')
  })
})

describe('body', () => {
  it('answers invalid JSON with HTTP 400 and 2001', async () => {
    const { token } = await registeredPeer({ roles: [hubRole] })
    const response = await ocpiFetch('/ocpi/2.3.0/receiver/hubclientinfo/NL/ABC', { token, method: 'PUT', body: '{"party_id": "ABC",' })
    expect(response.status).toBe(400)
    expect((await response.json<OcpiBody>()).status_code).toBe(2001)
  })

  it('answers a schema violation with HTTP 200, 2001 and the failing field path', async () => {
    const { token } = await registeredPeer({ roles: [hubRole] })
    const body = { country_code: 'NL', party_id: 'ABC', role: 'CPO', status: 'SOMETIMES', last_updated: '2024-01-01T00:00:00Z' }
    const response = await ocpiFetch('/ocpi/2.3.0/receiver/hubclientinfo/NL/ABC', { token, method: 'PUT', body })
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ status_code: 2001, data: { path: 'status' } })
  })
})

describe('message IDs', () => {
  const ids = { 'X-Request-ID': 'request-1', 'X-Correlation-ID': 'correlation-1' }

  it('echoes X-Request-ID and X-Correlation-ID on success', async () => {
    const { token } = await registeredPeer()
    const response = await ocpiFetch('/ocpi/versions', { token, headers: ids })
    expect(response.status).toBe(200)
    expect(response.headers.get('X-Request-ID')).toBe('request-1')
    expect(response.headers.get('X-Correlation-ID')).toBe('correlation-1')
  })

  it('echoes them on errors, and generates them when missing', async () => {
    const failed = await ocpiFetch('/ocpi/versions', { headers: ids })
    expect(failed.status).toBe(401)
    expect(failed.headers.get('X-Request-ID')).toBe('request-1')
    expect(failed.headers.get('X-Correlation-ID')).toBe('correlation-1')
    const generated = await ocpiFetch('/ocpi/versions')
    expect(generated.headers.get('X-Request-ID')).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('routing', () => {
  const app = new Hono<OcpiEnv>()
    .use(messageIds())
    .use(async (c, next) => {
      c.set('db', database(c.env.DB))
      await next()
    })
    .get('/', async (c) => respond(c, await addressedParty(c, 'CPO')))
    .onError(toOcpiResponse)

  it('answers 4001 when OCPI-to names a party this platform does not host', async () => {
    const response = await app.request('/', { headers: { 'OCPI-to-country-code': 'XX', 'OCPI-to-party-id': 'NOP' } }, env)
    expect(response.status).toBe(200)
    expect((await response.json<OcpiBody>()).status_code).toBe(4001)
  })
})

describe('versions and modules', () => {
  it('lists every version with its details URL', async () => {
    const { token } = await registeredPeer()
    const body = await (await ocpiFetch('/ocpi/versions', { token })).json<OcpiBody<{ version: string; url: string }[]>>()
    expect(body.data!.map((version) => version.version).sort()).toEqual(['2.1.1', '2.2.1', '2.3.0'])
    for (const version of body.data!) expect(version.url).toMatch(new RegExp(`/ocpi/${version.version.replace(/\./g, '\\.')}/details$`))
  })

  it('lists credentials (as SENDER) and hubclientinfo in the details', async () => {
    const { token } = await registeredPeer()
    const body = await (await ocpiFetch('/ocpi/2.2.1/details', { token })).json<OcpiBody<{ version: string; endpoints: { identifier: string; role: string }[] }>>()
    expect(body.data!.version).toBe('2.2.1')
    expect(body.data!.endpoints).toContainEqual(expect.objectContaining({ identifier: 'credentials', role: 'SENDER' }))
    expect(body.data!.endpoints).toContainEqual(expect.objectContaining({ identifier: 'hubclientinfo', role: 'RECEIVER' }))
  })

  it('answers an unknown version with HTTP 404 and 3002', async () => {
    const { token } = await registeredPeer()
    const response = await ocpiFetch('/ocpi/2.0/details', { token })
    expect(response.status).toBe(404)
    expect((await response.json<OcpiBody>()).status_code).toBe(3002)
  })

  it('answers an unknown module with HTTP 404 in the envelope', async () => {
    const { token } = await registeredPeer()
    const response = await ocpiFetch('/ocpi/2.3.0/sender/nonexistent', { token })
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ status_code: 2000, timestamp: expect.any(String) })
  })
})
