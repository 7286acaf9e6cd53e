import { describe, expect, it } from 'vitest'
import { constantTimeEqual, encodeAuthorization, hashToken, tokenCandidates } from '../../src/ocpi/auth'

describe('credentials token handling', () => {
  it('decodes the spec example header, trailing newline included', () => {
    expect(tokenCandidates('Token ZXhhbXBsZS10b2tlbgo=')[0]).toBe('example-token')
  })
  it('tolerates raw tokens', () => {
    expect(tokenCandidates('Token ebf3b399-779f-4497-9b9d-ac6ad3cc44d2')).toContain('ebf3b399-779f-4497-9b9d-ac6ad3cc44d2')
  })
  it('round-trips what we send', () => {
    expect(tokenCandidates(encodeAuthorization('abc-123'))[0]).toBe('abc-123')
  })
  it('rejects a missing or malformed header with HTTP 401', () => {
    expect(() => tokenCandidates(undefined)).toThrowError(expect.objectContaining({ detail: { http_status: 401 } }))
    expect(() => tokenCandidates('Bearer x')).toThrowError(expect.objectContaining({ detail: { http_status: 401 } }))
  })
  it('hashes and compares in constant time', async () => {
    const hash = await hashToken('secret')
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(constantTimeEqual(hash, await hashToken('secret'))).toBe(true)
    expect(constantTimeEqual(hash, await hashToken('other'))).toBe(false)
  })
})
