import { exports } from 'cloudflare:workers'
import { beforeAll, describe, expect, it } from 'vitest'
import { encodeAuthorization } from '../../src/ocpi/auth'
import { sampleLocation, uniqueParty } from '../modules/locations/fixtures'
import { ocpiFetch, registeredPeer, type OcpiBody } from './fixtures'

// Inbound limits (docs/security.md, "Limits"): bodies over INBOUND_BODY_MAX_BYTES (4 MiB in wrangler.toml) are HTTP 413
// with an OCPI envelope, whether declared by Content-Length or streamed; message IDs are echoed only when sane.

const LIMIT = 4 * 1024 * 1024
const pusher = uniqueParty('BE')
let token: string
beforeAll(async () => {
  ;({ token } = await registeredPeer({ roles: [{ role: 'CPO', ...pusher, business_details: { name: 'Pushing CPO' } }] }))
})
const url = (id: string) => `http://localhost/ocpi/2.3.0/receiver/locations/${pusher.country_code}/${pusher.party_id}/${id}`

function streamOf(totalBytes: number) {
  let sent = 0
  const chunk = new TextEncoder().encode(' '.repeat(64 * 1024))
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close()
      sent += chunk.byteLength
      controller.enqueue(chunk)
    },
  })
}

describe('inbound body limit', () => {
  it('answers a body over the limit with HTTP 413 and an OCPI envelope, storing nothing', async () => {
    const huge = sampleLocation(pusher, 'BIG', { directions: Array.from({ length: 9000 }, () => ({ language: 'en', text: 'x'.repeat(500) })) })
    const response = await ocpiFetch(url('BIG').replace('http://localhost', ''), { token, method: 'PUT', body: huge })
    expect(response.status).toBe(413)
    expect(await response.json<OcpiBody>()).toMatchObject({ status_code: 2000, status_message: expect.stringMatching(/larger than/) })
    expect((await ocpiFetch(url('BIG').replace('http://localhost', ''), { token })).status).toBe(404)
  })

  it('counts a streamed body without Content-Length and stops at the limit', async () => {
    const response = await exports.default.fetch(url('STREAM'), {
      method: 'PUT', body: streamOf(LIMIT + 256 * 1024), headers: { Authorization: encodeAuthorization(token), 'Content-Type': 'application/json' },
      // @ts-expect-error workerd's RequestInit takes duplex for a streamed body
      duplex: 'half',
    })
    expect(response.status).toBe(413)
    expect((await response.json<OcpiBody>()).status_code).toBe(2000)
  })

  it('answers an oversized management write with HTTP 413 too', async () => {
    const party = uniqueParty('NL')
    const response = await exports.default.fetch(`http://localhost/admin/v1/locations/${party.country_code}/${party.party_id}/A1`, {
      method: 'PUT', body: 'x'.repeat(LIMIT + 1), headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' },
    })
    expect(response.status).toBe(413)
  })
})

describe('bodies read by hand', () => {
  it('a tokens sync request with broken JSON is HTTP 400, not 500', async () => {
    const response = await exports.default.fetch('http://localhost/admin/v1/tokens/sync/no-such-peer', {
      method: 'POST', body: '{"limit": ', headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' },
    })
    expect(response.status).toBe(400)
  })
})

describe('message IDs', () => {
  it('echoes sane IDs and replaces one that is too long or not printable', async () => {
    const sane = await ocpiFetch('/ocpi/versions', { token, headers: { 'X-Request-ID': 'req-1', 'X-Correlation-ID': 'corr-1' } })
    expect([sane.headers.get('X-Request-ID'), sane.headers.get('X-Correlation-ID')]).toEqual(['req-1', 'corr-1'])
    const long = 'x'.repeat(10_000)
    const replaced = await ocpiFetch('/ocpi/versions', { token, headers: { 'X-Request-ID': long, 'X-Correlation-ID': 'a b\tc' } })
    expect(replaced.status).toBe(200)
    expect(replaced.headers.get('X-Request-ID')).toMatch(/^[0-9a-f-]{36}$/)
    expect(replaced.headers.get('X-Correlation-ID')).toMatch(/^[0-9a-f-]{36}$/)
  })
})
