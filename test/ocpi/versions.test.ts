import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'

describe('GET /ocpi/versions', () => {
  it('answers 401 in the envelope without a token', async () => {
    const response = await exports.default.fetch('http://localhost/ocpi/versions', { headers: { 'X-Request-ID': 'r-1' } })
    expect(response.status).toBe(401)
    expect(response.headers.get('X-Request-ID')).toBe('r-1')
    const body = await response.json<{ status_code: number; timestamp: string }>()
    expect(body.status_code).toBe(2000)
    expect(body.timestamp).toBeTypeOf('string')
  })
})
