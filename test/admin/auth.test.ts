import { exports } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'

// The admin token check compares fixed-length digests: how long a refusal takes tells nothing about the token's length.

afterEach(() => vi.restoreAllMocks())

const adminRequest = (token: string) =>
  exports.default.fetch(new Request('http://localhost/admin/v1/parties', { headers: { Authorization: `Bearer ${token}` } }))

describe('admin token check', () => {
  it('compares 32-byte digests in constant time whatever the length of the presented token', async () => {
    const compare = vi.spyOn(crypto.subtle, 'timingSafeEqual')
    for (const token of ['x', 'test-admin-toke', 'test-admin-token-but-longer', 'y'.repeat(500)]) {
      expect((await adminRequest(token)).status).toBe(401)
    }
    expect(compare).toHaveBeenCalledTimes(4)
    for (const [left, right] of compare.mock.calls) expect([(left as ArrayBufferView).byteLength, (right as ArrayBufferView).byteLength]).toEqual([32, 32])
  })

  it('still lets the right token in', async () => {
    expect((await adminRequest('test-admin-token')).status).toBe(200)
  })
})
