import { afterEach, describe, expect, it, vi } from 'vitest'
import { OcpiClientError, ocpiRequest } from '../../src/peers/client'
import { present } from '../present'
import { stubFetch } from '../stub-fetch'

const ok = (data: unknown, status = 200) => Response.json({ data, status_code: 1000, timestamp: new Date().toISOString() }, { status })


afterEach(() => vi.restoreAllMocks())

describe('outbound OCPI client', () => {
  it('sends the token Base64-encoded with message IDs, and unwraps the envelope', async () => {
    const requests = stubFetch(() => ok({ hello: 'world' }))
    const response = await ocpiRequest({ method: 'GET', url: 'https://peer.test/x', token: 'example-token', correlationId: 'corr-1' })
    expect(response).toMatchObject({ http_status: 200, status_code: 1000, data: { hello: 'world' } })
    expect(requests[0]?.headers.get('Authorization')).toBe(`Token ${btoa('example-token')}`)
    expect(requests[0]?.headers.get('X-Correlation-ID')).toBe('corr-1')
    expect(requests[0]?.headers.get('X-Request-ID')).toBeTruthy()
  })

  it('sends OCPI-from/to headers when given', async () => {
    const requests = stubFetch(() => ok(null))
    await ocpiRequest({ method: 'PUT', url: 'https://peer.test/x', body: {}, from: { country_code: 'NL', party_id: 'CPO' }, to: { country_code: 'DE', party_id: 'MSP' } })
    expect(Object.fromEntries([...present(requests[0], 'the request').headers].filter(([name]) => name.startsWith('ocpi-')))).toEqual({
      'ocpi-from-country-code': 'NL', 'ocpi-from-party-id': 'CPO', 'ocpi-to-country-code': 'DE', 'ocpi-to-party-id': 'MSP',
    })
  })

  it('retries an idempotent request after HTTP 5xx and a network error', async () => {
    const requests = stubFetch(
      () => Response.json({ status_code: 3000, timestamp: '' }, { status: 503 }),
      () => Promise.reject(new TypeError('connection reset')),
      () => ok('third time'),
    )
    expect((await ocpiRequest({ method: 'GET', url: 'https://peer.test/x' })).data).toBe('third time')
    expect(requests).toHaveLength(3)
  })

  it('does not retry a POST by default', async () => {
    const requests = stubFetch(() => Promise.reject(new TypeError('connection reset')))
    await expect(ocpiRequest({ method: 'POST', url: 'https://peer.test/x', body: {} })).rejects.toMatchObject({ kind: 'network' })
    expect(requests).toHaveLength(1)
  })

  it('gives up after the timeout', async () => {
    stubFetch((request) => new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason))))
    const failure = await ocpiRequest({ method: 'GET', url: 'https://peer.test/slow', timeoutMs: 50, retries: 0 }).catch((error) => error)
    expect(failure).toBeInstanceOf(OcpiClientError)
    expect(failure.kind).toBe('timeout')
  })

  it('returns OCPI error statuses instead of throwing, and throws on answers outside OCPI', async () => {
    stubFetch(() => Response.json({ status_code: 2001, status_message: 'bad', timestamp: '' }))
    expect(await ocpiRequest({ method: 'GET', url: 'https://peer.test/x' })).toMatchObject({ status_code: 2001, status_message: 'bad' })
    vi.restoreAllMocks()
    stubFetch(() => new Response('<html>proxy error</html>', { status: 404 }))
    await expect(ocpiRequest({ method: 'GET', url: 'https://peer.test/x' })).rejects.toMatchObject({ kind: 'http', http_status: 404 })
  })
})
