import { afterEach, describe, expect, it, vi } from 'vitest'
import { OcpiClientError, ocpiRequest } from '../../src/peers/client'
import { outboundSettings } from '../../src/peers/outbound-settings'
import { stubFetch } from '../stub-fetch'

// What the outbound client does whatever URL or answer a peer hands it: refused URLs are never called, redirects never
// followed, answers read only up to PEER_RESPONSE_MAX_BYTES, and Retry-After honoured within PEER_RETRY_AFTER_MAX_MS.

const production = outboundSettings({ PEER_RESPONSE_MAX_BYTES: '1024', PEER_RETRY_AFTER_MAX_MS: '1500' })
const envelope = (data: unknown = null) => JSON.stringify({ data, status_code: 1000, timestamp: new Date().toISOString() })


afterEach(() => vi.restoreAllMocks())

describe('outbound client limits', () => {
  it.each(['http://127.1/x', 'http://0x7f.1/x', 'http://[::ffff:127.0.0.1]/x', 'http://169.254.169.254/latest', 'http://evil@peer.example.com/x', 'file:///etc/passwd'])(
    'never calls %s under the production policy, and says why without calling',
    async (url) => {
      const requests = stubFetch(() => new Response(envelope()))
      const failure = await ocpiRequest({ method: 'GET', url, token: 'secret', settings: production }).catch((error) => error)
      expect(failure).toBeInstanceOf(OcpiClientError)
      expect(failure.kind).toBe('refused')
      expect(requests).toHaveLength(0)
    },
  )

  it('refuses userinfo and other schemes even where private addresses are allowed (the Worker vars of the tests)', async () => {
    const requests = stubFetch(() => new Response(envelope()))
    for (const url of ['http://evil@127.0.0.1/', 'ftp://127.0.0.1/']) {
      await expect(ocpiRequest({ method: 'GET', url })).rejects.toMatchObject({ kind: 'refused' })
    }
    expect(requests).toHaveLength(0)
  })

  it('does not follow a redirect, and does not repeat where it pointed', async () => {
    const requests = stubFetch(() => new Response(null, { status: 302, headers: { Location: 'http://169.254.169.254/latest/meta-data/' } }))
    const failure = await ocpiRequest({ method: 'GET', url: 'https://peer.example.com/versions', token: 'secret', settings: production }).catch((error) => error)
    expect(failure).toMatchObject({ kind: 'redirect', http_status: 302 })
    expect(failure.message).not.toContain('169.254')
    expect(requests).toHaveLength(1)
    expect(requests[0]?.redirect).toBe('manual')
  })

  it('refuses an answer whose Content-Length is over the limit without reading it', async () => {
    stubFetch(() => new Response(envelope('x'.repeat(4096)), { headers: { 'Content-Length': '4200' } }))
    await expect(ocpiRequest({ method: 'GET', url: 'https://peer.example.com/x', settings: production, retries: 0 })).rejects.toMatchObject({ kind: 'too-large' })
  })

  it('stops reading a streamed answer at the limit', async () => {
    let pulled = 0
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        controller.enqueue(new TextEncoder().encode('{"data":"' + 'x'.repeat(500)))
      },
    })
    stubFetch(() => new Response(endless))
    await expect(ocpiRequest({ method: 'GET', url: 'https://peer.example.com/x', settings: production, retries: 0 })).rejects.toMatchObject({ kind: 'too-large' })
    expect(pulled).toBeLessThan(10)
  })

  it('does not repeat what a peer answered outside OCPI', async () => {
    stubFetch(() => new Response('root:x:0:0:root:/root:/bin/bash', { status: 500 }))
    const failure = await ocpiRequest({ method: 'GET', url: 'https://peer.example.com/x', settings: production, retries: 0 }).catch((error) => error)
    expect(failure.message).not.toContain('root:')
  })

  it.each([429, 503])('waits the Retry-After of HTTP %i before trying again', async (status) => {
    const requests = stubFetch(
      () => Response.json({ status_code: 3000, timestamp: '' }, { status, headers: { 'Retry-After': '1' } }),
      () => new Response(envelope('later')),
    )
    const started = Date.now()
    expect((await ocpiRequest({ method: 'GET', url: 'https://peer.example.com/x', settings: production })).data).toBe('later')
    expect(requests).toHaveLength(2)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
  })

  it('gives up at once on a Retry-After beyond the bound, and tells the caller how long it asked for', async () => {
    const requests = stubFetch(() => Response.json({ status_code: 3000, timestamp: '' }, { status: 503, headers: { 'Retry-After': '3600' } }))
    const started = Date.now()
    const failure = await ocpiRequest({ method: 'GET', url: 'https://peer.example.com/x', settings: production }).catch((error) => error)
    expect(failure).toMatchObject({ kind: 'http', http_status: 503, retry_after_ms: 3_600_000 })
    expect(requests).toHaveLength(1)
    expect(Date.now() - started).toBeLessThan(500)
  })
})
